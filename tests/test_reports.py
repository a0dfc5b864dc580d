"""The reviewers' reports: what a controller opens in Excel, a browser or a script."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser

import openpyxl
import pytest
from conftest import GAPS, convert, needs_libreoffice

from toolkit.core.errors import OutputError
from toolkit.register.write import write_register
from toolkit.report import write_reports
from toolkit.report.html import render_html
from toolkit.validation.validate import validate_file


@pytest.fixture(scope="module")
def gaps_reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rapport")
    result = validate_file(GAPS)
    return result, write_reports(result, folder)


def test_excel_report_marks_cells_and_lists_findings(gaps_reports):
    result, paths = gaps_reports
    wb = openpyxl.load_workbook(paths.excel)
    assert wb.sheetnames[0] == "Bevindingen"
    assert wb.sheetnames[1:] == openpyxl.load_workbook(GAPS).sheetnames
    cell = wb["Pilots"]["C11"]
    assert cell.fill.start_color.rgb.endswith("FFC7CE")
    assert "Korte omschrijving' is leeg" in cell.comment.text
    assert "Nog niet bekend" in cell.comment.text
    warn = wb["Acties"]["D22"]
    assert warn.fill.start_color.rgb.endswith("FFEB9C")
    ws = wb["Bevindingen"]
    table = ws.tables["Bevindingen"]
    first_row = int(table.ref.split(":")[0][1:])
    rows = list(ws.iter_rows(min_row=first_row + 1, values_only=True))
    assert len(rows) == len(result.findings)
    links = {ws.cell(first_row + 1 + i, 5).hyperlink.location for i in range(len(rows))}
    assert "'Pilots'!C11" in links
    assert ws["A2"].value.startswith("Peildatum 01-04-2024: 8 fouten, 8 waarschuwingen")


def test_excel_report_never_turns_user_text_into_formulas(tmp_path):
    reg = tmp_path / "r.xlsx"
    write_register(
        reg,
        {"Pilots": [{"id": "P-1", "naam": '=HYPERLINK("http://x")', "programma": "+31"}]},
        settings={"peildatum": "1-4-2024"},
    )
    paths = write_reports(validate_file(reg), tmp_path / "rapport")
    wb = openpyxl.load_workbook(paths.excel)
    for row in wb["Bevindingen"].iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    assert wb["Pilots"]["B2"].data_type == "s"


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_html_report_is_self_contained_grouped_and_escaped(gaps_reports, tmp_path):
    result, paths = gaps_reports
    page = paths.html.read_text(encoding="utf-8")
    parser = _Text()
    parser.feed(page)
    text = " ".join(parser.text)
    assert 'lang="nl"' in page and "viewport" in page
    assert not any(tag in ("script", "link", "img") for tag, _ in parser.tags)
    assert "http" not in page
    findings = [a for t, a in parser.tags if "bevinding" in a.get("class", "")]
    assert len(findings) == len(result.findings)
    assert "P-010 Stille studieruimtes" in text
    assert "8 fouten" in text and "8 waarschuwingen" in text
    reg = tmp_path / "kwaad.xlsx"
    write_register(reg, {"Pilots": [{"id": "<script>alert(1)</script>", "naam": "a & b"}]})
    html = render_html(validate_file(reg))
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_json_report(gaps_reports):
    import json

    result, paths = gaps_reports
    data = json.loads(paths.json.read_text(encoding="utf-8"))
    assert data["sha256"] == result.register.sha256
    assert [(f["code"], f["tabblad"], f["cel"]) for f in data["bevindingen"]] == [
        (f.code, f.sheet, f.cell) for f in result.findings
    ]


def test_report_open_elsewhere_keeps_the_previous_one(tmp_path, monkeypatch):
    result = validate_file(GAPS)
    paths = write_reports(result, tmp_path)
    before = paths.html.read_bytes()

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("toolkit.core.output.os.replace", locked)
    with pytest.raises(OutputError, match="geopend in Excel of Word"):
        write_reports(result, tmp_path)
    assert paths.html.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [paths.html.name, paths.excel.name, paths.json.name]
    )


@needs_libreoffice
def test_excel_report_converts_in_libreoffice(gaps_reports, tmp_path):
    _, paths = gaps_reports
    out = convert(paths.excel, "pdf", tmp_path)
    assert out.stat().st_size > 1000


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium ontbreekt")
def test_html_report_in_a_real_browser(gaps_reports, tmp_path):
    result, paths = gaps_reports
    dom = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profiel'}",
            "--dump-dom",
            paths.html.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert dom.count('class="bevinding ') == len(result.findings)
    for f in result.findings:
        assert f.cell in dom


def test_the_summary_of_findings_shows_whole_codes(gaps_reports):
    """The summary above the table shares its columns: each code sits in the Code column,
    which is wide enough for the longest code the toolkit has."""
    from toolkit.declarations.findings import RULES_BY_CODE

    result, paths = gaps_reports
    ws = openpyxl.load_workbook(paths.excel)["Bevindingen"]
    assert [c.value for c in ws[4][:4]] == ["Aantal", "Ernst", "Code", "Wat"]
    summary = {}
    for row in ws.iter_rows(min_row=5, max_col=4, values_only=True):
        if row[0] is None:
            break
        summary[row[2]] = row[0]
    assert sum(summary.values()) == len(result.findings)
    assert set(summary) == {f.code for f in result.findings}
    table = next(iter(ws.tables.values()))
    assert ws.cell(int(table.ref.split(":")[0][1:]), 3).value == "Code"  # the same column
    assert ws.column_dimensions["C"].width >= max(len(code) for code in RULES_BY_CODE) + 1
