"""Scenario.report: the same bytes as `detente report`, Markdown with its
figures, atomic writes."""

import os

import pytest

from conftest import LAPTOP


def test_html_is_the_clis(cli, laptop, tmp_path):
    ours = tmp_path / "ours.html"
    theirs = tmp_path / "theirs.html"
    assert laptop.report(ours) == str(ours)
    cli("report", str(LAPTOP), "-o", str(theirs), parse=False)
    assert ours.read_bytes() == theirs.read_bytes()
    assert ours.read_text().startswith("<!DOCTYPE html>")
    # Nothing left behind but the report.
    assert sorted(os.listdir(tmp_path)) == ["ours.html", "theirs.html"]


def test_markdown_writes_its_figures_beside_it(laptop, tmp_path):
    out = tmp_path / "laptop.md"
    laptop.report(out)
    text = out.read_text()
    figures = sorted(p.name for p in tmp_path.glob("laptop-*.svg"))
    assert figures, "no figure written"
    for name in figures:
        assert name in text
    forced = tmp_path / "report.txt"
    laptop.report(forced, format="md")
    assert forced.read_text().startswith("# ")


def test_edits_and_errors(laptop, tmp_path):
    with pytest.raises(OSError, match="does not exist"):
        laptop.report(tmp_path / "missing" / "r.html")
    with pytest.raises(ValueError, match="format"):
        laptop.report(tmp_path / "r.html", format="pdf")
    with pytest.raises(ValueError, match="did you mean"):
        laptop.report(tmp_path / "r.html", set={"laptop_buyer_utilty.reservation": 0.5})
    out = tmp_path / "r.html"
    laptop.report(out, set={"laptop_buyer_utility.reservation": 0.9})
    assert out.stat().st_size > 0
