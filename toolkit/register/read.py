"""Read the officers' register into records that know where each value came from.

Every later step (findings, reports, the build) needs to say "Pilots!G7"; the reader
keeps that location with every value so nothing downstream has to recompute it.
The register is opened read-only and never written.
"""

from __future__ import annotations

import gc
import hashlib
import math
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from toolkit.core.bundled import bundled
from toolkit.core.errors import RegisterStructureError, RegisterUnreadable, TemplateError
from toolkit.core.filecheck import check_register_file
from toolkit.core.output import office_lock
from toolkit.core.richtext import EXACT_LIMIT, NOT_A_NUMBER, excel_general
from toolkit.declarations import schema
from toolkit.declarations.annextypes import BUILTIN, AnnexType, AnnexTypes
from toolkit.declarations.schema import TableSheet
from toolkit.register.sheetxml import SheetFacts, scan_register

TABLE_SHEET_NAMES = tuple(sheet.name for sheet in schema.TABLE_SHEETS)

HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class Location:
    sheet: str
    row: int
    column: str
    label: str

    @property
    def cell(self) -> str:
        return f"{self.column}{self.row}"


@dataclass(slots=True)
class Record:
    """One row of Pilots or Acties, values keyed by schema column key."""

    sheet: TableSheet
    row: int
    values: dict[str, object]
    letters: dict[str, str]

    def location(self, key: str) -> Location:
        col = self.sheet.column(key)
        return Location(self.sheet.name, self.row, self.letters.get(key, ""), col.label)

    def text(self, key: str) -> str:
        value = self.values.get(key)
        if value.__class__ is str:  # the common case first: this runs for every cell
            return value  # type: ignore[return-value]
        if value is None:
            return ""
        if isinstance(value, date):
            from toolkit.core.dates import format_dutch

            return format_dutch(value)
        if value.__class__ is float:
            return excel_general(value)  # type: ignore[arg-type]
        return str(value)

    def __getitem__(self, key: str) -> object:
        return self.values.get(key)


def _unknown(name: str) -> TableSheet:
    raise KeyError(f"Het register kent geen tabblad '{name}'.")


@dataclass
class Register:
    path: Path
    sha256: str
    #: the rows of each table sheet the register has, by sheet name
    tables: dict[str, list[Record]] = field(default_factory=dict)
    #: the annex types this register knows: the bundled ones plus the declarations in its
    #: folder of Word templates
    types: AnnexTypes = BUILTIN
    lists: dict[str, list[str]] = field(default_factory=dict)
    #: per list, value -> what its 'betekenis' cell says (the standard wording it stands for)
    meanings: dict[str, dict[str, str]] = field(default_factory=dict)
    #: per list, value -> its cell on the Lijsten sheet ("C4"), for findings
    list_cells: dict[str, dict[str, str]] = field(default_factory=dict)
    settings: dict[str, object] = field(default_factory=dict)
    setting_rows: dict[str, int] = field(default_factory=dict)
    date1904: bool = False
    #: merged ranges per sheet ("C5:C7"), as far as the reader could see them
    merged: dict[str, list[str]] = field(default_factory=dict)
    #: hidden rows and columns and uncalculated formulas per sheet, from the sheet XML
    facts: dict[str, SheetFacts] = field(default_factory=dict)
    #: per table sheet, the positions (0-based) of the columns the declarations know
    columns: dict[str, frozenset[int]] = field(default_factory=dict)
    #: the workbook's sheet titles, in order
    titles: list[str] = field(default_factory=list)
    #: the folder of Word templates the register names (or --sjablonen) when it is missing
    missing_templates: Path | None = None
    #: per sheet title, the column letters of every cell, from the file check's scan
    cell_columns: dict[str, frozenset[str]] = field(default_factory=dict)
    #: the rows of Instellingen and the header row of Lijsten as read (new-edition names
    #: what the declarations do not know from them)
    rows_of: dict[str, list[Sequence[object]]] = field(default_factory=dict)
    #: the table sheets (Pilots, Acties, …) the workbook has; an annex whose sheet is absent
    #: is simply not built
    sheets: frozenset[str] = frozenset(TABLE_SHEET_NAMES)

    @property
    def table_sheets(self) -> tuple[TableSheet, ...]:
        """The declared table sheets this register has, in the declarations' order."""
        return tuple(s for s in self.types.sheets if s.name in self.sheets)

    @property
    def open_in_excel(self) -> bool:
        """Excel (and LibreOffice) leave a lock file beside a workbook that is open."""
        return office_lock(self.path) is not None

    def records(self, sheet: TableSheet | str) -> list[Record]:
        """The rows of one table sheet (or the sheet of that name); another sheet's rows
        are never handed out instead."""
        if isinstance(sheet, str):
            sheet = next((s for s in self.types.sheets if s.name == sheet), None) or _unknown(sheet)
        if sheet not in self.types.sheets:
            raise KeyError(f"Het register kent geen tabblad '{sheet.name}'.")
        return self.tables.setdefault(sheet.name, [])

    def published(self, annex: AnnexType) -> list[Record]:
        """The rows of an annex type that go into its annex: those whose value in the
        column with the 'published' meaning (Opnemen in bijlage) says so; every row
        when the type has no such column."""
        records = self.tables.get(annex.sheet.name, [])
        column = annex.role_column("published", "last_time")
        if column is None:
            return records
        roles, key, voc = self.roles, column.key, column.vocabulary or ""
        return [r for r in records if roles.published(r.text(key), voc)]

    @property
    def roles(self) -> schema.ListRoles:
        """What each list value means (published, last time, finished, colour)."""
        cached = self.__dict__.get("_roles")
        if cached is None:
            cached = self.__dict__["_roles"] = schema.list_roles(
                self.lists, self.meanings, self.types.vocabularies
            )
        return cached

    def setting_text(self, key: str) -> str:
        value = self.settings.get(key)
        if value is None:
            return ""
        if isinstance(value, datetime | date):
            from toolkit.core.dates import format_dutch

            return format_dutch(value)
        if isinstance(value, float):
            return excel_general(value)
        return str(value)


