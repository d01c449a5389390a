"""Unmasked ID, mobile and bank card numbers (detectors.personal_data).

Every number here is synthetic: IDs are region 360727 / birth 1980-01-01 with a check
digit computed below, cards are zero-padded prefixes completed with a Luhn digit.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from detectors.personal_data import find_personal_data, id_check_char, luhn_valid, normalise

TODAY = date(2025, 1, 1)
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(first17: str) -> str:
    """A synthetic 18-digit ID with its GB 11643 check digit (independent of the module)."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def wrong_check(valid_id: str) -> str:
    return valid_id[:17] + ("0" if valid_id[17] != "0" else "1")


def make_card(prefix: str) -> str:
    """``prefix`` completed with the Luhn check digit."""
    for check in "0123456789":
        digits = prefix + check
        total = 0
        for i, char in enumerate(reversed(digits)):
            value = int(char) * (2 if i % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return digits
    raise AssertionError("unreachable")


def luhn_broken(card: str) -> str:
    return card[:-1] + str((int(card[-1]) + 1) % 10)


ID = make_id("36072719800101123")
ID_X = next(v for v in (make_id(f"36072719800101{n:03d}") for n in range(1000)) if v.endswith("X"))
ID15 = "360727800101123"
MOBILE = "13907971234"
CARD16 = make_card("622202000000001")
CARD19 = make_card("621700123400000000")


def hits(text: str):
    return find_personal_data(text, today=TODAY)


def kinds(text: str) -> list[str]:
    return [h.kind for h in hits(text)]


def _full_width(value: str) -> str:
    return value.translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})


def test_synthetic_fixtures_are_what_the_module_expects() -> None:
    assert id_check_char(ID[:17]) == ID[17]
    assert luhn_valid(CARD16) and luhn_valid(CARD19)
    assert not luhn_valid(luhn_broken(CARD16))
    assert len(CARD16) == 16 and len(CARD19) == 19


# --- resident ID -------------------------------------------------------------------------


def test_valid_id_is_found_with_offsets_and_mask() -> None:
    text = f"身份证号：{ID}，住址略。"
    [hit] = hits(text)
    assert hit.kind == "id_card"
    assert text[hit.start : hit.end] == ID
    assert hit.masked_value == ID[:3] + "*" * 11 + ID[-4:]
    assert len(hit.masked_value) == 18


@pytest.mark.parametrize("value", [ID_X, ID_X[:-1] + "x"])
def test_check_char_x_either_case(value: str) -> None:
    [hit] = hits(f"身份证 {value} ")
    assert hit.kind == "id_card"
    assert hit.masked_value.endswith(ID_X[-4:])


def test_wrong_check_digit_is_not_reported() -> None:
    assert hits(f"身份证号 {wrong_check(ID)}") == []


@pytest.mark.parametrize(
    "first17",
    [
        "36072719801301123",  # month 13
        "36072719800230123",  # 30 February
        "36072718991231123",  # before 1900
        "36072720250102123",  # after "today"
        "99072719800101123",  # no province 99
        "00072719800101123",
    ],
)
def test_implausible_birth_date_or_region_is_not_reported(first17: str) -> None:
    assert hits(f"身份证号 {make_id(first17)}") == []


def test_fifteen_digit_old_format() -> None:
    [hit] = hits(f"身份证号：{ID15}")
    assert hit.kind == "id_card"
    assert hit.masked_value == ID15[:3] + "*" * 8 + ID15[-4:]
    assert hits("身份证号：360727801301123") == []  # month 13
    assert hits("身份证号：990727800101123") == []  # no province 99


@pytest.mark.parametrize(
    "text",
    [
        "360727********1234",
        "360727**********12",
        "3607**********1234",
        "360727××××××××1234",
        "360727xxxxxxxx1234",
        "360727XXXXXXXX1234",
        "360727＊＊＊＊＊＊＊＊1234",
        f"{ID[:14]}****",
        f"****{ID[4:]}",
        "139****5678",
        "139 **** 5678",
        "6222 **** **** 1234",
    ],
)
def test_masked_forms_are_not_leaks(text: str) -> None:
    assert hits(f"身份证号 {text} 联系电话 {text} 银行卡号 {text}") == []


@pytest.mark.parametrize(
    "text",
    [
        f"9{ID}",
        f"{ID}7",
        f"NO{ID}",
        f"{ID}A",
        f"2024{ID}0001",  # a long serial containing a valid ID
        f"1{ID15}",
        f"{ID15}9",
        f"{ID}.5",
    ],
)
def test_id_inside_a_longer_run_is_not_reported(text: str) -> None:
    assert hits(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "统一社会信用代码：91360727MA35XXXXXX",
        "统一社会信用代码：91360727MA35A1B2C3",
        "统一社会信用代码：11360727014458745X",
        f"统一社会信用代码：{ID}",  # even a number that would pass as an ID
        f"纳税人识别号 {ID}",
    ],
)
def test_unified_social_credit_codes_are_not_leaks(text: str) -> None:
    assert hits(text) == []


