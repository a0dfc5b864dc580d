"""Start the next edition's register from the last one (`toolkit new-edition`).

After an annex went to the council, pilots reported for the last time and finished
actions leave the register; everything else goes on, whole: columns a coordinator added
to a table come along (after the declared columns, with their header and values), and
nothing is dropped or cut without a line that names it. The old register is only read.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from toolkit.declarations import schema
from toolkit.declarations.annextypes import BUILTIN, AnnexTypes
from toolkit.declarations.sjablonen import SETTING, folder_setting, template_folder
from toolkit.register.cellnotes import CellNote  # noqa: F401 - the type of _OldNote.note
from toolkit.register.read import HEADER_SEARCH_ROWS, Register, read_register, sheet_title
from toolkit.register.sheetxml import SheetFacts
from toolkit.register.write import CutValue, extra_key

_OTHER_SHEETS = (schema.INSTRUCTIONS_SHEET, schema.LISTS_SHEET, schema.SETTINGS_SHEET)


@dataclass
class EditionResult:
    path: Path
    #: rows taken along, per annex type (its plural)
    kept: dict[str, int] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    #: columns a coordinator added, copied along (one line per sheet)
    copied: list[str] = field(default_factory=list)
    #: what could not come along: cut texts, sheets, rows with only added columns
    warnings: list[str] = field(default_factory=list)
    #: the whole texts of cut cells, written beside the new register
    cut_file: Path | None = None

    def kept_text(self) -> str:
        return " en ".join(f"{n} {what}" for what, n in self.kept.items()) or "niets"


@dataclass
class _Added:
    """Columns beyond the schema on one table sheet, and their values per Excel row."""

    headers: list[str] = field(default_factory=list)
    values: dict[int, dict[str, object]] = field(default_factory=dict)


def _plain(value: object) -> object:
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return "WAAR" if value else "ONWAAR"
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, int | float) or value is None:
        return value
    return str(value)


def _added_columns(
    path: Path, types: AnnexTypes = BUILTIN, register: Register | None = None
) -> tuple[dict[str, _Added], list[str]]:
    """Columns the declarations do not have on the table sheets, and sheets they do not know.

    Read separately because the register reader keeps only declared columns. Most
    registers have no added column: a look at the header rows (calamine) and one byte
    search per sheet's XML say so without loading the workbook's shared strings into
    openpyxl, which took a third of new-edition's time (#12). Any doubt, and the sheets
    are read cell by cell with openpyxl (read-only, as the careful reader does).
    """
    quick = _nothing_added(path, types, register)
    if quick is not None:
        return {}, quick
    return _added_columns_openpyxl(path, types)


def _nothing_added(path: Path, types: AnnexTypes, register: Register | None = None) -> list[str] | None:
    """The unknown sheets and entries when no table sheet has a cell outside its declared
    columns; None when one might (or anything is unusual): then openpyxl looks.

    With the register as read, its titles, header positions and small sheets are used, so
    nothing is read twice: calamine loads a workbook's shared strings and a sheet whole,
    even for its top rows, which cost half a second at 10,000 pilots."""
    import zipfile

    from xlsxwriter.utility import xl_col_to_name

    from toolkit.register.sheetxml import _sheet_members

    try:
        if register is None:
            register = read_register(path)
        titles = register.titles
        with zipfile.ZipFile(path) as archive:
            members = _sheet_members(archive)
            for sheet in types.sheets:
                title = sheet_title(titles, sheet.name)
                if title is None:
                    continue
                used = set(register.columns.get(sheet.name, ()))
                letters = register.cell_columns.get(title)
                if letters is not None:  # the file check saw every cell's column already
                    if not used or not letters <= {xl_col_to_name(i) for i in used}:
                        return None
                elif not _only_declared_xml(archive.read(members[title]), used):
                    return None
    except Exception:  # noqa: BLE001 - the careful path decides
        return None
    rows = register.rows_of
    return _unknown_sheets(titles, types) + _unknown_in_rows(
        rows.get(schema.SETTINGS_SHEET, []), rows.get(schema.LISTS_SHEET, [])[:1], types
    )


def _unknown_sheets(titles: list[str], types: AnnexTypes) -> list[str]:
    known = {schema.normalise(n) for n in (*_OTHER_SHEETS, *(s.name for s in types.sheets))}
    return [t for t in titles if schema.normalise(t) not in known]


def _added_columns_openpyxl(path: Path, types: AnnexTypes) -> tuple[dict[str, _Added], list[str]]:
    from openpyxl import load_workbook

    added: dict[str, _Added] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        others = _unknown_sheets(list(workbook.sheetnames), types)
        for sheet in types.sheets:
            title = sheet_title(workbook.sheetnames, sheet.name)
            if title is None:
                continue
            ws = workbook[title]
            ws.reset_dimensions()
            added[sheet.name] = _sheet_added(ws, sheet)
        others += _unknown_entries(workbook, types)
    finally:
        workbook.close()
    return added, others


def _unknown_entries(workbook, types: AnnexTypes = BUILTIN) -> list[str]:  # type: ignore[no-untyped-def]
    """Settings rows and list columns the declarations do not have: the new register has
    only the declared ones, so each is named."""
    titles = {schema.normalise(t): t for t in workbook.sheetnames}
    rows: dict[str, list] = {}  # type: ignore[type-arg]
    for name, limit in ((schema.SETTINGS_SHEET, {"max_col": 2}), (schema.LISTS_SHEET, {"max_row": 1})):
        title = titles.get(schema.normalise(name))
        if title:
            ws = workbook[title]
            ws.reset_dimensions()
            rows[name] = list(ws.iter_rows(values_only=True, **limit))
    return _unknown_in_rows(rows.get(schema.SETTINGS_SHEET, []), rows.get(schema.LISTS_SHEET, []), types)


def _unknown_in_rows(settings: list, lists: list, types: AnnexTypes) -> list[str]:  # type: ignore[type-arg]
    found: list[str] = []
    known = {schema.normalise(s.label) for s in types.settings} | {"instelling"}
    for row in settings:
        label = row[0] if row else None
        if label is not None and str(label).strip() and schema.normalise(str(label)) not in known:
            found.append(f"{schema.SETTINGS_SHEET}: regel '{str(label).strip()[:60]}'")
    known = {
        schema.normalise(n)
        for v in types.vocabularies
        for n in (v.label, v.key, *([v.role_label] if v.roles else []))
    }
    for row in lists[:1]:
        found += [
            f"{schema.LISTS_SHEET}: kolom '{str(h).strip()[:60]}'"
            for h in row
            if h is not None and str(h).strip() and schema.normalise(str(h)) not in known
        ]
    return found


def _sheet_added(ws, sheet: schema.TableSheet) -> _Added:  # type: ignore[no-untyped-def]
    rows = ws.iter_rows(values_only=True)
    header_row, best = 0, -1
    header: tuple[object, ...] = ()
    used: set[int] = set()
    buffered = []
    for number, values in enumerate(rows, start=1):
        buffered.append((number, values))
        positions = schema.match_headers(sheet, list(values)).positions
        if len(positions) > best:
            best, header_row, header, used = len(positions), number, tuple(values), set(positions.values())
        if number >= HEADER_SEARCH_ROWS:
            break
    columns: dict[int, dict[int, object]] = {}  # column index -> row -> value
    if _only_declared(ws, used):
        return _Added()

    def consume(number: int, values) -> None:  # type: ignore[no-untyped-def]
        if number <= header_row:
            return
        for index, raw in enumerate(values):
            if index in used or raw is None:
                continue
            value = _plain(raw)
            if value is not None:
                columns.setdefault(index, {})[number] = value

    for number, values in buffered:
        consume(number, values)
    for number, values in enumerate(rows, start=len(buffered) + 1):
        consume(number, values)
    indices = sorted(
        {i for i, h in enumerate(header) if i not in used and h is not None and str(h).strip()} | set(columns)
    )
    result = _Added()
    for position, index in enumerate(indices):
        label = header[index] if index < len(header) else None
        result.headers.append(str(label).strip() if label is not None else "")
        for number, value in columns.get(index, {}).items():
            result.values.setdefault(number, {})[extra_key(position)] = value
    return result


def _only_declared(ws, used: set[int]) -> bool:  # type: ignore[no-untyped-def]
    """True when no cell of the sheet holds anything outside the declared columns.

    One byte search over the sheet's XML (in C): reading every cell through openpyxl only
    to find no other column took most of new-edition's time (issue 12). Any doubt (a cell
    with content in another column, even an empty text or a title above the header) gives
    False, and the sheet is read cell by cell as before.
    """
    try:
        data = ws.parent._archive.read(ws._worksheet_path)
    except (AttributeError, KeyError, OSError):
        return False
    return _only_declared_xml(data, used)


def _only_declared_xml(data: bytes, used: set[int]) -> bool:
    """No cell of a sheet's XML lies outside the columns in used (0-based positions)."""
    import re

    from xlsxwriter.utility import xl_col_to_name

    if not used:
        return False
    allowed = b"|".join(xl_col_to_name(i).encode() for i in sorted(used))
    other = re.compile(rb'<(?:\w+:)?c\s[^>]*?(?<![\w:])r="(?!(?:' + allowed + rb')\d)[A-Z]*\d*"[^>]*(?<!/)>')
    return b'r="' in data and other.search(data) is None and b"<c>" not in data