def _require_defusedxml() -> None:
    """No defusedxml, no reading: the careful reader relies on it against hostile files."""
    try:
        import defusedxml  # noqa: F401
    except ImportError as exc:  # pragma: no cover - guarded by the dependency list
        raise RegisterUnreadable(
            "Het pakket defusedxml ontbreekt; zonder dat pakket leest de toolkit geen "
            "Excel-bestanden (bescherming tegen kwaadaardige bestanden). Installeer het "
            "opnieuw met 'uv sync'."
        ) from exc


def _require_defused_openpyxl() -> None:
    """Asked only where openpyxl reads: importing it costs a fifth of a second."""
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # pragma: no cover
        raise RegisterUnreadable(
            "openpyxl gebruikt defusedxml niet; de toolkit leest uit voorzorg geen "
            "Excel-bestanden. Installeer de omgeving opnieuw met 'uv sync'."
        )


def _number(value: int | float) -> int | float | str:
    """Whole numbers as int (12, 2024), but only where Excel holds them exactly; a number
    no spreadsheet can hold (infinite, or hundreds of digits from a script) reads as
    Excel's own error text, so no later step has to cope with it."""
    if value.__class__ is int:
        if abs(value) < EXACT_LIMIT:
            return value
        try:
            value = float(value)
        except OverflowError:
            return NOT_A_NUMBER
    if not math.isfinite(value):
        return NOT_A_NUMBER
    if value.is_integer() and abs(value) < EXACT_LIMIT:  # type: ignore[union-attr]
        return int(value)
    return value


def _cell_value(value: object) -> object:
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, bool):
        return "WAAR" if value else "ONWAAR"
    if isinstance(value, int | float):
        return _number(value)
    return value


def _text(value: str) -> str | None:
    """A text cell as the toolkit reads it: blank is None, a soft line break a new line.

    Shift+Enter text pasted from Word arrives as U+000B (stored as _x000B_); it means a
    line break, just like Alt+Enter.
    """
    if "\x0b" in value:
        value = value.replace("\x0b", "\n")
    return value if value.strip() else None


