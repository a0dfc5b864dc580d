"""The cross-tab: rows from one column, columns from another, in each cell the values of a
third column (on their declared colours) or the number of records (the "matrix per
wijk" of many council annexes). Many columns get smaller type; too many for the page
turn it to landscape in Word and let it scroll on the web.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from toolkit.core.blocks import Cell, Table, Text, cell
from toolkit.core.richtext import plain_line
from toolkit.declarations.elements import Context, Element, Row, values_in_order
from toolkit.declarations.model import normalise
from toolkit.declarations.rulekinds import Param, ParamType

DESCRIPTION = "Kruistabel: elke rij is een {rows}, elke kolom een {columns}; een cel geeft {cells}."
#: more value columns than this: narrower columns, smaller type
MANY = 5


def _block(values: Mapping[str, object], records: Sequence[Row], context: Context, caption: str) -> Table:
    sheet, lists = context.sheet, context.lists
    row_col = sheet.column(str(values["rijen"]))
    col_col = sheet.column(str(values["kolommen"]))
    cell_col = sheet.column(str(values["cellen"])) if values.get("cellen") else None
    rows = values_in_order(records, row_col.key, sheet, lists)
    columns = values_in_order(records, col_col.key, sheet, lists)
    if not rows or not columns:
        rows, columns = [], []
    found: dict[tuple[str, str], list[Row]] = {}
    for record in records:
        key = (
            normalise(plain_line(record.text(row_col.key))),
            normalise(plain_line(record.text(col_col.key))),
        )
        found.setdefault(key, []).append(record)
    listed = cell_col is not None and cell_col.kind.traits.listed
    vocabulary = (cell_col.vocabulary or "") if cell_col is not None else ""

    def value(text: str) -> Text:
        """A value in a cell: a list value bold on its declared colour; "–" for none."""
        if not listed or text == "–":
            return Text(text)
        return Text(text, bold=True, colour=context.colour(vocabulary, text))

    out = []
    for r in rows:
        line = [cell(r, bold=True)]
        for c in columns:
            here = found.get((normalise(r), normalise(c)), [])
            if cell_col is None:
                line.append(cell(str(len(here)), numeric=True))
                continue
            texts = [t for x in here if (t := plain_line(x.text(cell_col.key)).strip())] or ["–"]
            line.append(Cell(tuple(value(text) for text in texts)))
        out.append(tuple(line))
    what = (
        f"de {cell_col.label.lower()} van de records in die rij en kolom"
        if cell_col
        else "het aantal records in die rij en kolom"
    )
    return Table(
        "kruistabel",
        caption or str(values["kop"]),
        DESCRIPTION.format(rows=row_col.label.lower(), columns=col_col.label.lower(), cells=what),
        (row_col.label, *columns),
        tuple(out),
        (3 if len(columns) <= MANY else 2, *([2] * len(columns))),
        row_headers=True,
        compact=len(columns) > MANY,
        may_turn=True,
    )


ELEMENT = Element(
    "kruistabel",
    "Een tabel met rijen uit de ene kolom en kolommen uit de andere.",
    "De kruistabel ([indeling.kruistabel] in de verklaring); zonder deze tag staat hij vóór de kaarten.",
    (
        Param(
            "rijen",
            ParamType.COLUMN,
            "De kolom waarvan de waarden de rijen zijn.",
            required=True,
            example="wijk",
        ),
        Param(
            "kolommen",
            ParamType.COLUMN,
            "De kolom waarvan de waarden de kolommen zijn.",
            required=True,
            example="thema",
        ),
        Param(
            "cellen",
            ParamType.COLUMN,
            "De kolom waarvan de waarde in een cel komt; weglaten: het aantal rijen.",
            example="status",
        ),
        Param(
            "kop", ParamType.TEXT, "De kop boven de tabel.", default="Overzicht", example="Plannen per wijk"
        ),
    ),
    _block,
)