def next_edition(
    old: Path,
    new: Path,
    editie: str,
    peildatum: date | None,
    templates: Path | None = None,
    use_setting: bool = True,
) -> EditionResult:
    """templates (--sjablonen) is the folder of Word templates and own annex types, read
    instead of the old register's setting; the new register's setting points to it.
    use_setting as for read_register (the web application reads an upload with the
    server's annex types, never the folder its setting names)."""
    from toolkit.core.output import atomic_write, atomic_write_text, check_new_register, refuse_existing
    from toolkit.register.write import write_register

    check_new_register(new)
    refuse_existing(new.with_name(f"{new.stem}_afgekapt.txt"), "lijst met afgekapte teksten")
    register = read_register(old, templates=templates, use_setting=use_setting)
    try:
        added, other_sheets = _added_columns(old, register.types, register)
    except Exception:  # noqa: BLE001 - the register reader already judged the file
        added, other_sheets = {}, []
    result = EditionResult(new)
    for title in other_sheets:
        what = title if ":" in title else f"tabblad '{title}'"
        result.warnings.append(
            f"{what} gaat niet mee: het nieuwe register heeft alleen wat "
            f"het sjabloon kent. Neem het zo nodig met de hand over."
        )
    record_rows: dict[str, set[int]] = {}
    tables: dict[str, list[dict[str, object]]] = {}
    notes = _old_notes(old, register, result)
    carried: dict[str, dict[tuple[int, str], _OldNote]] = {}
    removed_rows: dict[str, set[int]] = {}
    roles = register.roles  # the coordinator's own wording keeps its meaning
    for annex in register.types.types:
        sheet = annex.sheet
        if sheet.name not in register.sheets:
            continue
        extra = added.get(sheet.name, _Added())
        last = annex.role_column("last_time")
        status = annex.role_column("finished")
        kept = tables.setdefault(sheet.name, [])
        for record in register.records(sheet):
            name = record.text(sheet.name_column)
            first_line = name.splitlines()[0][:60] if name else ""
            if last is not None and roles.last_time(record.text(last.key), last.vocabulary or ""):
                result.removed.append(
                    f"{annex.singular} {record.text(sheet.key_column)} "
                    f"{first_line} (laatste keer gerapporteerd)"
                )
                removed_rows.setdefault(sheet.name, set()).add(record.row)
            elif status is not None and roles.finished(record.text(status.key), status.vocabulary or ""):
                result.removed.append(
                    f"{annex.singular} {record.text(sheet.key_column)} "
                    f"{first_line} ({record.text(status.key)})"
                )
                removed_rows.setdefault(sheet.name, set()).add(record.row)
            else:
                _carry_notes(record, len(kept), notes.get(sheet.name, {}), carried.setdefault(sheet.name, {}))
                _warn_uncalculated(record, register, result)
                kept.append({**record.values, **extra.values.get(record.row, {})})
            record_rows.setdefault(sheet.name, set()).add(record.row)
        result.kept[annex.plural] = len(kept)
        for ref, note in sorted(notes.get(sheet.name, {}).items()):
            if not note.taken and _row_of(ref) not in removed_rows.get(sheet.name, set()):
                result.warnings.append(
                    f"{sheet.name}!{ref}: {note.describe()} gaat niet mee (de cel hoort niet bij "
                    f"een rij of kolom die het nieuwe register heeft). Neem het zo nodig met de "
                    f"hand over."
                )
    for sheet_name, extra in added.items():
        if extra.headers:
            names = ", ".join(f"'{h}'" if h else "(zonder kop)" for h in extra.headers)
            result.copied.append(
                f"{sheet_name}: toegevoegde kolom(men) {names} met hun "
                f"waarden meegenomen, achter de vaste kolommen."
            )
        orphans = sorted(set(extra.values) - record_rows.get(sheet_name, set()))
        if orphans:
            rows = ", ".join(str(r) for r in orphans[:10]) + (" …" if len(orphans) > 10 else "")
            result.warnings.append(
                f"{sheet_name}: rij(en) {rows} hebben alleen waarden in toegevoegde kolommen "
                f"en gaan niet mee."
            )
    facts = register.facts.get(schema.SETTINGS_SHEET)
    for key, row in register.setting_rows.items():
        if facts is not None:
            where = f"{schema.SETTINGS_SHEET}!B{row} ({register.types.setting(key).label})"
            warning = _formula_warning(
                facts, f"B{row}", where, "de instelling", "Vul de instelling in het nieuwe register in."
            )
            if warning:
                result.warnings.append(warning)
    settings = dict(register.settings)
    settings["editie"] = editie
    templates_setting = _templates_setting(register, new, templates)
    if templates_setting is not None:
        settings[SETTING] = templates_setting
    if peildatum is not None:
        settings["peildatum"] = peildatum
    columns = {name: extra.headers for name, extra in added.items() if extra.headers}
    cuts: list[CutValue] = []
    problems: list[str] = []
    atomic_write(
        new,
        lambda tmp: write_register(
            tmp,
            tables,
            settings,
            register.lists,
            columns,
            cuts,
            register.meanings,
            sheets=register.sheets,
            types=register.types,
            notes={name: {at: note.note for at, note in found.items()} for name, found in carried.items()},
            problems=problems,
        ),
        protect=(old,),
    )
    result.warnings += problems
    copied_notes = sum(len(found) for found in carried.values())
    if copied_notes:
        result.copied.append(
            f"{copied_notes} opmerking(en) en hyperlink(s) bij cellen meegenomen naar dezelfde cellen."
        )
    if cuts:
        result.cut_file = atomic_write_text(
            new.with_name(f"{new.stem}_afgekapt.txt"), cut_report(cuts), replace=False
        )
        result.warnings += [
            f"{cut.describe()} De hele tekst staat in {result.cut_file.name}." for cut in cuts
        ]
    return result