def sheet_title(titles: Iterable[str], wanted: str) -> str | None:
    """The workbook's title of a sheet, whatever case or (hard) spaces it was typed in."""
    folded = schema.normalise(wanted)
    return next((t for t in titles if schema.normalise(t) == folded), None)


Rows = Iterator[tuple[int, Sequence[object]]]
#: texts up to this long in a list or date column are held once per sheet
SHARED_LENGTH = 64


def _read_table(
    rows: Rows, sheet: TableSheet, register_name: str, found: dict[str, frozenset[int]] | None = None
) -> list[Record]:
    """The rows of a table sheet; found gets the positions of its declared columns."""
    header_row = 0
    match = None
    best = -1
    buffered: list[tuple[int, Sequence[object]]] = []
    for number, values in rows:
        buffered.append((number, values))
        candidate = schema.match_headers(sheet, list(values))
        if len(candidate.positions) > best:
            best, match, header_row = len(candidate.positions), candidate, number
        if number >= HEADER_SEARCH_ROWS:
            break
    if match is None or not match.positions:
        raise RegisterStructureError(
            f"Op tabblad '{sheet.name}' van '{register_name}' staat geen kopregel met de "
            f"kolommen van het register (zoals '{sheet.columns[0].label}' en "
            f"'{sheet.columns[1].label}'). Zet de kopregel terug of neem de gegevens over "
            f"in een nieuw register ('toolkit init')."
        )
    missing_required = [c for c in match.missing if c.required]
    if missing_required:
        labels = ", ".join(f"'{c.label}'" for c in missing_required)
        raise RegisterStructureError(
            f"Op tabblad '{sheet.name}' van '{register_name}' ontbreken de kolommen "
            f"{labels}. Is een kolom hernoemd of verwijderd? Zet de kolomkop terug zoals in "
            f"het sjabloon ({bundled('templates', 'pilot_register.xlsx')}) of in een nieuw "
            f"register van 'toolkit init'."
        )
    letters = {key: xl_col_to_name(index) for key, index in match.positions.items()}
    records: list[Record] = []
    if found is not None:
        found[sheet.name] = frozenset(match.positions.values())

    # a short value of a list or date column (a status, a programme, a date as typed) is
    # held once, however many rows have it: fewer objects for the build's helper
    # processes to copy; free text rarely repeats and is not looked up
    positions = [
        (key, index, sheet.column(key).kind.traits.repeats) for key, index in match.positions.items()
    ]
    shared: dict[str, str] = {}

    def consume(number: int, values: Sequence[object]) -> None:
        if number <= header_row:
            return
        row_values: dict[str, object] = {}
        width = len(values)
        empty = True
        for key, index, repeats in positions:
            raw = values[index] if index < width else None
            value: object
            if raw.__class__ is str:  # most cells: skip the type checks of _cell_value
                text: str = raw  # type: ignore[assignment]
                if not text.strip():
                    value = None
                elif "\x0b" in text:  # a soft line break: see _text
                    value = _text(text)
                elif repeats and len(text) <= SHARED_LENGTH:
                    value = shared.setdefault(text, text)
                else:
                    value = text
            else:
                value = _cell_value(raw)
            row_values[key] = value
            if value is not None:
                empty = False
        if not empty:
            records.append(Record(sheet, number, row_values, letters))

    for number, values in buffered:
        consume(number, values)
    for number, values in rows:
        consume(number, values)
    return records


