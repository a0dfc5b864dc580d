"""Write a register workbook (the template, or one with rows) from the schema.

Officers never run Python, so everything they need to fill the register in well has
to be inside the workbook: instructions, drop-downs, input messages on every column,
and a colour on a required cell that is still empty.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.core import dates
from toolkit.declarations import schema
from toolkit.declarations.annextypes import BUILTIN, AnnexType, AnnexTypes
from toolkit.declarations.schema import TableSheet

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

FIXED_CREATED = datetime(2024, 1, 1)
LIST_ROWS = 200
MIN_ROWS = 500
HEADER_COLOUR = "#1F4E79"
REQUIRED_EMPTY_COLOUR = "#F8CBAD"
INTERNAL_HEADER_COLOUR = "#7F7F7F"
#: the most characters an Excel cell holds
CELL_LIMIT = 32_767
#: Characters of ordinary Dutch text per unit of column width (the width of a '0' in
#: Calibri 11; text averages narrower), a little low so that a row is never too short.
CHARS_PER_WIDTH = 1.15
#: Points per line of text at font size 11 (Excel's default row height)
LINE_POINTS = 15.0
PAPER_A4 = 9


def text_lines(text: str, width: float) -> int:
    """The lines text takes in a wrapped cell of this column width."""
    chars = max(int(width * CHARS_PER_WIDTH), 1)
    return sum(
        max(len(textwrap.wrap(paragraph, chars, break_on_hyphens=False)), 1) for paragraph in text.split("\n")
    )


def row_height(texts: Iterable[tuple[str, float]], font_size: float = 11) -> float | None:
    """An explicit height for a row of wrapped cells (text, column width), or None when one
    line fits. LibreOffice does not work out the height of such a row when it opens the
    file (the lines would overlap the next row); Excel takes the explicit height too."""
    lines = max((text_lines(text, width) for text, width in texts), default=1)
    if lines <= 1:
        return None
    return math.ceil(lines * LINE_POINTS * font_size / 11)


def print_setup(ws, title_rows: int = 0) -> None:  # type: ignore[no-untyped-def]
    """A4 landscape, every column on the width of one page, the header row on every page."""
    ws.set_paper(PAPER_A4)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    if title_rows:
        ws.repeat_rows(0, title_rows - 1)


def extra_key(index: int) -> str:
    """The row key of a column a coordinator added (not in the schema), by its position."""
    return f"extra:{index}"


@dataclass(frozen=True)
class CutValue:
    """A text longer than an Excel cell holds: only its first CELL_LIMIT characters fit."""

    sheet: str
    cell: str
    label: str
    name: str  # the pilot, action or setting it belongs to
    text: str  # the whole text

    def describe(self) -> str:
        def n(number: int) -> str:
            return f"{number:,}".replace(",", ".")

        return (
            f"{self.sheet}!{self.cell} ({self.name}, {self.label}): de tekst heeft "
            f"{n(len(self.text))} tekens; een Excel-cel bevat er hoogstens "
            f"{n(CELL_LIMIT)}. De rest ({n(len(self.text) - CELL_LIMIT)} tekens) staat "
            f"niet in het register."
        )


def list_name(vocabulary_key: str) -> str:
    return f"Lijst_{vocabulary_key}"


def _with_help(label: str, help: str) -> str:
    """ "Afgerond (het project is klaar)": a value with its explanation in brackets, or
    only the value where its declaration explains nothing (uitleg is optional)."""
    text = help.strip().rstrip(".")
    return f"{label} ({text[0].lower()}{text[1:]})" if text else label


def instructions(types: AnnexTypes = BUILTIN, sheets: Collection[str] | None = None) -> list[tuple[str, str]]:
    """The Instructies sheet as (kind, text) lines, all generated from the declarations
    of the annex types whose sheets the register has."""
    present = [t for t in types.types if sheets is None or t.sheet.name in sheets]
    lines: list[tuple[str, str]] = [
        ("title", register_title(present)),
        (
            "text",
            f"Dit register is de bron voor {_joined(f'de {t.name}' for t in present)}. Vul per "
            f"{_joined((t.singular for t in present), 'en per')} één rij in. De "
            "coördinator maakt er met 'toolkit build' de Word-bijlagen van; vooraf "
            "controleert 'toolkit validate' het register en maakt een rapport voor de "
            "controleurs.",
        ),
        ("heading", "Zo vult u het register"),
        (
            "text",
            f"• Typ in de tabellen op {sheet_words(t.sheet.name for t in present)}; een "
            "nieuwe rij direct onder de tabel wordt vanzelf deel van de tabel.",
        ),
        ("text", "• Klik op een cel: een berichtje vertelt wat erin hoort."),
        (
            "text",
            "• Kolommen met een keuzelijst vullen uit het tabblad Lijsten. Ontbreekt een "
            "waarde? Vraag de coördinator de lijst aan te vullen.",
        ),
        (
            "text",
            "• Meerdere alinea's: Alt+Enter. Opsommingen: begin de regel met • of - "
            "(de tekstkolommen zijn als tekst opgemaakt, zodat Excel een - niet als "
            "formule leest; in een ouder register typt u er een ' voor: '- punt). Een "
            "opsomming uit Word plakken mag ook, met twee niveaus. Genummerd: 1) of 1. . "
            "Vet en cursief: **vet** en *cursief*. Tekst uit het CMS met <p>, <ul>, <ol>, "
            "<li>, <br>, <b>, <i> of een tabel met twee kolommen (wordt 'kop: waarde') "
            "mag ook.",
        ),
        (
            "text",
            "• Emoji en symbolen (een vinkje, een duim) staan in de bijlage als leeg "
            "vakje; schrijf ze in woorden. De controle noemt ze.",
        ),
        ("text", "• Kolommen met '(intern)' en 'Interne opmerking' worden nooit gepubliceerd."),
        ("heading", "Wat de kleuren betekenen"),
        ("text", "• Oranje-rood gevulde cel: een verplicht veld in een rij die in gebruik is, is nog leeg."),
        ("text", "• Donkerblauwe kolomkop: komt in de bijlage. Grijze kolomkop: alleen intern."),
        ("heading", "Datums"),
        (
            "text",
            "Schrijf een echte datum (1-9-2022; dag eerst) of een omschrijving. Deze "
            "omschrijvingen worden begrepen: " + "; ".join(f"'{e}'" for e in dates.ACCEPTED_EXAMPLES) + ".",
        ),
        (
            "text",
            "Een evaluatievraag die nog niet te beantwoorden is: schrijf "
            f"'{schema.UNKNOWN_ANSWER}'. Laat hem niet leeg.",
        ),
    ]
    for sheet in (t.sheet for t in present):
        lines.append(("heading", f"Tabblad {sheet.name}"))
        lines.append(("text", sheet.purpose))
        for col in sheet.columns:
            flag = " (verplicht)" if col.required else ""
            lines.append(("column", f"{col.label}{flag}: {col.help}"))
    lines.append(("heading", f"Tabblad {schema.LISTS_SHEET}"))
    lines.append(
        (
            "text",
            "De keuzelijsten. De coördinator beheert ze; elke kolom voedt een "
            f"keuzelijst op {sheet_words(t.sheet.name for t in present)}.",
        )
    )
    for voc in _vocabularies(present):
        lines.append(("column", f"{voc.label}: {voc.help}" if voc.help.strip() else voc.label))
        if voc.roles:
            lines.append(
                (
                    "column",
                    f"{voc.role_label}: {ROLE_HELP} De standaardwaarden: "
                    + "; ".join(_with_help(r.label, r.help) for r in voc.roles)
                    + ".",
                )
            )
    lines.append(("heading", f"Tabblad {schema.SETTINGS_SHEET}"))
    for s in types.settings_for(sheets):
        lines.append(("column", f"{s.label}: {s.help}"))
    lines.append(("heading", "Wie maakt de bijlagen?"))
    lines.append(
        (
            "text",
            "De rapportagecoördinator draait 'toolkit validate' en 'toolkit "
            "build'. Het register zelf wordt daarbij nooit gewijzigd.",
        )
    )
    return lines


def _joined(words: Iterable[str], last: str = "en") -> str:
    """'a', 'a en b', 'a, b en c': a list as a sentence says it."""
    items = list(words)
    return f"{', '.join(items[:-1])} {last} {items[-1]}" if len(items) > 1 else "".join(items)


def sheet_words(names: Iterable[str]) -> str:
    """'het tabblad Pilots' or 'de tabbladen Pilots en Acties', never 'tabblad(en)'."""
    items = list(names)
    return f"het tabblad {items[0]}" if len(items) == 1 else f"de tabbladen {_joined(items)}"


def register_title(present: Sequence[AnnexType]) -> str:
    """'Register pilots en acties', 'Register projecten': what the register holds."""
    return f"Register {_joined(t.plural for t in present)}"


def _vocabularies(present: Sequence[AnnexType]) -> tuple[schema.Vocabulary, ...]:
    """The lists of these annex types, each once, in declaration order."""
    return AnnexTypes(tuple(present)).vocabularies


#: what the 'betekenis' column beside a list is for, in the prompt and the instructions
ROLE_HELP = (
    "Heeft een waarde in de lijst een eigen naam? Kies hier welke standaardwaarde "
    "hij vervangt (bijvoorbeeld 'Laatste editie' betekent 'Laatste keer'); de "
    "toolkit leest de betekenis hieruit. Leeg: de waarde is zelf een standaardwaarde."
)


def _prompt_title(text: str) -> str:
    return text if len(text) <= 32 else text[:31] + "…"


def _unique_headers(sheet: TableSheet, extra: Sequence[str]) -> list[str]:
    """Headers for added columns, unique in the table (Excel requires it), never empty."""
    taken = {c.label.casefold() for c in sheet.columns}
    headers = []
    for index, label in enumerate(extra):
        base = str(label).strip() or f"Kolom {index + 1} (zonder kop)"
        header, n = base, 2
        while header.casefold() in taken:
            header, n = f"{base} ({n})", n + 1
        taken.add(header.casefold())
        headers.append(header)
    return headers


def _write_table(
    wb: Workbook,
    ws: Worksheet,
    sheet: TableSheet,
    rows: Sequence[Mapping[str, object]],
    fmt: dict[str, Format],
    extra: Sequence[str] = (),
    cuts: list[CutValue] | None = None,
) -> None:
    n_cols = len(sheet.columns)
    extra_headers = _unique_headers(sheet, extra)
    n_rows = max(len(rows), 1)
    extent = max(len(rows) + LIST_ROWS, MIN_ROWS)
    ws.add_table(
        0,
        0,
        n_rows,
        n_cols + len(extra_headers) - 1,
        {
            "name": sheet.table_name,
            "style": "Table Style Light 9",
            "columns": [
                {"header": c.label, "header_format": fmt["header"] if c.published else fmt["header_internal"]}
                for c in sheet.columns
            ]
            + [{"header": h, "header_format": fmt["header_internal"]} for h in extra_headers],
        },
    )
    ws.set_row(0, 48)
    ws.freeze_panes(1, 1)
    print_setup(ws, title_rows=1)
    for index, col in enumerate(sheet.columns):
        cell_format = (
            # free text as text ('@'): a line that starts with "-", "=" or "+" (a list item)
            # stays text instead of becoming a formula (#NAME?)
            fmt["date"]
            if col.kind.traits.dated
            else fmt["text"]
            if col.kind.traits.free_text
            else fmt["wrap"]
        )
        ws.set_column(index, index, col.width, cell_format)
        validation: dict[str, object] = {
            "validate": "any",
            "input_title": _prompt_title(col.label),
            "input_message": col.help,
        }
        if col.vocabulary:
            validation = {
                **validation,
                "validate": "list",
                "source": f"={list_name(col.vocabulary)}",
                "error_type": "stop",
                "error_title": "Kies uit de lijst",
                "error_message": f"Kies een waarde uit de keuzelijst. De lijst staat op het "
                f"tabblad {schema.LISTS_SHEET}; vraag de coördinator een "
                f"ontbrekende waarde toe te voegen.",
            }
        ws.data_validation(1, index, extent, index, validation)
        if col.required:
            letter = _letter(index)
            last = _letter(n_cols - 1)
            ws.conditional_format(
                1,
                index,
                extent,
                index,
                {
                    "type": "formula",
                    "criteria": f"=AND(COUNTA($A2:${last}2)>0,LEN(TRIM({letter}2))=0)",
                    "format": fmt["required_empty"],
                },
            )
    for index in range(len(extra_headers)):
        ws.set_column(n_cols + index, n_cols + index, 30, fmt["wrap"])
    labels = [c.label for c in sheet.columns] + extra_headers
    keys = [c.key for c in sheet.columns] + [extra_key(i) for i in range(len(extra_headers))]
    name_key = sheet.columns[1].key if len(sheet.columns) > 1 else sheet.columns[0].key
    write_string = ws.write_string
    formats = [fmt["text"] if c.kind.traits.free_text else fmt["wrap"] for c in sheet.columns] + [
        fmt["wrap"]
    ] * len(extra_headers)
    for r, row in enumerate(rows, start=1):
        for index, key in enumerate(keys):
            value = row.get(key)
            if value.__class__ is str and len(value) <= CELL_LIMIT:  # most cells: text that fits
                if value:
                    write_string(r, index, value, formats[index])
                continue
            if _write_value(ws, r, index, value, fmt, formats[index] is fmt["text"]) and cuts is not None:
                name = " ".join(str(row.get(k) or "") for k in (sheet.columns[0].key, name_key))
                cuts.append(
                    CutValue(
                        sheet.name, f"{_letter(index)}{r + 1}", labels[index], name.strip()[:80], str(value)
                    )
                )


def _write_notes(  # type: ignore[no-untyped-def]
    ws,
    sheet: TableSheet,
    rows: Sequence[Mapping[str, object]],
    notes: Mapping[tuple[int, str], Any],
    fmt: dict,
    problems: list[str],
) -> None:
    """Comments and hyperlinks on the cells they belonged to (see write_register)."""
    import warnings

    keys = [c.key for c in sheet.columns]
    for (index, key), note in sorted(notes.items()):
        if key not in keys or index >= len(rows):
            continue
        row, col = index + 1, keys.index(key)
        where = f"{sheet.name}!{_letter(col)}{row + 1}"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # xlsxwriter warns; the return code says it
            if note.url is not None:
                value = rows[index].get(key)
                text = value if isinstance(value, str) and value else None
                fmt_cell = fmt["date"] if isinstance(value, date) else fmt["wrap"]
                if text is not None or value is None:
                    code = ws.write_url(
                        row,
                        col,
                        note.url,
                        fmt_cell,
                        string=(text or note.url)[:CELL_LIMIT],
                        tip=note.tip[:255] or None,
                    )
                else:
                    code = -5  # a number or date would become text
                if code:
                    why = (
                        "Excel staat zo lang een adres niet toe"
                        if code in (-3, -4)
                        else "de cel bevat een getal of datum"
                    )
                    problems.append(
                        f"{where}: de hyperlink '{note.url[:80]}' kon niet mee "
                        f"({why}). Zet de link zo nodig met de hand terug."
                    )
            if note.comment is not None:
                code = ws.write_comment(
                    row,
                    col,
                    note.comment[:CELL_LIMIT],
                    {"author": note.author or "toolkit", "x_scale": 2, "y_scale": 2},
                )
                if code or len(note.comment) > CELL_LIMIT:
                    problems.append(
                        f"{where}: de opmerking is langer dan Excel bewaart en is "
                        f"ingekort tot {CELL_LIMIT:,} tekens.".replace(",", ".")
                    )


def _letter(index: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(index)


def _write_value(  # type: ignore[no-untyped-def]
    ws,
    row: int,
    col: int,
    value: object,
    fmt: dict,
    as_text: bool = False,
) -> bool:
    """Write user text always as text: '=1+1' must never become a formula; as_text: in a
    cell formatted as text, so what is typed there later stays text too.

    True when the text was longer than a cell holds and only its start was written.
    """
    if value is None or value == "":
        return False
    if isinstance(value, datetime | date):
        ws.write_datetime(
            row,
            col,
            value if isinstance(value, datetime) else datetime(value.year, value.month, value.day),
            fmt["date"],
        )
    elif isinstance(value, int | float) and not isinstance(value, bool):
        ws.write_number(row, col, value)
    else:
        text = str(value)
        ws.write_string(row, col, text[:CELL_LIMIT], fmt["text" if as_text else "wrap"])
        return len(text) > CELL_LIMIT
    return False


def write_register(
    path: str | Path,
    tables: Mapping[str, Sequence[Mapping[str, object]]] | None = None,
    settings: Mapping[str, object] | None = None,
    lists: Mapping[str, Sequence[str]] | None = None,
    extra_columns: Mapping[str, Sequence[str]] | None = None,
    cuts: list[CutValue] | None = None,
    meanings: Mapping[str, Mapping[str, str]] | None = None,
    sheets: Collection[str] | None = None,
    types: AnnexTypes = BUILTIN,
    notes: Mapping[str, Mapping[tuple[int, str], Any]] | None = None,
    problems: list[str] | None = None,
) -> Path:
    """Write a complete register; with no rows this is the empty template.

    tables: the rows per sheet name. sheets: the table sheets to write (by name), for a
    municipality that makes only one of the annexes; default every declared type's sheet.
    types: the annex types, with a register's own declarations.

    meanings: per list, value -> the standard wording it stands for, written in the
    'betekenis' column beside that list (a standard value needs none).

    extra_columns: per sheet name, headers of columns a coordinator added; their values
    are in the rows under extra_key(i). Texts longer than a cell holds are cut to
    CELL_LIMIT characters and, when `cuts` is given, listed there with their whole text.

    notes: per sheet name, per (row index, column key), a cellnotes.CellNote: the comment
    and hyperlink that cell had in the previous edition. What Excel cannot hold (a link
    longer than it allows) is named in `problems`.
    """
    import xlsxwriter

    path = Path(path)
    wb = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    present = [t for t in types.types if sheets is None or t.sheet.name in sheets]
    wb.set_properties(
        {
            "title": register_title(present),
            "created": FIXED_CREATED,
            "author": "toolkit",
            "comments": "Gemaakt met 'toolkit init'.",
        }
    )
    fmt = {
        "header": wb.add_format(
            {
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": HEADER_COLOUR,
                "text_wrap": True,
                "valign": "top",
                "border": 1,
            }
        ),
        "header_internal": wb.add_format(
            {
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": INTERNAL_HEADER_COLOUR,
                "text_wrap": True,
                "valign": "top",
                "border": 1,
            }
        ),
        "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
        "text": wb.add_format({"text_wrap": True, "valign": "top", "num_format": "@"}),
        "date": wb.add_format(
            {"num_format": "d mmmm yyyy", "valign": "top", "align": "left", "text_wrap": True}
        ),
        "required_empty": wb.add_format({"bg_color": REQUIRED_EMPTY_COLOUR}),
        "title": wb.add_format({"bold": True, "font_size": 16}),
        "heading": wb.add_format({"bold": True, "font_size": 12, "font_color": HEADER_COLOUR}),
        "bold": wb.add_format({"bold": True, "text_wrap": True, "valign": "top"}),
    }

    ws = wb.add_worksheet(schema.INSTRUCTIONS_SHEET)
    width = 120
    ws.set_column(0, 0, width, fmt["wrap"])
    print_setup(ws)
    sizes = {"title": 16, "heading": 12}
    for r, (kind, text) in enumerate(instructions(types, sheets)):
        style = fmt.get(kind, fmt["wrap"])
        ws.write_string(r, 0, text, style if kind in ("title", "heading") else fmt["wrap"])
        size = sizes.get(kind, 11)
        height = row_height([(text, width * 11 / size)], size)
        if height is not None:
            ws.set_row(r, height)

    rows_of = tables or {}
    for sheet in (t.sheet for t in present):
        rows = rows_of.get(sheet.name, ())
        ws = wb.add_worksheet(sheet.name)
        _write_table(wb, ws, sheet, rows, fmt, (extra_columns or {}).get(sheet.name, ()), cuts)
        if notes and notes.get(sheet.name):
            _write_notes(ws, sheet, rows, notes[sheet.name], fmt, problems if problems is not None else [])

    ws = wb.add_worksheet(schema.LISTS_SHEET)
    index = 0
    for voc in _vocabularies(present):
        values = list(lists.get(voc.key, voc.values)) if lists else list(voc.values)
        ws.write_string(0, index, voc.label, fmt["header"])
        ws.set_column(index, index, 40, fmt["wrap"])
        for r, value in enumerate(values, start=1):
            ws.write_string(r, index, value[:CELL_LIMIT])
            if len(value) > CELL_LIMIT and cuts is not None:
                cuts.append(
                    CutValue(schema.LISTS_SHEET, f"{_letter(index)}{r + 1}", voc.label, voc.label, value)
                )
        letter = _letter(index)
        wb.define_name(list_name(voc.key), f"={schema.LISTS_SHEET}!${letter}$2:${letter}${LIST_ROWS + 1}")
        index += 1
        if voc.roles:  # the column that says what each value means
            said = (meanings or {}).get(voc.key, {})
            ws.write_string(0, index, voc.role_label, fmt["header"])
            ws.set_column(index, index, 26, fmt["wrap"])
            for r, value in enumerate(values, start=1):
                given = str(said.get(value, "") or "").strip()
                role = schema.role_by_label(voc.key, given or value, types.vocabularies)
                if role is not None or given:  # an unknown meaning stays, for validate to name
                    ws.write_string(r, index, role.label if role is not None else given[:CELL_LIMIT])
            ws.data_validation(
                1,
                index,
                LIST_ROWS,
                index,
                {
                    "validate": "list",
                    "source": [role.label for role in voc.roles],
                    "input_title": _prompt_title(voc.role_label),
                    "input_message": ROLE_HELP[:255],
                    "error_title": "Onbekende betekenis",
                    "error_message": "Kies een standaardwaarde uit de lijst.",
                },
            )
            index += 1
    ws.freeze_panes(1, 0)
    print_setup(ws, title_rows=1)

    ws = wb.add_worksheet(schema.SETTINGS_SHEET)
    widths = (32, 70, 60)
    for column, width in enumerate(widths):
        ws.set_column(column, column, width, fmt["bold"] if column == 0 else fmt["wrap"])
    print_setup(ws, title_rows=1)
    for index, label in enumerate(("Instelling", "Waarde", "Toelichting")):
        ws.write_string(0, index, label, fmt["header"])
    setting_values = dict(settings or {})
    for r, s in enumerate(types.settings_for(sheets), start=1):
        ws.write_string(r, 0, s.label, fmt["bold"])
        setting = setting_values.get(s.key, s.default)
        if setting in (None, "") and s.kind.traits.free_text:  # typed in later: text too
            ws.write_blank(r, 1, None, fmt["text"])
        if _write_value(ws, r, 1, setting, fmt, s.kind.traits.free_text) and cuts is not None:
            cuts.append(CutValue(schema.SETTINGS_SHEET, f"B{r + 1}", s.label, s.label, str(setting)))
        ws.write_string(r, 2, s.help, fmt["wrap"])
        # the label and help are fixed texts; a long text setting (Inleiding) keeps
        # Excel's own height, which grows as the coordinator types
        height = row_height(
            [(s.label, widths[0] * 0.9), (s.help, widths[2]), (str(setting or ""), widths[1])]
        )
        if height is not None and not s.kind.traits.rich:
            ws.set_row(r, height)
        ws.data_validation(
            r, 1, r, 1, {"validate": "any", "input_title": _prompt_title(s.label), "input_message": s.help}
        )
    ws.freeze_panes(1, 0)
    wb.close()
    return path


def neutral_start(gemeente: str = "", types: AnnexTypes = BUILTIN) -> dict[str, Any]:
    """What a new register holds (the committed template and `toolkit init`): no
    municipality's values. The municipality's own lists start empty, the toolkit's own
    (status, opnemen) filled; the settings have their neutral defaults, plus the
    gemeente when one is given."""
    return {
        "settings": {"gemeente": gemeente.strip()} if gemeente.strip() else {},
        "lists": {voc.key: () if voc.key in types.municipal else voc.values for voc in types.vocabularies},
    }


def write_template(path: str | Path) -> Path:
    """templates/pilot_register.xlsx: the neutral start without a gemeente."""
    return write_register(path, **neutral_start())


def create_register(
    path: str | Path,
    gemeente: str = "",
    templates: Path | None = None,
    kinds: Collection[str] = (),
    setting: str | None = None,
) -> Path:
    """`toolkit init`: a fresh, empty register; never overwrites an existing file.

    templates (--sjablonen): a folder with annex types of the municipality's own (*.toml);
    their sheets are added and the register's setting points to the folder. kinds
    (--bijlagetype, by key): only these types' sheets; default every type. setting: what
    the register's 'Map met Word-sjablonen' says instead of the path to templates (the web
    application: the server's path means nothing on the officer's computer).
    """
    from toolkit.core.errors import OutputError, TemplateError
    from toolkit.core.output import atomic_write, check_new_register
    from toolkit.declarations.sjablonen import folder_setting

    path = check_new_register(Path(path))
    types = BUILTIN
    start = neutral_start(gemeente)
    if templates is not None:
        if not Path(templates).is_dir():
            raise TemplateError(
                f"De map met Word-sjablonen '{templates}' bestaat niet. Zet er "
                f"de verklaring van uw bijlagetype (*.toml) in, of maak de map "
                f"met 'toolkit sjablonen {templates}'."
            )
        types = BUILTIN.with_folder(Path(templates))
        start = neutral_start(gemeente, types)
        start["settings"]["sjablonen"] = folder_setting(Path(templates), path) if setting is None else setting
    known = [t.key for t in types.types]
    unknown = [k for k in kinds if k not in known]
    if unknown:
        raise TemplateError(f"Het bijlagetype '{unknown[0]}' bestaat niet. Bekend: {', '.join(known)}.")
    sheets = [t.sheet.name for t in types.types if not kinds or t.key in kinds]

    def write_and_read_back(tmp: Path) -> None:
        """The register only takes its name once the toolkit can read it: a declaration
        the checks let through must not leave a register every command refuses."""
        from toolkit.core.errors import ToolkitError
        from toolkit.register.read import read_register

        write_register(tmp, **start, sheets=sheets, types=types)
        try:
            read_register(tmp, templates=templates)
        except ToolkitError as exc:
            raise TemplateError(
                f"Het nieuwe register zou niet te lezen zijn: {exc} Er is "
                f"niets geschreven; pas de verklaring van het bijlagetype "
                f"aan."
            ) from exc

    try:  # a temporary of the toolkit's own naming: a later run cleans it up if killed
        atomic_write(path, write_and_read_back, replace=False)
    except FileExistsError as exc:
        raise OutputError(f"'{path}' bestaat al; de toolkit overschrijft nooit een register.") from exc
    return path


def init_next_steps(
    gemeente: str = "", path: Path | None = None, commands: bool = True, templates: Path | None = None
) -> list[str]:
    """What `toolkit init` tells a new user to fill in first, in the order that works:
    the lists feed the drop-downs of the rows, the settings go into every annex. With the
    register written, it names that register's own sheets and lists. Without commands
    (the web application) it names no command or option; templates: the folder of own
    annex types when it is not where the register's setting says (the web application)."""
    types, present = BUILTIN, list(BUILTIN.types)
    if path is not None:
        from toolkit.register.read import read_register

        register = read_register(path, templates=templates)
        types = register.types
        present = [t for t in types.types if t.sheet.name in register.sheets]
    municipal = [v for t in present for v in t.vocabularies if v.key in types.municipal]
    others = [v for t in present for v in t.vocabularies if v.key not in types.municipal]
    lists = ", ".join(dict.fromkeys(v.label for v in municipal))
    filled = " en ".join(f"'{label}'" for label in dict.fromkeys(v.label for v in others))
    first = (
        []
        if gemeente.strip()
        else [
            "Vul eerst op het tabblad Instellingen de naam van uw gemeente in"
            + (" (of maak het register opnieuw met --gemeente NAAM)." if commands else ".")
        ]
    )
    steps = []
    if lists:
        steps.append(
            f"Tabblad {schema.LISTS_SHEET}: de lijsten van uw gemeente ({lists}) zijn "
            f"leeg. Zet er uw eigen waarden onder de kop, één per regel; de keuzelijsten "
            f"in de rijen komen hieruit." + (f" {filled} staan er al." if filled else "")
        )
    steps.append(
        f"Tabblad {schema.SETTINGS_SHEET}: editie, peildatum en de instellingen van "
        f"de bijlagen (de kolom Toelichting zegt per instelling wat er hoort)."
    )
    where = sheet_words(t.sheet.name for t in present)
    steps.append(
        f"{where[0].upper()}{where[1:]}: één rij per "
        f"{_joined((t.singular for t in present), 'of')}. Het tabblad "
        f"{schema.INSTRUCTIONS_SHEET} legt elke kolom uit. Een tabblad dat u niet "
        f"gebruikt, mag weg; die bijlage wordt dan niet gemaakt."
    )
    return [
        "Open het in Excel en vul het in deze volgorde in:",
        *(f"  {line}" for line in first),
        *(f"  {number}. {step}" for number, step in enumerate(steps, start=1)),
        *(
            ["Controleer daarna met 'toolkit validate' en maak de bijlagen met 'toolkit build'."]
            if commands
            else []
        ),
    ]
