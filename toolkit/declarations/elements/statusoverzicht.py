"""The status overview: how many records have each value of a list column (the status),
with the share as a number and as a bar in the value's declared colour, and the total.

The colour is never the only sign: the status is written in the cell, the bar has a
text alternative (status, count and share), and the web page adds a table to its chart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from toolkit.core.blocks import UNLISTED_COLOUR, Bar, Cell, Table, Text, cell
from toolkit.declarations.elements import Context, Element, Row, value_counts
from toolkit.declarations.model import kinds_where
from toolkit.declarations.rulekinds import Param, ParamType

HEADING = "Overzicht statussen"
DESCRIPTION = (
    "Aantal {plural} per status, met het aandeel als getal en als balk; de laatste rij geeft het totaal."
)


def _block(values: Mapping[str, object], records: Sequence[Row], context: Context, caption: str) -> Table:
    column = context.sheet.column(str(values["kolom"]))
    plural = context.plural
    counts = value_counts(records, column.key, column.vocabulary, context.lists)
    total = sum(n for _, n in counts)
    rows = []
    for status, n in counts:
        share = round(100 * n / total) if total else 0
        colour = context.colour(column.vocabulary or "", status) or UNLISTED_COLOUR
        bar = Bar(status, n, share, colour, f"{status}: {n} van {total} {plural}, {share} procent")
        rows.append(
            (
                Cell((Text(status, bold=True),), colour),
                cell(str(n), numeric=True),
                Cell((Text(f"{share}%"),), bar=bar, numeric=True),
            )
        )
    heading = caption or str(values["kop"])
    return Table(
        "statusoverzicht",
        heading,
        DESCRIPTION.format(plural=plural),
        (column.label, f"Aantal {plural}", "Aandeel"),
        tuple(rows),
        (4000, 1800, 3200),
        total=(
            cell("Totaal", bold=True),
            cell(str(total), bold=True, numeric=True),
            cell("100%", bold=True, numeric=True),
        ),
        row_headers=True,
        keep_together=True,
        empty=f"(Geen {plural}.)",
        chart=heading,
    )


def _in_total(values: Mapping[str, object]) -> bool:
    return bool(values.get("totaal", True))


ELEMENT = Element(
    "statusoverzicht",
    "Aantallen en aandelen per status, met een balk in de kleur van de betekenis en een tekstalternatief.",
    "Het statusoverzicht van alle rijen ([indeling.statusoverzicht] in de verklaring); "
    "zonder deze tag staat het vóór de kaarten.",
    (
        Param(
            "kolom",
            ParamType.COLUMN,
            "Een keuzekolom; de lijst geeft volgorde en kleuren.",
            required=True,
            kinds=kinds_where("listed"),
            example="status",
        ),
        Param(
            "kop", ParamType.TEXT, "De kop boven elk overzicht.", default=HEADING, example="Stand van zaken"
        ),
        Param(
            "totaal",
            ParamType.FLAG,
            "true: één overzicht van alle rijen, op de plek van {{ statusoverzicht }} in het "
            "sjabloon of vóór de rijen.",
            default=True,
            example=False,
        ),
    ),
    _block,
    per_group="true: onder de kop van elke groep een statusoverzicht van die groep "
    "(vraagt om [indeling.statusoverzicht]).",
    total=_in_total,
    counts="kolom",
)
