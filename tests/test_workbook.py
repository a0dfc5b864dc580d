"""The register template: generated from the schema, and what Excel users get."""

from __future__ import annotations

import bundled
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import TEMPLATE, needs_libreoffice

from toolkit.cli import cli
from toolkit.declarations import schema
from toolkit.register.write import write_register, write_template


def _structure(path):
    wb = openpyxl.load_workbook(path)
    out = {"sheets": wb.sheetnames, "names": sorted(wb.defined_names.keys())}
    for ws in wb.worksheets:
        out[ws.title] = {
            "headers": [c.value for c in ws[1]],
            "validations": sorted(
                (str(dv.sqref), dv.type, dv.formula1, dv.promptTitle, dv.prompt)
                for dv in ws.data_validations.dataValidation
            ),
            "tables": sorted((t.name, t.ref) for t in ws.tables.values()),
            "conditional": sorted(str(r.sqref) for r in ws.conditional_formatting),
            "freeze": ws.freeze_panes,
            "formats": sorted((key, d.number_format) for key, d in ws.column_dimensions.items()),
            "values": [[c.value for c in row] for row in ws.iter_rows(max_row=40)],
            "print": (
                ws.page_setup.orientation,
                ws.page_setup.paperSize,
                ws.page_setup.fitToWidth,
                ws.page_setup.fitToHeight,
                ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None,
                ws.print_title_rows,
            ),
            "heights": {r: d.height for r, d in ws.row_dimensions.items() if d.height},
        }
    return out


def test_committed_template_matches_schema(tmp_path):
    fresh = write_template(tmp_path / "fresh.xlsx")
    assert _structure(TEMPLATE) == _structure(fresh)


def test_template_has_what_officers_need():
    wb = openpyxl.load_workbook(TEMPLATE)
    assert wb.sheetnames == list(schema.SHEET_ORDER)
    for sheet in schema.TABLE_SHEETS:
        ws = wb[sheet.name]
        assert [c.value for c in ws[1]] == [c.label for c in sheet.columns]
        assert list(ws.tables.keys()) == [sheet.table_name]
        assert ws.freeze_panes == "B2"
        prompts = {str(dv.sqref).split(":")[0][:-1]: dv for dv in ws.data_validations.dataValidation}
        assert len(prompts) == len(sheet.columns), "an input message on every column"
        for index, col in enumerate(sheet.columns):
            dv = prompts[openpyxl.utils.get_column_letter(index + 1)]
            assert dv.prompt == col.help
            if col.vocabulary:
                assert dv.type == "list"
                assert dv.formula1 == f"Lijst_{col.vocabulary}"
            width = next(d.width for d in ws.column_dimensions.values() if d.min <= index + 1 <= d.max)
            assert width and width >= col.width
        required_letters = {
            openpyxl.utils.get_column_letter(sheet.columns.index(c) + 1) for c in sheet.required
        }
        marked = {str(r.sqref)[0] for r in ws.conditional_formatting}
        assert required_letters == marked
    lists = wb[schema.LISTS_SHEET]
    # each list, and beside a list whose values have roles the column that says which
    assert [c.value for c in lists[1]] == [
        label for v in schema.VOCABULARIES for label in (v.label, *([v.role_label] if v.roles else []))
    ]
    assert wb.defined_names["Lijst_status"].attr_text.startswith("Lijsten!$")
    settings = wb[schema.SETTINGS_SHEET]
    assert [settings.cell(r + 2, 1).value for r in range(len(schema.SETTINGS))] == [
        s.label for s in schema.SETTINGS
    ]
    text = "\n".join(str(c.value) for c in wb[schema.INSTRUCTIONS_SHEET]["A"] if c.value)
    for col in bundled.PILOTS.columns:
        assert col.label in text
    assert "4de kwartaal 2024" in text and "Nog niet bekend" in text


def test_help_texts_fit_excel_limits():
    for sheet in schema.TABLE_SHEETS:
        for col in sheet.columns:
            assert len(col.help) <= 255, col.key
    for s in schema.SETTINGS:
        assert len(s.help) <= 255


def test_user_text_is_never_a_formula(tmp_path):
    path = write_register(
        tmp_path / "r.xlsx", tables={"Pilots": [{"id": "P-1", "naam": "=1+1", "omschrijving": "@SOM(A1)"}]}
    )
    ws = openpyxl.load_workbook(path)["Pilots"]
    assert ws["B2"].value == "=1+1" and ws["B2"].data_type == "s"
    assert ws["C2"].data_type == "s"


def test_init_writes_a_fresh_register_and_refuses_to_overwrite(tmp_path):
    target = tmp_path / "nieuw.xlsx"
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert _structure(target) == _structure(TEMPLATE)
    before = target.read_bytes()
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code == 2
    assert "bestaat al" in result.output
    assert target.read_bytes() == before


@pytest.mark.parametrize("name", ["nieuw.xls", "nieuw.csv"])
def test_init_wants_xlsx(tmp_path, name):
    result = CliRunner().invoke(cli, ["init", str(tmp_path / name)])
    assert result.exit_code == 2
    assert ".xlsx" in result.output


def _register(tmp_path, **kwargs):
    path = write_register(tmp_path / "register.xlsx", **kwargs)
    return openpyxl.load_workbook(path)


def test_every_sheet_prints_on_a4_landscape_one_page_wide_with_its_header(tmp_path):
    """The empty register printed as 27 pages: columns beyond the page, no repeated
    header. Now A4 landscape, fit to the width, the header row on every page."""
    wb = openpyxl.load_workbook(TEMPLATE)
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape", ws.title
        assert str(setup.paperSize) == "9", ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (setup.fitToWidth, setup.fitToHeight) in ((None, 0), (1, 0)), ws.title
        if ws.title != schema.INSTRUCTIONS_SHEET:
            assert ws.print_title_rows == "$1:$1", ws.title


def test_instruction_rows_with_wrapped_text_have_heights_for_their_lines():
    """LibreOffice does not size a wrapped row when it opens the file: every Instructies
    row longer than one line has an explicit height, enough for its lines."""
    from toolkit.register.write import CHARS_PER_WIDTH, LINE_POINTS

    wb = openpyxl.load_workbook(TEMPLATE)
    ws = wb[schema.INSTRUCTIONS_SHEET]
    width = ws.column_dimensions["A"].width
    checked = 0
    for (cell,) in ws.iter_rows(max_col=1):
        text = str(cell.value or "")
        if cell.font.sz and cell.font.sz > 11:
            continue
        needed = -(-len(text) // int(width * CHARS_PER_WIDTH * 1.2))  # at least these lines
        height = ws.row_dimensions[cell.row].height
        if needed > 1:
            checked += 1
            assert height and height >= needed * LINE_POINTS, (cell.row, text[:40])
            assert ws.row_dimensions[cell.row].customHeight
        elif len(text) < width:
            assert not height, (cell.row, text[:40])  # one line: the default height
    assert checked >= 3


@needs_libreoffice
def test_the_empty_register_prints_in_a_few_pages_in_libreoffice(tmp_path):
    import shutil
    import subprocess

    from toolkit.build.pdf import soffice_path

    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo ontbreekt")
    copy = tmp_path / "register.xlsx"
    copy.write_bytes(TEMPLATE.read_bytes())
    subprocess.run(
        [
            soffice_path(),
            f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(copy),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "register.pdf")], capture_output=True, text=True, check=True
    ).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))
    assert pages <= 8, pages  # one or two per sheet; 21 before the print setup