def _templates_setting(register: Register, new: Path, templates: Path | None) -> str | None:
    """'Map met Word-sjablonen' for the new register, so that it finds the same folder
    from its own place (it may be written elsewhere than the old one); None: unchanged.

    A relative setting is relative to the register's folder; an absolute one (or one
    starting with ~) holds anywhere and is kept as the coordinator wrote it.
    """
    written = register.setting_text(SETTING).strip()
    if templates is None and (not written or Path(written).expanduser().is_absolute()):
        return None
    folder = template_folder(register.path, written, templates)
    return folder_setting(folder, new) if folder is not None else None


@dataclass
class _OldNote:
    """A comment or link in the old register, and whether the new one has it."""

    note: CellNote
    taken: bool = False

    def describe(self) -> str:
        return self.note.describe()


def _row_of(ref: str) -> int:
    digits = "".join(c for c in ref if c.isdigit())
    return int(digits) if digits else 0


def _column_of(ref: str) -> str:
    return "".join(c for c in ref if c.isalpha())


def _old_notes(old: Path, register: Register, result: EditionResult) -> dict[str, dict[str, _OldNote]]:
    """The comments and hyperlinks on the table sheets, by sheet name and cell."""
    from toolkit.register.cellnotes import read_cell_notes

    titles = {sheet.name: sheet_title(register.titles, sheet.name) for sheet in register.table_sheets}
    try:
        found = read_cell_notes(old, [t for t in titles.values() if t])
    except Exception:  # noqa: BLE001 - the register reader already judged the file
        result.warnings.append(
            "De opmerkingen en hyperlinks bij cellen konden niet worden "
            "gelezen en gaan niet mee; neem ze zo nodig met de hand over."
        )
        return {}
    return {
        name: {ref: _OldNote(note) for ref, note in found.get(title, {}).items()}
        for name, title in titles.items()
        if title
    }


