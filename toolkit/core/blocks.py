"""Format-neutral blocks: what a layout element (a status overview, a cross-tab) shows.

An element of the declared arrangement (declarations.elements) says once what it shows:
a captioned table with a header row, cells with text on the declared colours, perhaps a
total row and bars with their text alternative. The Word layout (layouts.word) and the
web edition (layouts.html) each draw every such block the same way, so a new element is
its own module and nothing in either writer.
"""

from __future__ import annotations

from dataclasses import dataclass

#: a list value without a declared colour, where a colour is wanted (a status cell)
UNLISTED_COLOUR = "EDEDED"


@dataclass(frozen=True)
class Text:
    """A line of a cell. colour: the declared colour it stands on (as hex, "" for none);
    the text always says what the colour does, so colour is never the only sign."""

    text: str
    bold: bool = False
    colour: str = ""


@dataclass(frozen=True)
class Bar:
    """A share drawn as a bar: in Word a picture after the cell's text, on the web a row
    of the block's chart. alternative is what a screen reader says instead."""

    label: str
    count: int
    share: int  # percent, 0 to 100
    colour: str
    alternative: str


@dataclass(frozen=True)
class Cell:
    lines: tuple[Text, ...]
    #: the whole cell on this colour (a status cell), "" for none
    colour: str = ""
    bar: Bar | None = None
    #: a number: right-aligned where the writer aligns numbers
    numeric: bool = False


def cell(text: str, bold: bool = False, colour: str = "", numeric: bool = False) -> Cell:
    """A cell of one line."""
    return Cell((Text(text, bold),), colour, numeric=numeric)


@dataclass(frozen=True)
class Table:
    """A table with its accessible name (caption) and description.

    widths are relative (the writer scales them to its text width). row_headers: the
    first cell of a row names the row. compact: many columns, smaller type. may_turn: a
    page too narrow for its columns turns to landscape (Word) or scrolls (the web).
    keep_together: rows kept on one page and with the next (a short overview). An empty
    table (no rows) shows the text empty instead."""

    name: str  # the element's name (its tag): the web page's CSS class
    caption: str
    description: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[int, ...]
    total: tuple[Cell, ...] = ()
    row_headers: bool = False
    compact: bool = False
    may_turn: bool = False
    keep_together: bool = False
    empty: str = "(Geen gegevens voor dit overzicht.)"
    #: the chart's name, for its text alternative ("Staafdiagram, <chart>. ...")
    chart: str = ""

    @property
    def bars(self) -> tuple[Bar, ...]:
        return tuple(c.bar for row in self.rows for c in row if c.bar is not None)

    @property
    def chart_alternative(self) -> str:
        """What a screen reader says for the bars together, as a chart."""
        parts = [b.alternative for b in self.bars]
        return f"Staafdiagram, {self.chart or self.caption}. " + "; ".join(parts) + "."