def _read_lists(
    rows: Rows, types: AnnexTypes = BUILTIN
) -> tuple[dict[str, list[str]], dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """The lists, what each value means (the 'betekenis' column beside a list) and the
    cell of each value; an empty or missing list falls back to the standard values."""
    by_label = {}
    for voc in types.vocabularies:
        by_label[schema.normalise(voc.label)] = (voc.key, False)
        by_label[schema.normalise(voc.key)] = (voc.key, False)
        if voc.roles:
            by_label[schema.normalise(voc.role_label)] = (voc.key, True)
    columns: dict[int, tuple[str, bool]] = {}
    lists: dict[str, list[str]] = {}
    cells: dict[str, dict[str, str]] = {}
    said: dict[str, dict[int, str]] = {}  # per list: row -> betekenis
    rows_of: dict[str, dict[str, int]] = {}  # per list: value -> row
    for number, values in rows:
        if number == 1:
            for index, header in enumerate(values):
                found = by_label.get(schema.normalise(str(header))) if header else None
                if found and found not in columns.values():
                    columns[index] = found
                    key, is_meaning = found
                    if not is_meaning:
                        lists[key], cells[key], rows_of[key] = [], {}, {}
            continue
        for index, (key, is_meaning) in columns.items():
            value = values[index] if index < len(values) else None
            value = _cell_value(value)
            if value is None or not str(value).strip():
                continue
            if is_meaning:
                said.setdefault(key, {})[number] = str(value).strip()
            else:
                text = str(value).strip()
                lists[key].append(text)
                cells[key].setdefault(text, f"{xl_col_to_name(index)}{number}")
                rows_of[key].setdefault(text, number)
    meanings = {
        key: {value: said.get(key, {}).get(row, "") for value, row in rows.items()}
        for key, rows in rows_of.items()
    }
    for voc in types.vocabularies:
        if voc.key in types.municipal:
            # a list of the municipality's own never takes the declared (example) values:
            # empty or absent, it stays empty (lijst-leeg)
            lists.setdefault(voc.key, [])
            continue
        if not lists.get(voc.key):
            lists[voc.key] = list(voc.values)
            cells.pop(voc.key, None)
            meanings.pop(voc.key, None)
    return lists, meanings, cells


def _read_settings(rows: Rows, types: AnnexTypes = BUILTIN) -> tuple[dict[str, object], dict[str, int]]:
    by_label = {schema.normalise(s.label): s.key for s in types.settings}
    settings: dict[str, object] = {}
    numbers: dict[str, int] = {}
    for number, values in rows:
        if not values or values[0] is None:
            continue
        key = by_label.get(schema.normalise(str(values[0])))
        if key and key not in settings:
            settings[key] = _cell_value(values[1]) if len(values) > 1 else None
            numbers[key] = number
    return settings, numbers


#: a register may do without one of the table sheets (that annex is not built), never these
SHEETS_NEEDED = (schema.LISTS_SHEET, schema.SETTINGS_SHEET)
#: the register's own sheets besides the table sheets, and the one `validate` adds to its
#: annotated copy
_OTHER_SHEETS = (schema.INSTRUCTIONS_SHEET, *SHEETS_NEEDED, "Bevindingen")
_DATE1904 = re.compile(rb'date1904="(?:1|true)"')


def _fast_reader_is_safe(path: Path) -> bool:
    """calamine is fast but aborts on a sheet that claims a far-away cell; look first.

    The scan (toolkit.core.sheetscan, run by the file check) reads every XML part; a register
    beyond the toolkit's limits is refused there, before any reader sees it.
    """
    try:
        return bool(check_register_file(path).fast_reader_safe)
    except RegisterUnreadable:
        return False


def _missing_sheet(path: Path, wanted: str, present: list[str]) -> RegisterStructureError:
    names = ", ".join(f"'{t}'" for t in present)
    return RegisterStructureError(
        f"Het tabblad '{wanted}' ontbreekt in '{path.name}' (wel aanwezig: {names}). Is het "
        f"hernoemd? Geef het de naam '{wanted}' terug."
    )


def _match_sheets(
    path: Path,
    titles: list[str],
    top: Callable[[str], Iterable[Sequence[object]]],
    types: AnnexTypes = BUILTIN,
    missing: Path | None = None,
) -> dict[str, str]:
    """The workbook's title per sheet the toolkit reads.

    A Pilots or Acties sheet may be absent (a municipality with only one of the annexes),
    but not renamed: a sheet of another name with a header row (searched in its top rows,
    as _read_table does) holding that sheet's required columns is taken for a renamed one
    and reported, never silently left out.
    """
    found = {}
    table_names = tuple(sheet.name for sheet in types.sheets)
    known = {schema.normalise(name) for name in (*table_names, *_OTHER_SHEETS)}
    for wanted in (*table_names, *SHEETS_NEEDED):
        title = sheet_title(titles, wanted)
        if title is not None:
            found[wanted] = title
        elif wanted in SHEETS_NEEDED:
            raise _missing_sheet(path, wanted, titles)
    unknown = [t for t in titles if schema.normalise(t) not in known]
    if missing is not None and unknown:
        names = ", ".join(f"'{t}'" for t in unknown)
        which = "een tabblad" if len(unknown) == 1 else "tabbladen"
        raise RegisterStructureError(
            f"'{path.name}' heeft {which} die de toolkit niet kent ({names}), en de map met "
            f"Word-sjablonen '{missing}', waar eigen bijlagetypen in staan, bestaat niet. Staat "
            f"de map ergens anders? Pas dan 'Map met Word-sjablonen' op het tabblad "
            f"Instellingen aan (of geef --sjablonen op). Hoort het tabblad er niet in, haal het "
            f"dan weg of maak de instelling leeg."
        )
    for sheet in types.sheets:
        if sheet.name in found or not unknown:
            continue
        required = {c.key for c in sheet.required}
        for title in unknown:
            try:
                rows = [list(values) for values in top(title)]
            except Exception:  # noqa: BLE001 - a chart sheet or the like: no header row
                continue
            if any(required <= set(schema.match_headers(sheet, row).positions) for row in rows):
                raise _missing_sheet(path, sheet.name, titles)
    if not any(name in found for name in table_names):
        names = " of ".join(f"'{n}'" for n in table_names)
        present = ", ".join(f"'{t}'" for t in titles)
        hint = ""
        if missing is not None:
            hint = (
                f" De map met Word-sjablonen '{missing}' (met eventuele eigen bijlagetypen) "
                f"bestaat niet; staat de map op een andere plek, pas dan 'Map met "
                f"Word-sjablonen' aan of geef --sjablonen op."
            )
        raise RegisterStructureError(
            f"'{path.name}' heeft geen tabblad {names} (wel aanwezig: {present}). Een register "
            f"heeft minstens een van die tabbladen; maak een nieuw register met 'toolkit "
            f"init'.{hint}"
        )
    return found


def _fill(register: Register, rows: dict[str, Rows]) -> None:
    name = register.path.name
    types = register.types
    register.sheets = frozenset(s.name for s in types.sheets if s.name in rows)
    for sheet in types.sheets:  # facts of a sheet of a register's own type, by its name
        if sheet.name not in register.facts:
            title = sheet_title(register.facts, sheet.name)
            if title is not None:
                register.facts[sheet.name] = register.facts[title]
    register.tables = {
        sheet.name: _read_table(rows[sheet.name], sheet, name, register.columns)
        for sheet in types.sheets
        if sheet.name in rows
    }
    small = {name: list(rows[name]) for name in (schema.LISTS_SHEET, schema.SETTINGS_SHEET)}
    register.rows_of = {
        schema.SETTINGS_SHEET: [values for _, values in small[schema.SETTINGS_SHEET]],
        schema.LISTS_SHEET: [values for _, values in small[schema.LISTS_SHEET][:1]],
    }
    register.lists, register.meanings, register.list_cells = _read_lists(
        iter(small[schema.LISTS_SHEET]), types
    )
    register.settings, register.setting_rows = _read_settings(iter(small[schema.SETTINGS_SHEET]), types)
    _blank_errors(register)


def _blank_errors(register: Register) -> None:
    """A cell that shows an Excel error (#NAME?) holds no text the officer typed: empty
    for both readers (calamine gives it as empty, openpyxl as the error's text), and a
    row with nothing else is no row. Validation names the cell (formule-fout)."""
    for name, records in register.tables.items():
        facts = register.facts.get(name)
        if facts is None or not facts.errors or not records:
            continue
        by_row = {r.row: r for r in records}
        key_of = {letter: key for key, letter in records[0].letters.items()}
        for ref in facts.errors:
            column = ref.rstrip("0123456789")
            record = by_row.get(int(ref[len(column) :] or 0))
            if record is not None and column in key_of:
                record.values[key_of[column]] = None
        register.tables[name] = [r for r in records if any(v is not None for v in r.values.values())]
    facts = register.facts.get(schema.SETTINGS_SHEET)
    if facts is not None and facts.errors:
        for key, row in register.setting_rows.items():
            if f"B{row}" in facts.errors:
                register.settings[key] = None


def _types_for(
    register: Register,
    titles: list[str],
    rows_of: Callable[[str], Iterable[Sequence[object]]],
    templates: Path | None,
    use_setting: bool = True,
) -> AnnexTypes:
    """The bundled annex types plus those declared in the register's folder of Word
    templates (--sjablonen, else the setting on its Instellingen sheet)."""
    from toolkit.declarations.sjablonen import template_folder

    setting = ""
    if templates is None and use_setting:
        title = sheet_title(titles, schema.SETTINGS_SHEET)
        if title is not None:
            settings, _ = _read_settings(enumerate(rows_of(title), start=1))
            setting = str(settings.get("sjablonen") or "")
    folder = template_folder(register.path, setting, templates)
    if folder is not None and not folder.is_dir():
        register.missing_templates = folder  # said if the register then has no known sheet
    return BUILTIN.with_folder(folder)


def _read_fast(register: Register, templates: Path | None = None, use_setting: bool = True) -> bool:
    """Read with calamine; False when it cannot, so the careful reader takes over."""
    try:
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_path(str(register.path))
    except Exception:  # noqa: BLE001 - any trouble: let openpyxl give the message
        return False
    try:
        names = register.titles = list(workbook.sheet_names)
        register.types = _types_for(
            register, names, lambda t: workbook.get_sheet_by_name(t).to_python(), templates, use_setting
        )
        titles = _match_sheets(
            register.path,
            names,
            lambda t: workbook.get_sheet_by_name(t).to_python(nrows=HEADER_SEARCH_ROWS),
            register.types,
            register.missing_templates,
        )
        rows: dict[str, Rows] = {}
        for wanted, title in titles.items():
            sheet = workbook.get_sheet_by_name(title)
            rows[wanted] = _rows_of(sheet)
            ranges = getattr(sheet, "merged_cell_ranges", None) or []
            register.merged[wanted] = [
                f"{xl_col_to_name(c0)}{r0 + 1}:{xl_col_to_name(c1)}{r1 + 1}" for (r0, c0), (r1, c1) in ranges
            ]
        _fill(register, rows)
        with zipfile.ZipFile(register.path) as archive:
            register.date1904 = bool(_DATE1904.search(archive.read("xl/workbook.xml")))
    except (RegisterStructureError, TemplateError):
        raise
    except Exception:  # noqa: BLE001
        return False
    finally:
        workbook.close()
    return True


def _rows_of(sheet: Any) -> Rows:
    """A sheet's rows as Python values, made when they are first asked for and let go
    once read: one sheet's rows at a time in memory, and the memory of one is used
    again for the next (fewer holes in the memory the build's helpers inherit)."""
    yield from enumerate(sheet.to_python(skip_empty_area=False), start=1)


def _read_careful(register: Register, templates: Path | None = None, use_setting: bool = True) -> None:
    """openpyxl read-only (with defusedxml): slower, but copes with any odd file."""
    from openpyxl import load_workbook

    _require_defused_openpyxl()
    path = register.path
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        raise RegisterUnreadable(
            f"'{path.name}' kan niet als Excel-werkmap worden geopend ({type(exc).__name__}). "
            f"Open het in Excel, sla het op als .xlsx en probeer opnieuw."
        ) from exc
    except Exception as exc:  # defusedxml's refusals and lxml errors land here
        raise RegisterUnreadable(
            f"'{path.name}' bevat onderdelen die de toolkit uit voorzorg niet leest "
            f"({type(exc).__name__}). Sla het register opnieuw op in Excel."
        ) from exc
    try:
        register.date1904 = workbook.epoch.year == 1904
        names = register.titles = list(workbook.sheetnames)
        register.types = _types_for(
            register, names, lambda t: workbook[t].iter_rows(values_only=True), templates, use_setting
        )
        titles = _match_sheets(
            path,
            names,
            lambda t: workbook[t].iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True),
            register.types,
            register.missing_templates,
        )
        rows: dict[str, Rows] = {}
        for wanted, title in titles.items():
            ws = workbook[title]
            ws.reset_dimensions()
            rows[wanted] = _unescaped(enumerate(ws.iter_rows(values_only=True), start=1))
            register.merged[wanted] = _merged_ranges(path, getattr(ws, "_worksheet_path", ""))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _fill(register, rows)
    except (RegisterStructureError, RegisterUnreadable, TemplateError):
        raise
    except IndexError as exc:  # a reference to a shared text or style beyond the table
        raise RegisterUnreadable(
            f"'{path.name}' is beschadigd: een cel verwijst naar tekst of opmaak die niet "
            f"in het bestand staat. Open het register in Excel, sla het opnieuw op en "
            f"probeer opnieuw."
        ) from exc
    except Exception as exc:
        raise RegisterUnreadable(
            f"'{path.name}' kon niet volledig worden gelezen ({type(exc).__name__}). "
            f"Sla het register opnieuw op in Excel en probeer opnieuw."
        ) from exc
    finally:
        workbook.close()