def _carry_notes(  # type: ignore[no-untyped-def]
    record,
    index: int,
    notes: dict[str, _OldNote],
    carried: dict[tuple[int, str], _OldNote],
) -> None:
    """A kept row's comments and links go to the same column of its new row."""
    if not notes:
        return
    by_letter = {letter: key for key, letter in record.letters.items()}
    for ref, note in notes.items():
        if _row_of(ref) == record.row and _column_of(ref) in by_letter:
            carried[(index, by_letter[_column_of(ref)])] = note
            note.taken = True


def _warn_uncalculated(record, register: Register, result: EditionResult) -> None:  # type: ignore[no-untyped-def]
    """A formula without a value, or with an Excel error (#DEEL/0!, #N/B), comes along as
    an empty cell: the officer is told which, so no content disappears unnamed."""
    facts = register.facts.get(record.sheet.name)
    if facts is None or not (facts.uncalculated or facts.errors):
        return
    for key, letter in record.letters.items():
        ref = f"{letter}{record.row}"
        where = (
            f"{record.sheet.name}!{ref} ({record.text(record.sheet.key_column)}, "
            f"{record.sheet.column(key).label})"
        )
        warning = _formula_warning(
            facts,
            ref,
            where,
            "de cel",
            "Herstel de formule in het oude register en maak de nieuwe editie opnieuw, of vul "
            "de cel in het nieuwe register in.",
        )
        if warning:
            result.warnings.append(warning)


def _formula_warning(facts: SheetFacts, ref: str, where: str, what: str, error_hint: str) -> str:
    """The line for a cell that comes along empty because its formula gave an Excel
    error or has no calculated value ("" for any other cell); what: "de cel" or "de
    instelling"."""
    if ref in facts.errors:
        return (
            f"{where}: de cel gaf een Excel-fout ({facts.errors[ref]}); in het nieuwe register "
            f"is {what} leeg. {error_hint}"
        )
    if ref in facts.uncalculated:
        return (
            f"{where}: een formule zonder berekende waarde; in het nieuwe register is {what} "
            f"leeg. Open het oude register in Excel, sla het op en maak de nieuwe editie "
            f"opnieuw, of vul {what} in."
        )
    return ""


def cut_report(cuts: list[CutValue]) -> str:
    """The whole texts that did not fit in a cell, so nothing is lost."""
    lines = [
        "Teksten die niet helemaal in een Excel-cel passen",
        "=================================================",
        "",
    ]
    for cut in cuts:
        lines += [cut.describe(), "", "Volledige tekst:", cut.text, "", "-" * 40, ""]
    return "\n".join(lines)
