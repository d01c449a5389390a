"""The notice files in the output directory: one set per unit whatever its name, and a
clean-up that deletes only what govwatch wrote there for the site."""

from __future__ import annotations

import json

from click.testing import CliRunner
from docx import Document

from govwatch.cli import cli
from reports.notices import notice_stems
from tests.report_db import Spec, build, sample_specs


def run(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def one_finding(unit: str, status: str = "open") -> Spec:
    history = [("2024-11-25", None, "open")]
    if status == "fixed":
        history.append(("2024-11-25", "open", "fixed"))
    return Spec("broken_link", unit, "medium", f"/{len(unit)}/{unit}", f"{unit} 的死链", history)


def notice_units(out) -> dict[str, str]:
    """Each notice .docx in ``out`` → the unit it is addressed to (its "单位：" line)."""
    found = {}
    for path in sorted(out.glob("整改通知-*.docx")):
        lines = [p.text for p in Document(str(path)).paragraphs if p.text]
        found[path.name] = lines[2].removesuffix("：")
    return found


def test_units_whose_names_sanitise_alike_get_their_own_notices(sqlite_url, tmp_path):
    """``a/b`` and ``a:b`` both became ``整改通知-a_b``, ``市 司法局`` and ``市_司法局`` both
    ``整改通知-市_司法局``: the later overwrote the earlier while the summary counted both."""
    units = ["a/b", "a:b", "市 司法局", "市_司法局", "市政府办"]
    build(sqlite_url, [one_finding(u) for u in units]).dispose()
    out = tmp_path / "out"
    printed = run("report", "notices", "--out", str(out), "--db", sqlite_url)
    assert "已生成 5 个单位的整改通知（15 个文件）" in printed
    assert len(list(out.glob("整改通知-*"))) == 15
    assert sorted(notice_units(out).values()) == sorted(units)
    assert (out / "整改通知-市_司法局.docx").is_file()  # the name as written is kept
    assert (out / "整改通知-市政府办.xlsx").is_file()


def test_stems_never_meet_even_ignoring_case():
    stems = notice_stems(["ABC", "abc", "a/b", "a_b", "a b", "", "..."])
    assert len({s.casefold() for s in stems.values()}) == 7
    assert stems["a_b"] == "整改通知-a_b"
    assert (
        stems["a/b"].startswith("整改通知-a_b-") and len(stems["a/b"]) == len("整改通知-a_b-") + 6
    )


def test_cleaning_deletes_only_what_govwatch_wrote_for_the_site(tmp_path):
    """The directory holds an operator's own file named like a notice, another site's
    notices, and this site's notice of a unit that has since fixed everything: only
    the last goes."""
    out = tmp_path / "notices"
    out.mkdir()
    operator = out / "整改通知-领导批示.docx"
    operator.write_bytes(b"not govwatch's")

    other = f"sqlite:///{tmp_path / 'other.db'}"
    build(other, [one_finding("县教育局")], site="other").dispose()
    run("report", "notices", "--out", str(out), "--db", other)
    assert (out / "整改通知-县教育局.docx").is_file()

    before = f"sqlite:///{tmp_path / 'before.db'}"
    build(before, [one_finding("市政府办"), one_finding("市司法局")]).dispose()
    run("report", "notices", "--out", str(out), "--db", before)
    assert (out / "整改通知-市司法局.docx").is_file()

    after = f"sqlite:///{tmp_path / 'after.db'}"
    build(after, [one_finding("市政府办"), one_finding("市司法局", "fixed")]).dispose()
    printed = run("report", "notices", "--out", str(out), "--db", after)
    assert "已删除不再有待整改问题的旧通知：整改通知-市司法局.docx" in printed
    assert not list(out.glob("整改通知-市司法局.*"))
    assert operator.read_bytes() == b"not govwatch's"
    for suffix in (".docx", ".html", ".xlsx"):
        assert (out / f"整改通知-县教育局{suffix}").is_file()
        assert (out / f"整改通知-市政府办{suffix}").is_file()
    manifest = json.loads((out / ".govwatch-notices-longnan.json").read_text(encoding="utf-8"))
    assert manifest["site"] == "longnan"
    assert manifest["files"] == sorted(f"整改通知-市政府办{s}" for s in (".docx", ".html", ".xlsx"))


def test_a_unit_two_sites_share_is_left_to_the_other_site(tmp_path):
    out = tmp_path / "notices"
    other = f"sqlite:///{tmp_path / 'other.db'}"
    build(other, [one_finding("市政府办")], site="other").dispose()
    run("report", "notices", "--out", str(out), "--db", other)
    mine = f"sqlite:///{tmp_path / 'mine.db'}"
    build(mine, [one_finding("市政府办")]).dispose()
    result = CliRunner().invoke(cli, ["report", "notices", "--out", str(out), "--db", mine])
    assert "注意：整改通知-市政府办.docx 也是站点 other 的整改通知" in result.output
    fixed = f"sqlite:///{tmp_path / 'fixed.db'}"
    build(fixed, [one_finding("市政府办", "fixed")]).dispose()
    run("report", "notices", "--out", str(out), "--db", fixed)
    assert (out / "整改通知-市政府办.docx").is_file()  # still the other site's notice


def test_sample_reports_keep_their_plain_names(sqlite_url, tmp_path):
    build(sqlite_url, sample_specs()).dispose()
    run("report", "notices", "--out", str(tmp_path), "--db", sqlite_url)
    assert {p.name for p in tmp_path.glob("整改通知-*.docx")} == {
        "整改通知-市政府办.docx",
        "整改通知-市融媒体中心.docx",
    }
