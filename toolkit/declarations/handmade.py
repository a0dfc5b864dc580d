"""How a hand-made annex of a type is recognised and read: the declaration's [inlezen].

Councils had annexes long before the toolkit: Word files typed by hand, in a shape the
toolkit must keep reading (`toolkit import`), with tolerance for what people vary. What
that shape is belongs to the annex type, not to the code: a card per row with sections
of label | text tables, or per group a table with a header row; which sections and
labels, which words say "for the last time", where a list value's explanation sits, how
the title and the page header carry the settings. editions/annex_import reads any type
that declares it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from toolkit.declarations.keys import TABLES
from toolkit.declarations.model import TableSheet

#: the page header of an annex when the declaration says nothing else
DEFAULT_HEADER = "Gemeente {gemeente} · {editie}"
#: how many digits a generated key number has at least ("P-007")
NUMBER_DIGITS = 3
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}|…")


@dataclass(frozen=True)
class Section:
    """One section of a card: a heading, then a label | text table and/or free text."""

    heading: str
    fields: tuple[tuple[str, str], ...] = ()  # (label, column key), in order
    text: str | None = None  # the column the paragraphs under the heading go to
    last_time: tuple[str, ...] = ()  # words that, in a field here, mean "last time"


@dataclass(frozen=True)
class Starter:
    """The texts of a type's first Word template ([sjabloon]): {setting} placeholders."""

    title: str
    subtitle: str
    footer: str
    document_title: str
    widths: tuple[int, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class HandMade:
    """The declared shape of a hand-made annex (see the module docstring)."""

    form: str  # "kaarten" or "tabellen"
    numbering: str  # the key column's value of a row read, with {nummer}
    title: str  # pattern of the title paragraph: {setting}, … for any text
    header: str  # pattern of the page header
    sections: tuple[Section, ...] = ()
    columns: tuple[str, ...] = ()  # tabellen: the table's columns
    note_column: str | None = None  # tabellen: the text after a list value in its cell
    last_time: tuple[str, ...] = ()  # kaarten: words of the "last time" remark

    @property
    def cards(self) -> bool:
        return self.form == "kaarten"

    def key_value(self, number: int) -> str:
        return self.numbering.replace("{nummer}", f"{number:0{NUMBER_DIGITS}d}")


def words_in_order(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """A search for these words (or phrases), in this order, as whole words, any case."""
    if not words:
        return None
    return re.compile(r".*".join(rf"\b{re.escape(w.casefold())}\b" for w in words))


def pattern_regex(
    pattern: str, optional: Mapping[str, str] | None = None, numbers: Collection[str] = ()
) -> re.Pattern[str]:
    """A declared text pattern as a tolerant regular expression: {name} captures a text
    (ending at a word boundary, never across a ·), … any text; between them whitespace
    may vary and a full stop may be left out, other punctuation must be there. A name in
    optional matches only its given text, and may be missing; a name in numbers is digits."""
    parts = []
    for index, piece in enumerate(_PLACEHOLDER.split(pattern)):
        if index % 2 == 1:
            continue
        parts.append(piece)
    names = [m.group(1) for m in _PLACEHOLDER.finditer(pattern)]
    out = [r"^\s*"]
    swallowed = False  # an optional text takes the spaces after it along
    for index, literal in enumerate(parts):
        if not (swallowed and not literal.strip()):
            out.append(_literal(literal, last=index == len(parts) - 1))
        swallowed = False
        if index < len(names):
            name = names[index]
            if name is None:
                out.append(r".*?")
            elif optional and name in optional:
                text = _literal(optional[name], last=False)
                out.append(rf"(?:{text}(?=\W|$)\s*)?")
                swallowed = index + 1 < len(parts) - 1
            elif name in numbers:
                out.append(rf"(?P<{name}>\d+)")
            else:
                out.append(rf"(?P<{name}>[^·]*?\w[^·]*?)(?=\W|$)")
    out.append(r"\s*$")
    return re.compile("".join(out), re.IGNORECASE)


def _literal(text: str, last: bool) -> str:
    out = []
    for chunk in re.split(r"(\w+)", text):
        if not chunk:
            continue
        if re.fullmatch(r"\w+", chunk):
            out.append(re.escape(chunk))
        elif not chunk.strip():
            out.append(r"\s*" if last else r"\s+")
        else:
            for char in chunk:
                if char.isspace():
                    continue
                out.append(r"\s*\.?\s*" if char == "." else rf"\s*{re.escape(char)}\s*")
    return "".join(out)


def read_handmade(
    data: object,
    sheet: TableSheet,
    key: str,
    title: str,
    fail: Callable[[str, str], Exception],
) -> HandMade | None:
    """The [inlezen] table of a declaration, checked against the sheet's columns;
    check_keys has made sure of its keys and their types."""
    if data is None:
        return None
    if not isinstance(data, dict):
        raise fail("[inlezen]", "schrijf [inlezen] met één paar vierkante haken.")
    entry: dict[str, Any] = data
    columns = {c.key: c for c in sheet.columns}

    def value(table: str, item: Mapping[str, object], name: str, where: str, fallback: object = None) -> Any:
        return TABLES[table].key(name).read(item, lambda what: fail(where, what), fallback)

    def column(name: str, where: str) -> str:
        if name not in columns:
            raise fail(where, f"'{name}' is geen kolom van dit tabblad.")
        return name

    where = "[inlezen]"
    form = str(value("inlezen", entry, "vorm", where)).strip().casefold()
    prefix = re.sub(r"[^A-Z]", "", key.upper())[:3] or "R"
    numbering = str(value("inlezen", entry, "nummering", where, f"{prefix}-{{nummer}}"))
    if "{nummer}" not in numbering:
        raise fail(where, "'nummering' heeft {nummer} nodig, zoals \"W-{nummer}\".")
    sections = []
    raw_sections = entry.get("onderdeel", [])
    for index, item in enumerate([raw_sections] if isinstance(raw_sections, dict) else raw_sections, 1):
        place = f"[[inlezen.onderdeel]] nummer {index}"
        fields = [column(k, place) for k in value("inlezen.onderdeel", item, "velden", place)]
        labels = list(value("inlezen.onderdeel", item, "labels", place))
        if len(labels) > len(fields):
            raise fail(place, "'labels' heeft meer labels dan 'velden' kolommen.")
        labels += [columns[k].label for k in fields[len(labels) :]]
        text = value("inlezen.onderdeel", item, "tekst", place)
        sections.append(
            Section(
                value("inlezen.onderdeel", item, "kop", place),
                tuple(zip(labels, fields, strict=True)),
                column(text, place) if text is not None else None,
                tuple(value("inlezen.onderdeel", item, "laatste_keer", place)),
            )
        )
    table_columns = tuple(column(k, where) for k in value("inlezen", entry, "kolommen", where))
    note = value("inlezen", entry, "toelichting", where)
    if form == "kaarten" and not any(sheet.name_column in (k for _, k in s.fields) for s in sections):
        raise fail(
            where,
            f"een kaart begint bij het onderdeel met de naamkolom '{sheet.name_column}'; "
            f"noem die in de 'velden' van een [[inlezen.onderdeel]].",
        )
    if form == "tabellen" and not table_columns:
        raise fail(where, "bij vorm = \"tabellen\" noemt 'kolommen' de kolommen van de tabel.")
    return HandMade(
        form,
        numbering,
        str(value("inlezen", entry, "titel", where, title)),
        str(value("inlezen", entry, "kopregel", where)),
        tuple(sections),
        table_columns,
        column(note, where) if note is not None else None,
        tuple(value("inlezen", entry, "laatste_keer", where)),
    )


def read_starter(
    data: object, title: str, document_title: str, fail: Callable[[str, str], Exception]
) -> Starter:
    """The [sjabloon] table (or its defaults); check_keys has made sure of its keys."""
    entry: Mapping[str, object] = data if isinstance(data, dict) else {}

    def value(name: str, fallback: object = None) -> Any:
        return TABLES["sjabloon"].key(name).read(entry, lambda what: fail("[sjabloon]", what), fallback)

    shown_title = str(value("titel", title))
    return Starter(
        shown_title,
        str(value("ondertitel")),
        str(value("voetregel", f"{shown_title} · pagina ")),
        str(value("documenttitel", document_title)),
        tuple(value("breedtes")),
        str(value("tabelbeschrijving")),
    )