def test_full_width_digits_are_normalised_and_offsets_kept() -> None:
    wide = _full_width(ID)
    text = f"身份证号：{wide}，电话：{_full_width(MOBILE)}"
    id_hit, mobile_hit = hits(text)
    assert (id_hit.kind, mobile_hit.kind) == ("id_card", "mobile")
    assert text[id_hit.start : id_hit.end] == wide
    assert id_hit.masked_value == ID[:3] + "*" * 11 + ID[-4:]
    assert mobile_hit.masked_value == "139****1234"
    assert wide not in id_hit.context and ID not in id_hit.context


def test_full_width_check_char_x() -> None:
    [hit] = hits(f"身份证 {_full_width(ID_X[:17])}Ｘ")
    assert hit.kind == "id_card"


# --- mobile ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "联系电话：13907971234",
        "联系电话：139-0797-1234",
        "联系电话：139 0797 1234",
        "联系电话：+86 13907971234",
        "联系电话：+86-13907971234",
        "联系电话：+8613907971234",
        "联系电话：8613907971234",
        "联系电话：13907971234。",
        "张三13907971234李四",
        "联系电话：１３９０７９７１２３４",
        "联系电话：139－0797－1234",
    ],
)
def test_mobile_formats(text: str) -> None:
    [hit] = hits(text)
    assert hit.kind == "mobile"
    assert hit.masked_value == "139****1234"
    assert re.sub(r"[^0-9]", "", normalise(text[hit.start : hit.end])) == MOBILE


@pytest.mark.parametrize("prefix", ["130", "145", "153", "166", "170", "177", "188", "199"])
def test_mobile_prefixes(prefix: str) -> None:
    assert kinds(f"电话 {prefix}07971234") == ["mobile"]


@pytest.mark.parametrize(
    "text",
    [
        "电话：0797-3521234",
        "电话：(0797)3521234",
        "电话：（0797）3521234",
        "电话：0797 3521234",
        "电话：07973521234",
        "电话：010-12345678",
        "电话：400-123-4567",
        "电话：4001234567",
        "电话：800-820-8820",
        "电话：8008208820",
        "电话：12345678901",  # no 12x mobiles
        "电话：14012345678",  # IoT range, 13 digits in reality
        "电话：15407971234",  # 154 is unallocated
        "编号：139079712345",  # 12 digits
        "编号：213907971234",
        "编号：A13907971234",
        "编号：13907971234B",
        "金额：13500000000元",
        "金额：13907971234.50",
        "电话：0797-13907971234",  # tail of an area-code form, not a bare mobile
        "号码：139-0797 1234",  # mixed separators
    ],
)
def test_not_mobiles(text: str) -> None:
    assert hits(text) == []


# --- bank card ---------------------------------------------------------------------------


def _grouped(card: str, sep: str) -> str:
    return sep.join(card[i : i + 4] for i in range(0, len(card), 4))


@pytest.mark.parametrize(
    "text",
    [
        f"银行卡号：{CARD16}",
        f"卡号 {CARD16}",
        f"开户行：中国农业银行 账号：{CARD16}",
        f"银行账户：{_grouped(CARD16, ' ')}",
        f"账号：{_grouped(CARD16, '-')}",
        f"社保卡号：{CARD19}",
        f"一卡通账号 {_grouped(CARD19, ' ')}",
    ],
)
def test_bank_card_with_context(text: str) -> None:
    [hit] = hits(text)
    assert hit.kind == "bank_card"
    digits = re.sub(r"\D", "", text[hit.start : hit.end])
    assert digits in (CARD16, CARD19)
    assert hit.masked_value.startswith(digits[:4] + " ****")
    assert hit.masked_value.endswith(" " + digits[-4:])
    assert hit.masked_value.count("*") == len(digits) - 8


def test_bank_card_mask_shape() -> None:
    [hit16] = hits(f"卡号 {CARD16}")
    assert hit16.masked_value == f"{CARD16[:4]} **** **** {CARD16[-4:]}"
    [hit19] = hits(f"卡号 {CARD19}")
    assert hit19.masked_value == f"{CARD19[:4]} **** **** *** {CARD19[-4:]}"


@pytest.mark.parametrize(
    "text",
    [
        f"订单号：{CARD16}",
        f"{CARD16}",
        f"流水号 {_grouped(CARD16, ' ')}",
        f"银行卡号（请核对后填写，谢谢配合）：{CARD16}",  # keyword too far away
        f"银行卡号：{luhn_broken(CARD16)}",
        f"银行卡号：{luhn_broken(CARD19)}",
        f"账号：{make_card('6222020000000000000')}",  # 20 digits
        f"账号：{CARD16}{CARD16[:4]}",  # 20 digits, part of a longer serial
        f"账号：{_grouped(CARD16, ' ')} 1234",  # more groups follow: not one card
    ],
)
def test_not_bank_cards(text: str) -> None:
    assert hits(text) == []


def test_an_id_in_an_account_context_is_reported_as_id_only() -> None:
    assert kinds(f"账号：{ID}") == ["id_card"]


# --- other numbers -----------------------------------------------------------------------


