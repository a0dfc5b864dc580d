"""Reports of a comparison between two editions: Excel, HTML and JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from toolkit.core.output import atomic_write, atomic_write_text, ensure_dir
from toolkit.declarations.schema import TableSheet
from toolkit.register.diff import Change, DiffResult, FieldChange, WordChange


@dataclass(frozen=True)
class DiffPaths:
    excel: Path
    html: Path
    json: Path


def diff_data(result: DiffResult) -> dict[str, object]:
    def change(c: Change) -> dict[str, object]:
        return {
            "soort": c.kind,
            "tabblad": c.sheet,
            "id": c.ident,
            "naam": c.name,
            "gekoppeld": c.matched_label,
            "oude_rij": c.old.row if c.old else None,
            "nieuwe_rij": c.new.row if c.new else None,
            "waarschuwing": c.warning,
            "velden": [
                {
                    "veld": f.key,
                    "label": f.label,
                    "oud": f.old,
                    "nieuw": f.new,
                    "woorden": [{"op": w.op, "tekst": w.text} for w in f.words],
                }
                for f in c.fields
            ],
        }

    return {
        "oud": result.old.path.name,
        "nieuw": result.new.path.name,
        "aantallen": {sheet.name: result.counts(sheet.name) for sheet in result.sheets},
        "wijzigingen": [change(c) for c in result.changes if c.kind != "ongewijzigd"],
    }


def render_diff_html(result: DiffResult) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("toolkit.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    css = files("toolkit.report").joinpath("templates", "verschillen.css").read_text(encoding="utf-8")
    return env.get_template("verschillen.html").render(css=css, **diff_context(result))


def diff_context(result: DiffResult) -> dict[str, object]:
    """What `_verschillen.html` needs (the report and the web application share it)."""
    return {"result": result, "sheets": [s.name for s in result.sheets]}


def _rich(ws, row: int, col: int, words: list[WordChange], fmt: dict) -> None:  # type: ignore[no-untyped-def]
    parts: list[object] = []
    for word in words:
        style = {"weg": fmt["weg"], "erbij": fmt["erbij"]}.get(word.op)
        text = word.text + " "
        parts += [style, text] if style else [text]
    if len(parts) < 3:  # xlsxwriter wants at least two fragments for rich text
        ws.write_string(row, col, "".join(w.text for w in words), fmt["wrap"])
    else:
        ws.write_rich_string(row, col, *parts, fmt["wrap"])


def _row_headers(sheet: TableSheet) -> list[str]:
    """The declared key and name columns' own labels ('Nummer', 'Titel'), as the register
    heads them; 'ID' and 'Naam' where a label would repeat another header of the table."""
    fixed = {"soort", "gekoppeld", "veld", "verschil", "oud", "nieuw", "waarschuwing"}
    key = sheet.column(sheet.key_column).label
    name = sheet.column(sheet.name_column).label
    if key.casefold() in fixed or name.casefold() in fixed or key.casefold() == name.casefold():
        return ["ID", "Naam"]
    return [key, name]


def write_diff_excel(result: DiffResult, path: Path) -> Path:
    import xlsxwriter

    def write(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(
            str(tmp), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
        )
        fmt = {
            "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
            "bold": wb.add_format({"bold": True}),
            "weg": wb.add_format({"font_strikeout": True, "font_color": "#C00000"}),
            "erbij": wb.add_format({"underline": True, "font_color": "#006100"}),
        }
        ws = wb.add_worksheet("Overzicht")
        ws.set_column(0, 0, 14)
        ws.set_column(1, 4, 14)
        ws.write_string(0, 0, f"Verschillen {result.old.path.name} → {result.new.path.name}", fmt["bold"])
        ws.write_row(2, 0, ["Tabblad", "Nieuw", "Vervallen", "Gewijzigd", "Ongewijzigd"], fmt["bold"])
        for r, sheet in enumerate(result.sheets, start=3):
            counts = result.counts(sheet.name)
            ws.write_string(r, 0, sheet.name)
            ws.write_row(r, 1, [counts[kind] for kind in ("nieuw", "vervallen", "gewijzigd", "ongewijzigd")])
        for sheet in result.sheets:
            ws = wb.add_worksheet(sheet.name)
            headers = [
                "Soort",
                *_row_headers(sheet),
                "Gekoppeld",
                "Veld",
                "Verschil",
                "Oud",
                "Nieuw",
                "Waarschuwing",
            ]
            widths = [11, 9, 30, 16, 22, 60, 40, 40, 40]
            for i, width in enumerate(widths):
                ws.set_column(i, i, width, fmt["wrap"])
            row = 1
            for c in result.changes:
                if c.sheet != sheet.name or c.kind == "ongewijzigd":
                    continue
                base = [c.kind, c.ident, c.name, c.matched_label]
                fields: list[FieldChange | None] = list(c.fields) or [None]
                for f in fields:
                    for i, value in enumerate(base):
                        ws.write_string(row, i, value, fmt["wrap"])
                    if f is not None:
                        ws.write_string(row, 4, f.label, fmt["wrap"])
                        _rich(ws, row, 5, f.words, fmt)
                        ws.write_string(row, 6, f.old, fmt["wrap"])
                        ws.write_string(row, 7, f.new, fmt["wrap"])
                    ws.write_string(row, 8, c.warning, fmt["wrap"])
                    row += 1
            ws.add_table(
                0,
                0,
                max(row - 1, 1),
                len(headers) - 1,
                {
                    "name": f"Verschillen{sheet.name}",
                    "columns": [{"header": h} for h in headers],
                    "style": "Table Style Light 9",
                },
            )
            ws.freeze_panes(1, 0)
        wb.close()

    return atomic_write(path, write, protect=(result.old.path, result.new.path))


def write_diff_reports(result: DiffResult, report_dir: Path) -> DiffPaths:
    ensure_dir(report_dir)
    stem = f"verschillen_{result.old.path.stem}_{result.new.path.stem}"
    paths = DiffPaths(report_dir / f"{stem}.xlsx", report_dir / f"{stem}.html", report_dir / f"{stem}.json")
    atomic_write_text(paths.json, json.dumps(diff_data(result), ensure_ascii=False, indent=2) + "\n")
    atomic_write_text(paths.html, render_diff_html(result))
    write_diff_excel(result, paths.excel)
    return paths
