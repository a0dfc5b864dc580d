"""Read the officers' register into records that know where each value came from.

Every later step (findings, reports, the build) needs to say "Pilots!G7"; the reader
keeps that location with every value so nothing downstream has to recompute it.
The register is opened read-only and never written.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from openpyxl.utils import get_column_letter

from . import schema
from .errors import RegisterStructureError, RegisterUnreadable
from .filecheck import check_register_file
from .schema import Column, TableSheet

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


@dataclass
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
        if value is None:
            return ""
        if isinstance(value, datetime | date):
            from .dates import format_dutch

            return format_dutch(value)
        return str(value)

    def __getitem__(self, key: str) -> object:
        return self.values.get(key)


@dataclass
class Register:
    path: Path
    sha256: str
    pilots: list[Record] = field(default_factory=list)
    actions: list[Record] = field(default_factory=list)
    lists: dict[str, list[str]] = field(default_factory=dict)
    settings: dict[str, object] = field(default_factory=dict)
    setting_rows: dict[str, int] = field(default_factory=dict)
    date1904: bool = False

    def records(self, sheet: TableSheet) -> list[Record]:
        return self.pilots if sheet is schema.PILOTS else self.actions

    def setting_text(self, key: str) -> str:
        value = self.settings.get(key)
        if value is None:
            return ""
        if isinstance(value, datetime | date):
            from .dates import format_dutch

            return format_dutch(value)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)


def _require_defusedxml() -> None:
    try:
        import defusedxml  # noqa: F401
        from openpyxl.xml import DEFUSEDXML
    except ImportError as exc:  # pragma: no cover - guarded by the dependency list
        raise RegisterUnreadable(
            "Het pakket defusedxml ontbreekt; zonder dat pakket leest de toolkit geen "
            "Excel-bestanden (bescherming tegen kwaadaardige bestanden). Installeer het "
            "opnieuw met 'uv sync'."
        ) from exc
    if not DEFUSEDXML:  # pragma: no cover
        raise RegisterUnreadable(
            "openpyxl gebruikt defusedxml niet; de toolkit leest uit voorzorg geen "
            "Excel-bestanden. Installeer de omgeving opnieuw met 'uv sync'."
        )


def _cell_value(value: object) -> object:
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool):
        return "WAAR" if value else "ONWAAR"
    return value


def _find_sheet(workbook, wanted: str):  # type: ignore[no-untyped-def]
    for title in workbook.sheetnames:
        if schema.normalise(title) == schema.normalise(wanted):
            return workbook[title]
    return None


def _rows(ws) -> Iterator[tuple[int, tuple[object, ...]]]:  # type: ignore[no-untyped-def]
    yield from enumerate(ws.iter_rows(values_only=True), start=1)


def _read_table(ws, sheet: TableSheet, register_name: str) -> list[Record]:  # type: ignore[no-untyped-def]
    rows = _rows(ws)
    header_row = 0
    match = None
    best = -1
    buffered: list[tuple[int, tuple[object, ...]]] = []
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
            f"het sjabloon (templates/pilot_register.xlsx)."
        )
    letters = {key: get_column_letter(index + 1) for key, index in match.positions.items()}
    records: list[Record] = []

    def consume(number: int, values: tuple[object, ...]) -> None:
        if number <= header_row:
            return
        row_values: dict[str, object] = {}
        for key, index in match.positions.items():
            raw = values[index] if index < len(values) else None
            row_values[key] = _cell_value(raw)
        if all(v is None for v in row_values.values()):
            return
        records.append(Record(sheet, number, row_values, letters))

    for number, values in buffered:
        consume(number, values)
    for number, values in rows:
        consume(number, values)
    return records


def _read_lists(ws) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    by_label = {}
    for voc in schema.VOCABULARIES:
        by_label[schema.normalise(voc.label)] = voc.key
        by_label[schema.normalise(voc.key)] = voc.key
    columns: dict[int, str] = {}
    lists: dict[str, list[str]] = {}
    for number, values in _rows(ws):
        if number == 1:
            for index, header in enumerate(values):
                key = by_label.get(schema.normalise(str(header))) if header else None
                if key:
                    columns[index] = key
                    lists[key] = []
            continue
        for index, key in columns.items():
            value = values[index] if index < len(values) else None
            value = _cell_value(value)
            if value is not None:
                lists[key].append(str(value).strip())
    for voc in schema.VOCABULARIES:
        if not lists.get(voc.key):
            lists[voc.key] = list(voc.values)
    return lists


def _read_settings(ws) -> tuple[dict[str, object], dict[str, int]]:  # type: ignore[no-untyped-def]
    by_label = {schema.normalise(s.label): s.key for s in schema.SETTINGS}
    settings: dict[str, object] = {}
    rows: dict[str, int] = {}
    for number, values in _rows(ws):
        if not values or values[0] is None:
            continue
        key = by_label.get(schema.normalise(str(values[0])))
        if key and key not in settings:
            settings[key] = _cell_value(values[1]) if len(values) > 1 else None
            rows[key] = number
    return settings, rows


def read_register(path: str | Path) -> Register:
    """Open the register read-only and return its records; raises only ToolkitError."""
    path = Path(path)
    check_register_file(path)
    _require_defusedxml()
    import zipfile

    from openpyxl import load_workbook

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RegisterUnreadable(
            f"'{path.name}' kan niet worden gelezen: {exc.strerror}. Sluit het bestand "
            f"en probeer opnieuw."
        ) from exc
    register = Register(path=path, sha256=hashlib.sha256(data).hexdigest())
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
        register.date1904 = bool(getattr(workbook, "epoch", None) and workbook.epoch.year == 1904)
        found = {}
        for wanted in (schema.PILOTS.name, schema.ACTIONS.name, schema.LISTS_SHEET,
                       schema.SETTINGS_SHEET):
            ws = _find_sheet(workbook, wanted)
            if ws is None:
                present = ", ".join(f"'{t}'" for t in workbook.sheetnames)
                raise RegisterStructureError(
                    f"Het tabblad '{wanted}' ontbreekt in '{path.name}' (wel aanwezig: "
                    f"{present}). Is het hernoemd? Geef het de naam '{wanted}' terug."
                )
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()
            found[wanted] = ws
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            register.pilots = _read_table(found[schema.PILOTS.name], schema.PILOTS, path.name)
            register.actions = _read_table(found[schema.ACTIONS.name], schema.ACTIONS,
                                           path.name)
            register.lists = _read_lists(found[schema.LISTS_SHEET])
            register.settings, register.setting_rows = _read_settings(
                found[schema.SETTINGS_SHEET]
            )
    except (RegisterStructureError, RegisterUnreadable):
        raise
    except Exception as exc:
        raise RegisterUnreadable(
            f"'{path.name}' kon niet volledig worden gelezen ({type(exc).__name__}). "
            f"Sla het register opnieuw op in Excel en probeer opnieuw."
        ) from exc
    finally:
        workbook.close()
    return register


def column_letter(sheet: TableSheet, column: Column) -> str:
    """The letter a column has in the template (for reports on files we generated)."""
    return get_column_letter(sheet.columns.index(column) + 1)
