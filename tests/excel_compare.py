"""Compare two annotated Excel copies cell by cell, as a reviewer would see them."""

from __future__ import annotations

import warnings
from io import BytesIO


def _fill(cell) -> str | None:  # type: ignore[no-untyped-def]
    fill = cell.fill
    if fill is None or fill.patternType != "solid":
        return None
    return str(fill.fgColor.rgb)[-6:]


def snapshot(content: bytes) -> dict:
    """Everything of a workbook the report is about, in plain values."""
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = load_workbook(BytesIO(content))
    shot: dict = {"sheets": workbook.sheetnames, "active": workbook.active.title}
    for ws in workbook.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for cell in row:
                value = None if cell.value == "" else cell.value
                comment = cell.comment.text if cell.comment else None
                fill = _fill(cell)
                if value is None and comment is None and fill is None:
                    continue
                font = cell.font
                cells[cell.coordinate] = (
                    value,
                    fill,
                    comment,
                    cell.number_format,
                    bool(font.b),
                    font.sz if ws.title == "Bevindingen" else None,
                    str(font.color.rgb)[-6:]
                    if font.color is not None and font.color.rgb and isinstance(font.color.rgb, str)
                    else None,
                    bool(cell.alignment.wrap_text),
                    cell.border.left.style,
                )
        shot[ws.title] = {
            "cells": cells,
            "validations": sorted(
                (str(dv.sqref), dv.type, dv.formula1, dv.prompt, dv.error)
                for dv in ws.data_validations.dataValidation
            ),
            "conditional": sorted(
                (str(rng.sqref), [(r.type, r.formula, r.operator) for r in rules])
                for rng, rules in ws.conditional_formatting._cf_rules.items()
            ),
            "tables": sorted(
                (
                    t.displayName,
                    t.ref,
                    [c.name for c in t.tableColumns],
                    t.tableStyleInfo.name if t.tableStyleInfo else None,
                )
                for t in ws.tables.values()
            ),
            "links": sorted((h.ref, h.location, h.tooltip) for h in ws._hyperlinks)
            if hasattr(ws, "_hyperlinks")
            else [],
            "freeze": ws.freeze_panes,
            "widths": {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth},
        }
    shot["names"] = sorted((n, str(d.attr_text)) for n, d in workbook.defined_names.items())
    return shot