_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescaped(rows: Rows) -> Rows:
    """Excel's _xHHHH_ escapes decoded, as calamine does: openpyxl's read-only mode keeps
    them, so '_x000B_' (a soft line break) would otherwise reach the annex as text."""
    for number, values in rows:
        if any(v.__class__ is str and "_x" in v for v in values):  # type: ignore[operator]
            values = tuple(
                _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), v) if v.__class__ is str else v
                for v in values
            )  # type: ignore[arg-type]
        yield number, values


_MERGE_CELL = re.compile(
    rb"""<(?:[\w.-]+:)?mergeCell\s(?:[^>]*?\s)?ref\s*=\s*["']"""
    rb"""\$?([A-Za-z]{1,3})\$?([0-9]+)(?::\$?([A-Za-z]{1,3})\$?([0-9]+))?["']"""
)


def _merged_ranges(path: Path, member: str) -> list[str]:
    """Merged ranges of one sheet, read from its XML: openpyxl's read-only mode skips them.

    A plain search of the bytes, so nothing in the file is expanded or resolved; any
    spelling of the tag counts (the file check has bounded every range already).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read(member.lstrip("/"))
    except (KeyError, OSError, zipfile.BadZipFile):
        return []
    ranges = []
    for c0, r0, c1, r1 in _MERGE_CELL.findall(xml):
        first = f"{c0.decode().upper()}{int(r0)}"
        ranges.append(f"{first}:{c1.decode().upper()}{int(r1)}" if c1 else f"{first}:{first}")
    return ranges


def read_register(
    path: str | Path, careful: bool = False, templates: str | Path | None = None, use_setting: bool = True
) -> Register:
    """Open the register read-only and return its records; raises only ToolkitError.

    templates (--sjablonen) is a folder of Word templates that may also declare annex
    types (*.toml); without it the register's setting 'Map met Word-sjablonen' is used,
    unless use_setting is False (the web application: an uploaded register must not
    make the server read a folder it names).

    After the file checks, calamine reads it when a scan shows nothing that could make
    it abort; otherwise (or with careful=True) openpyxl in read-only mode does.
    """
    path = Path(path)
    if templates is not None:
        from toolkit.declarations.sjablonen import require_folder

        require_folder(Path(templates))
    scan = check_register_file(path)
    _require_defusedxml()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RegisterUnreadable(
            f"'{path.name}' kan niet worden gelezen: {exc.strerror}. Sluit het bestand en probeer opnieuw."
        ) from exc
    register = Register(path=path, sha256=hashlib.sha256(data).hexdigest())
    register.facts = scan_register(path)  # before reading: it refuses what reads wrongly
    register.cell_columns = dict(scan.columns)
    with _collector_paused():
        folder = Path(templates) if templates is not None else None
        setting = use_setting
        if careful or not scan.fast_reader_safe or not _read_fast(register, folder, setting):
            register.tables = {}
            _read_careful(register, folder, setting)
    return register


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cycle collection while the records are made: they hold no cycles, and the
    collector would otherwise walk the growing register over and over (a fifth of the
    reading time for 60,000 rows)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
