"""Unmasked personal numbers in published text: resident IDs, mobiles, bank cards.

Recipient lists (低保, 救助, 补贴, 公示) must mask these (``360727********1234``,
``138****1234``). These pure functions find the values that were *not* masked. Precision
matters more than recall, because every hit becomes a "high" finding against a portal:

* an ID needs a valid GB 11643 check digit, a real province code and a real birth date,
  so serial numbers, unified social credit codes and typos are not reported;
* a mobile needs an allocated 13x–19x prefix; landlines start with 0, 400/800 numbers
  are 10 digits, so neither can match;
* a bank card needs the Luhn check *and* a 卡号/账号 keyword just before it: one in ten
  random 16–19 digit order numbers passes Luhn, so the keyword is what makes it a card.

Every candidate must stand alone (no digit, letter or mask character glued to it): a
value inside a 20+ digit serial, a credit code or a half-masked value is not a leak.
A hit never carries the full value: ``masked_value`` and ``context`` are safe to store
and show, and ``context`` masks every other hit that falls inside it as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

CONTEXT_CHARS = 20
# A bank card keyword must end within this many characters before the number.
BANK_KEYWORD_GAP = 12
# A credit-code keyword this close before a number makes it an organisation's code.
ORG_KEYWORD_GAP = 12

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}
)
EARLIEST_BIRTH = date(1900, 1, 1)


@dataclass(frozen=True)
class PersonalDataHit:
    """One unmasked value: where it is, and safe-to-show forms of it."""

    kind: str  # "id_card" | "mobile" | "bank_card"
    start: int  # offsets into the text given to find_personal_data
    end: int
    masked_value: str
    context: str


# Full-width and look-alike characters mapped one-to-one, so that offsets found in the
# normalised text are offsets into the original text.
_NORMALISE = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
        **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
        "\uff0b": "+",
        "\uff0d": "-",
        "\uff0a": "*",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u3000": " ",
        "\u00a0": " ",
    }
)

# Nothing alphanumeric or masking (*, ×) glued on, and not part of a decimal number.
_BEFORE = r"(?<![0-9A-Za-z*×])(?<![0-9]\.)"
_AFTER = r"(?![0-9A-Za-z*×])(?!\.[0-9])"

_ID18_RE = re.compile(_BEFORE + r"([0-9]{17}[0-9Xx])" + _AFTER)
_ID15_RE = re.compile(_BEFORE + r"([0-9]{15})" + _AFTER)

# Allocated mobile prefixes (the 13-digit IoT ranges 140–144 and unused 154, 194 left out).
_MOBILE_PREFIX = r"1(?:3[0-9]|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8[0-9]|9[0-35-9])"
# Not an amount: 13500000000元 is money, not a phone.
_NOT_AMOUNT = r"(?!\s*(?:元|万|亿|千|百|美元|人民币))"
_MOBILE_RE = re.compile(
    _BEFORE
    + r"(?:\+?86[ -]?|(?<![0-9]-))"  # a country code, or not the tail of 0797-…
    + r"(?P<number>"
    + _MOBILE_PREFIX
    + r"(?:[0-9]{8}|(?P<sep>[ -])[0-9]{4}(?P=sep)[0-9]{4}))"
    + r"(?!-[0-9])"
    + _AFTER
    + _NOT_AMOUNT
)

_BANK_RE = re.compile(
    _BEFORE
    + r"(?<![0-9][ -])"
    + r"(?P<number>[0-9]{16,19}"
    + r"|[0-9]{4}(?P<sep>[ -])[0-9]{4}(?P=sep)[0-9]{4}(?P=sep)[0-9]{4}(?:(?P=sep)[0-9]{1,3})?)"
    + r"(?![ -][0-9])"
    + _AFTER
)
# Every match's number begins with one of these. They start with a character class or
# a literal, which ``re`` skips to in C; the full patterns start with lookbehinds and are
# tried at every position of the text (three quarters of this module's time on pages
# whose only numbers are a date and the footer's phone). So each full pattern is run
# from its gate's first match on: no match can start earlier (the mobile pattern's
# "+86 " is at most ``_MOBILE_LEAD`` characters before its number).
_ID_GATE = re.compile(r"[0-9]{15}")
_BANK_GATE = re.compile(r"[0-9]{4}[ -]?[0-9]{4}")
_MOBILE_GATE = re.compile(r"1[0-9]{2}[ -]?[0-9]{4}")
_MOBILE_LEAD = 4

_BANK_KEYWORD_RE = re.compile(
    r"银行卡|卡号|账号|帐号|银行账户|银行帐户|收款账户|收款帐户|开户行|开户银行|"
    r"存折|折号|一卡通|社保卡|社会保障卡"
)
_BANK_KEYWORD_MAX = 5  # longest keyword above
_ORG_KEYWORD_RE = re.compile(r"信用代码|组织机构代码|机构代码|纳税人识别号|税号|注册号|执照号")
_ORG_KEYWORD_MAX = 6


_TO_NORMALISE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_NORMALISE)) + "]")
PIECEWISE_MAX = 64  # more characters to map than this: one str.translate is cheaper


def normalise(text: str) -> str:
    """Full-width digits, letters and dashes as ASCII, same length (offsets stay valid).

    ``str.translate`` walks a non-ASCII text character by character through the table
    (~45 MB/s); most pages hold only a few characters to map (an indent's 　), found by
    one class search (C, bitmap) and replaced one by one."""
    positions: list[int] = []
    for m in _TO_NORMALISE.finditer(text):
        positions.append(m.start())
        if len(positions) > PIECEWISE_MAX:
            return text.translate(_NORMALISE)
    if not positions:
        return text
    pieces: list[str] = []
    prev = 0
    for pos in positions:
        pieces.append(text[prev:pos])
        pieces.append(_NORMALISE[ord(text[pos])])
        prev = pos + 1
    pieces.append(text[prev:])
    return "".join(pieces)


def id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of a resident ID."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check every bank card number carries."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char)
        if i % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _birth_date(year: int, month: int, day: int, today: date) -> date | None:
    try:
        born = date(year, month, day)
    except ValueError:
        return None
    return born if EARLIEST_BIRTH <= born <= today else None


def is_resident_id(value: str, today: date | None = None) -> bool:
    """An 18-digit (check digit) or 15-digit (1900s birth) ID with real region and date."""
    today = today or date.today()
    value = value.upper()
    if int(value[:2]) not in PROVINCE_CODES:
        return False
    if len(value) == 18:
        if not value[:17].isdigit() or id_check_char(value[:17]) != value[17]:
            return False
        year, month, day = int(value[6:10]), int(value[10:12]), int(value[12:14])
    elif len(value) == 15 and value.isdigit():
        year, month, day = 1900 + int(value[6:8]), int(value[8:10]), int(value[10:12])
    else:
        return False
    return _birth_date(year, month, day, today) is not None


def mask_id(value: str) -> str:
    """First 3 and last 4 kept, length preserved: not even the county is shown."""
    value = value.upper()
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_mobile(digits: str) -> str:
    """The usual published form, 138****1234."""
    return digits[:3] + "****" + digits[-4:]


def mask_bank_card(digits: str) -> str:
    """First and last 4 kept, the middle starred in groups of 4: 6222 **** **** 1234."""
    middle = "*" * (len(digits) - 8)
    groups = [digits[:4]] + [middle[i : i + 4] for i in range(0, len(middle), 4)]
    return " ".join([*groups, digits[-4:]])


def _keyword_before(
    text: str, start: int, pattern: re.Pattern[str], gap: int, longest: int
) -> bool:
    """Whether a keyword ends at most ``gap`` characters before ``start``."""
    lo = max(0, start - gap - longest)
    return any(m.end() >= start - gap for m in pattern.finditer(text, lo, start))


def _org_code_context(text: str, start: int) -> bool:
    return _keyword_before(text, start, _ORG_KEYWORD_RE, ORG_KEYWORD_GAP, _ORG_KEYWORD_MAX)


def _gate(gate: re.Pattern[str], text: str, lead: int = 0) -> int | None:
    """Where the full pattern may first match (``None``: nowhere in ``text``)."""
    first = gate.search(text)
    return None if first is None else max(0, first.start() - lead)


def _id_candidates(text: str, today: date) -> Iterator[tuple[str, int, int, str]]:
    start = _gate(_ID_GATE, text)
    if start is None:
        return
    for pattern in (_ID18_RE, _ID15_RE):
        for match in pattern.finditer(text, start):
            value = match.group(1)
            if is_resident_id(value, today) and not _org_code_context(text, match.start(1)):
                yield "id_card", match.start(1), match.end(1), mask_id(value)


def _mobile_candidates(text: str) -> Iterator[tuple[str, int, int, str]]:
    start = _gate(_MOBILE_GATE, text, _MOBILE_LEAD)
    if start is None:
        return
    for match in _MOBILE_RE.finditer(text, start):
        digits = re.sub(r"[ -]", "", match.group("number"))
        yield "mobile", match.start("number"), match.end("number"), mask_mobile(digits)


def _bank_candidates(text: str) -> Iterator[tuple[str, int, int, str]]:
    start = _gate(_BANK_GATE, text)
    if start is None:
        return
    for match in _BANK_RE.finditer(text, start):
        start, end = match.start("number"), match.end("number")
        digits = re.sub(r"[ -]", "", match.group("number"))
        if not luhn_valid(digits) or _org_code_context(text, start):
            continue
        if _keyword_before(text, start, _BANK_KEYWORD_RE, BANK_KEYWORD_GAP, _BANK_KEYWORD_MAX):
            yield "bank_card", start, end, mask_bank_card(digits)


def _context(original: str, spans: list[tuple[int, int, str]], index: int, chars: int) -> str:
    """About ``chars`` either side of span ``index``, every hit in it replaced by its mask.

    The window grows to swallow a neighbouring hit it cuts, so no partial value of
    another person's number leaks through the edge of the window.
    """
    start, end, _ = spans[index]
    lo, hi = max(0, start - chars), min(len(original), end + chars)
    inside = []
    for s, e, masked in spans:
        if s < hi and e > lo:
            lo, hi = min(lo, s), max(hi, e)
            inside.append((s, e, masked))
    pieces, pos = [], lo
    for s, e, masked in inside:
        pieces += [original[pos:s], masked]
        pos = e
    pieces.append(original[pos:hi])
    return re.sub(r"\s+", " ", "".join(pieces)).strip()


def find_personal_data(text: str, *, today: date | None = None) -> list[PersonalDataHit]:
    """Every unmasked ID, mobile and bank card number in ``text``, in text order.

    One hit per occurrence. IDs are claimed first, so a valid ID is never also reported
    as a bank card; ``today`` bounds plausible birth dates (tests pin it).
    """
    if not text:
        return []
    norm = normalise(text)
    taken: list[tuple[str, int, int, str]] = []
    for candidates in (
        _id_candidates(norm, today or date.today()),
        _bank_candidates(norm),
        _mobile_candidates(norm),
    ):
        for cand in candidates:
            if not any(cand[1] < t[2] and t[1] < cand[2] for t in taken):
                taken.append(cand)
    taken.sort(key=lambda c: c[1])
    spans = [(start, end, masked) for _, start, end, masked in taken]
    return [
        PersonalDataHit(kind, start, end, masked, _context(text, spans, i, CONTEXT_CHARS))
        for i, (kind, start, end, masked) in enumerate(taken)
    ]