def test_ordinary_numbers_are_not_leaks() -> None:
    text = (
        "赣府办字〔2024〕36号 2024年10月25日 2024-10-25 邮编：341700 "
        "金额 12,345,678.90 元 文号 20241025123456 序列号 202410251390797123456789 "
        "索引号 11360727014458745X/2024-00123 点击量 1234567 "
        "电话 0797-3521234 传真（0797）3521235 服务热线 12345"
    )
    assert hits(text) == []


def test_empty_text() -> None:
    assert hits("") == []


# --- table-like text, masking guarantees -------------------------------------------------

TABLE = (
    f"姓名 张三 身份证号 {ID} 联系电话 {MOBILE} 银行卡号 {CARD16} 保障人数 3\n"
    f"姓名 李四 身份证号 360727********2345 联系电话 139****5678 银行卡号 6222 **** **** 1234\n"
    f"姓名 王五 身份证号 {ID15} 联系电话 0797-3521234 开户行 农商银行 账号 {CARD19}"
)


def test_table_like_text() -> None:
    found = hits(TABLE)
    assert [h.kind for h in found] == ["id_card", "mobile", "bank_card", "id_card", "bank_card"]
    assert [TABLE[h.start : h.end] for h in found] == [ID, MOBILE, CARD16, ID15, CARD19]
    assert found[0].masked_value in found[0].context


def test_sample_portal_shaped_table() -> None:
    text = (
        "姓名\n身份证号\n联系电话\n保障人数\n"
        f"张某某\n{ID}\n{MOBILE}\n3\n"
        "李某某\n360727********2345\n139****5678\n2\n"
        "王某某\n360727********3456\n0797-3521234\n1\n"
        "公示期为7天。如有异议，请向市民政局反映，电话：0797-3521234。"
    )
    assert kinds(text) == ["id_card", "mobile"]


def test_duplicates_are_one_hit_per_occurrence() -> None:
    assert kinds(f"{MOBILE}，再次核对：{MOBILE}") == ["mobile", "mobile"]


def test_masked_value_and_context_never_contain_a_full_value() -> None:
    text = f"{TABLE}\n备注：{_grouped(CARD16, ' ')} 是卡号吗？卡号 {_grouped(CARD16, '-')} " * 2
    found = hits(text)
    assert len(found) == 12
    full_values = [ID, MOBILE, CARD16, ID15, CARD19]
    for hit in found:
        assert "*" in hit.masked_value
        for value in full_values:
            assert value not in hit.masked_value
            assert value not in re.sub(r"[^0-9]", "", hit.context)


def test_context_is_about_twenty_chars_either_side_and_single_line() -> None:
    text = "前" * 50 + f"\n身份证号：{ID}\n" + "后" * 50
    [hit] = hits(text)
    assert "\n" not in hit.context
    assert hit.context.startswith("前")
    assert hit.context.endswith("后")
    assert len(hit.context) <= 20 + 18 + 20
    assert f"身份证号：{hit.masked_value}" in hit.context


def test_context_swallows_a_neighbour_cut_by_the_window() -> None:
    # The mobile starts inside the ID's window but ends outside it: it is masked whole.
    text = f"身份证号 {ID} 电话号码是这个号码 {MOBILE}"
    id_hit = hits(text)[0]
    assert "139****1234" in id_hit.context
    assert "1390" not in id_hit.context


def test_gates_never_change_what_is_found(monkeypatch) -> None:
    """The gates only skip text where no number can start: on 4,000 random texts full
    of digits, separators, masks, keywords and amounts the hits are the same as with
    gates that let every pattern scan the whole text."""
    import random

    import detectors.personal_data as pd

    parts = [
        "11010519491231002X", "110105194912310021", "440524188001010014", "13812345678",
        "138 1234 5678", "138-1234-5678", "+86 13912345678", "8613912345678",
        "6222020200112233445", "6222 0202 0011 2233", "4111111111111111", "0797-1234567",
        "卡号", "银行卡号：", "信用代码", "13500000000元", "2024-06-01", "１３８１２３４５６７８",
        "　", " ", "-", ".", "*", "×", "A", "x", "号", "，", "\n", "1", "12", "1234", "9" * 20,
    ]  # fmt: skip
    open_gate = re.compile("")
    rng = random.Random(5)
    texts = ["".join(rng.choice(parts) for _ in range(rng.randint(1, 12))) for _ in range(4000)]
    gated = [pd.find_personal_data(t, today=date(2024, 6, 1)) for t in texts]
    for name in ("_ID_GATE", "_BANK_GATE", "_MOBILE_GATE"):
        monkeypatch.setattr(pd, name, open_gate)
    ungated = [pd.find_personal_data(t, today=date(2024, 6, 1)) for t in texts]
    assert gated == ungated
    assert sum(map(len, gated)) > 500  # the texts do hold numbers to find


def test_normalise_piecewise_equals_translate() -> None:
    """``normalise`` replaces a few characters one by one and translates many at once;
    both give ``str.translate``'s result."""
    import random

    import detectors.personal_data as pd

    alphabet = [chr(c) for c in pd._NORMALISE] + list("中文 1-a")
    rng = random.Random(2)
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200)))
        assert normalise(text) == text.translate(pd._NORMALISE)
