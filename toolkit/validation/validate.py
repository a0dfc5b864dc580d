"""Run the pandera schemas on a register and turn their failures into findings.

pandera decides which cells break which rule; this module adds what a reviewer needs
on top (the value, a detail for the message, which pilot it concerns) and collapses a
cross-field failure, which pandera repeats for every column, into one finding per row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.core import dates
from toolkit.core.closest import closest
from toolkit.core.richtext import (
    direction_chars,
    id_oddities,
    parse_rich,
    plain_line,
    tags_in,
    text_issues,
)
from toolkit.declarations import schema
from toolkit.declarations.findings import (
    RULES_BY_CODE,
    Finding,
    counts,
    declared_finding,
    make_finding,
    visible,
)
from toolkit.declarations.schema import TableSheet
from toolkit.register.read import Record, Register, read_register

if TYPE_CHECKING:
    import pandas as pd

    from toolkit.declarations.annextypes import AnnexType


@dataclass
class ValidationResult:
    register: Register
    peildatum: date | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "fout"]

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.findings)

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


def record_label(record: Record) -> str:
    """'P-004 Dealbreakers': how a reviewer recognises the row (declared key and name)."""
    name_key = record.sheet.name_column
    name = parse_rich(record.values.get(name_key)).plain.split("\n")[0]
    if len(name) > 70:
        name = name[:67] + "…"
    key = record.text(record.sheet.key_column)
    return " ".join(part for part in (key, name) if part) or f"rij {record.row}"


def resolve_peildatum(register: Register, override: date | None) -> tuple[date | None, str]:
    """The peildatum from --peildatum, else from Instellingen; and the text it came from."""
    if override is not None:
        return override, dates.format_dutch(override)
    raw = register.settings.get("peildatum")
    if isinstance(raw, datetime | date):
        d = raw.date() if isinstance(raw, datetime) else raw
        return d, dates.format_dutch(d)
    text = register.setting_text("peildatum")
    return dates.parse_peildatum(text), text


#: list values suggested for at most this many different wrong values per sheet: a
#: column of pasted free text would otherwise compare every text with every list value
MAX_SUGGESTED = 500


def _closest(value: str, vocabulary: str, choices: list[str], asked: dict[str, str]) -> str:
    """ " Bedoelt u 'Financiën'?" for a value close to one list value ('Financien'), else ""."""
    key = f"{vocabulary}\x00{value}"
    if key in asked or len(asked) >= MAX_SUGGESTED:
        return asked.get(key, "")
    near = closest(value, choices, cutoff=0.8, fold=schema.normalise)
    asked[key] = f" Bedoelt u '{near}'?" if near else ""
    return asked[key]


def _detail(
    code: str, record: Record, key: str, lists: dict[str, list[str]], asked: dict[str, str] | None = None
) -> tuple[str, str]:
    """(value, detail) for a rule's message, looked up from the record; asked holds the
    suggestions made so far for values not in a list."""
    value = record.text(key)
    if code == "niet-in-lijst":
        vocab = record.sheet.column(key).vocabulary
        return value, _closest(value, vocab or "", lists.get(vocab or "", []), {} if asked is None else asked)
    if code == "schrijfwijze-lijst":
        vocab = record.sheet.column(key).vocabulary
        folded = schema.normalise(value)
        match = next((v for v in lists.get(vocab or "", []) if schema.normalise(v) == folded), "")
        return value, match
    if code == "datum-onleesbaar":
        return value, ", ".join(f"'{e}'" for e in dates.ACCEPTED_EXAMPLES[:9])
    if code in (
        "html-onbekend",
        "teken-ongeldig",
        "teken-emoji",
        "opsomming-niveau",
        "html-tabel",
        "markdown-kop",
    ):
        rich = record.sheet.column(key).kind.traits.rich
        return value, ", ".join(dict.fromkeys(i.detail for i in text_issues(value, rich) if i.code == code))
    if code == "html-in-tekstveld":
        return value, f"{tags_in(value)}; in de bijlage komt: '{plain_line(value)}'"
    if code == "teken-richting":
        return value, direction_chars(value)
    if code == "id-onzichtbaar":
        return value, id_oddities(value)
    if code == "te-lang":
        return value, f"{len(value):,}".replace(",", ".")
    return value, ""


def _sheet_findings(register: Register, sheet: TableSheet, peildatum: date | None) -> list[Finding]:
    import pandera.pandas as pa

    from toolkit.validators import sheet_frame, table_schema

    records = register.records(sheet)
    if not records:
        return []
    empty_lists = _empty_list_findings(register, sheet, len(records))
    by_row = {r.row: r for r in records}
    frame = sheet_frame(records, sheet)
    lists = {k: list(v) for k, v in register.lists.items()}
    findings: list[Finding] = []
    try:
        table_schema(sheet, lists).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        seen: set[tuple[str, int, str]] = set()
        asked: dict[str, str] = {}
        for case in exc.failure_cases.itertuples(index=False):
            code = str(case.check)
            if code not in RULES_BY_CODE:
                continue  # a dtype or other internal pandera check: not the officer's concern
            if case.index is None:
                continue
            row = int(case.index)
            key = str(case.column).split("__")[0]
            if (code, row, key) in seen:
                continue
            seen.add((code, row, key))
            record = by_row[row]
            value, detail = _detail(code, record, key, lists, asked)
            loc = record.location(key)
            findings.append(
                make_finding(
                    code, sheet.name, row, loc.column, loc.label, value, detail, record_label(record)
                )
            )
    declared, quiet, restating = _declared_findings(register, sheet, peildatum, frame, by_row)
    # an empty required cell is said once: verplicht-leeg, unless a declared rule explains
    # why it is empty (a continued row); a declared finding that only says the same cell is
    # empty ("uitkomst nog onbekend: is nog ''") then adds nothing
    required = [f for f in findings if f.code == "verplicht-leeg" and (f.row, f.label) not in quiet]
    empty = {(f.row, f.label) for f in required}
    return (
        empty_lists
        + [f for f in findings if not (f.code == "verplicht-leeg" and (f.row, f.label) in quiet)]
        + [f for f in declared if not ((f.row, f.label) in empty and (f.row, f.label, f.code) in restating)]
    )


def _declared_findings(
    register: Register,
    sheet: TableSheet,
    peildatum: date | None,
    frame: pd.DataFrame,
    by_row: dict[int, Record],
) -> tuple[list[Finding], set[tuple[int | None, str]], set[tuple[int | None, str, str]]]:
    """The findings of the rules the sheet's annex type declares ([[regel]]): one per code
    and cell (the first declared rule says it); the cells a continuation row leaves
    empty on purpose (no verplicht-leeg there); and the (row, label, code) of findings
    that only say their cell is empty (verplicht-leeg says that of a required one)."""
    from toolkit.validators.rules import Sheet, broken_rows, placeholders

    annex = register.types.of_sheet(sheet.name)
    ctx = Sheet(sheet, register.roles, peildatum, lambda row, key: by_row[row].text(key))
    seen: set[tuple[str, int, str]] = set()
    findings: list[Finding] = []
    quiet: set[tuple[int | None, str]] = set()  # (row, label): no verplicht-leeg there
    restating: set[tuple[int | None, str, str]] = set()
    for rule in annex.rules:
        empty_column = rule.spec.says_empty(rule)
        for row, extra in broken_rows(frame, rule, ctx).items():
            if (rule.code, row, rule.anchor) in seen:
                continue
            seen.add((rule.code, row, rule.anchor))
            record = by_row[row]
            loc = record.location(rule.anchor)
            findings.append(
                declared_finding(
                    rule,
                    sheet.name,
                    row,
                    loc.column,
                    loc.label,
                    record.text(rule.value),
                    placeholders(rule, row, extra, ctx, visible),
                    record_label(record),
                )
            )
            if rule.spec.explains_empty:
                quiet.update((row, sheet.column(k).label) for k in rule.columns(rule.spec.explains_empty))
            if empty_column == rule.anchor and not record.text(rule.anchor).strip():
                restating.add((row, loc.label, rule.code))
    return findings, quiet, restating


def _empty_list_findings(register: Register, sheet: TableSheet, rows: int) -> list[Finding]:
    """One finding per empty keuzelijst a sheet with rows uses, instead of an error on
    every row: a new municipality's register (toolkit init) starts with empty lists, and
    filling the list is the one thing to do."""
    findings = []
    for col in sheet.columns:
        if col.vocabulary and not register.lists.get(col.vocabulary):
            voc = register.types.vocabulary(col.vocabulary)
            where = f"{rows} {'rij' if rows == 1 else 'rijen'} op het tabblad {sheet.name}"
            findings.append(
                make_finding(
                    "lijst-leeg",
                    schema.LISTS_SHEET,
                    None,
                    "",
                    voc.label,
                    col.label,
                    where,
                    f"{sheet.name}: {col.label}",
                )
            )
    return findings


def _settings_findings(register: Register, peildatum: date | None, peil_text: str) -> list[Finding]:
    findings = []
    facts = register.facts.get(schema.SETTINGS_SHEET)
    uncalculated = facts.uncalculated if facts else set()
    for s in register.types.settings_for(register.sheets):
        row = register.setting_rows.get(s.key)
        if row and f"B{row}" in uncalculated:  # a formula, not an empty setting
            findings.append(
                make_finding("formule-niet-berekend", schema.SETTINGS_SHEET, row, "B", s.label, "")
            )
        elif row and facts is not None and f"B{row}" in facts.errors:
            findings.append(
                make_finding(
                    "formule-fout", schema.SETTINGS_SHEET, row, "B", s.label, facts.errors[f"B{row}"]
                )
            )
        elif s.required and not register.setting_text(s.key).strip():
            findings.append(
                make_finding("instelling-leeg", schema.SETTINGS_SHEET, row, "B" if row else "", s.label, "")
            )
        text = register.setting_text(s.key)
        if direction_chars(text):  # the settings are printed in the annexes too
            row = register.setting_rows.get(s.key)
            findings.append(
                make_finding(
                    "teken-richting",
                    schema.SETTINGS_SHEET,
                    row,
                    "B" if row else "",
                    s.label,
                    text,
                    direction_chars(text),
                )
            )
    findings.extend(_publishing_settings_findings(register))
    findings.extend(_missing_sheet_findings(register))
    if peildatum is None:
        row = register.setting_rows.get("peildatum")
        findings.append(
            make_finding(
                "peildatum-ontbreekt",
                schema.SETTINGS_SHEET,
                row,
                "B" if row else "",
                schema.setting("peildatum").label,
                peil_text or "leeg",
            )
        )
    return findings


#: The longest single-line setting (gemeente, editie, titles): it goes into the annex's
#: title, its document properties (at most 255 characters) and its file name.
MAX_SETTING_LENGTH = 100


def annex_numbers(types: tuple[AnnexType, ...]) -> list[tuple[AnnexType, str, bool]]:
    """Per annex type, the setting that holds its annex number, as the declaration uses
    it: the first {nummer} of its numbered groups (a run of annexes, one per group: True),
    else a setting with a number as default in its title or document name (one annex,
    which may carry a letter: 5a)."""
    found = []
    for annex in types:
        run = next((g.number_from for g in annex.arrangement.groups if isinstance(g.number_from, str)), None)
        if run is not None:
            found.append((annex, run, True))
            continue
        defaults = {s.key: s.default.strip() for s in annex.settings}
        named = re.findall(r"\{([a-z][a-z0-9_]*)\}", f"{annex.title} {annex.document}")
        # a number an annex can have (1 to 999): a {jaar} of 2026 in the title is no number
        single = next(
            (k for k in named if defaults.get(k, "").isdigit() and 0 < int(defaults[k]) < 1000), None
        )
        if single is not None:
            found.append((annex, single, False))
    return found


def _missing_sheet_findings(register: Register) -> list[Finding]:
    """A table sheet that is gone while Instellingen still describe its annex: a deleted
    Pilots sheet would otherwise pass as a register that makes only the status annexes."""
    findings = []
    present = {s.key for s in register.types.settings_for(register.sheets)}
    for annex in register.types.types:
        if annex.sheet.name in register.sheets:
            continue
        rows = sorted(
            (register.setting_rows[s.key], s.label)
            for s in annex.settings
            if s.key in register.setting_rows and s.key not in present
        )
        if rows:
            row, label = rows[0]
            findings.append(
                make_finding(
                    "tabblad-ontbreekt", schema.SETTINGS_SHEET, row, "A", label, annex.sheet.name, annex.name
                )
            )
    return findings


def _publishing_settings_findings(register: Register) -> list[Finding]:
    """Settings that would give a wrong or broken annex: numbers, lengths, 'Gemeente'."""
    from toolkit.core.settingtext import annex_number, municipality

    findings = []

    def add(code: str, key: str, value: object, detail: str = "") -> None:
        row = register.setting_rows.get(key)
        findings.append(
            make_finding(
                code,
                schema.SETTINGS_SHEET,
                row,
                "B" if row else "",
                register.types.setting(key).label,
                value,
                detail,
            )
        )

    present = [t for t in register.types.types if t.sheet.name in register.sheets]
    numbered = annex_numbers(tuple(present))
    number_keys = {key for _, key, _ in numbered}
    for s in register.types.settings_for(register.sheets):
        text = register.setting_text(s.key).strip()
        if s.kind.traits.plain and s.key not in number_keys and len(text) > MAX_SETTING_LENGTH:
            add("instelling-te-lang", s.key, MAX_SETTING_LENGTH, f"{len(text):,}".replace(",", "."))
    numbers = {}
    for _, key, run in dict((key, (a, key, run)) for a, key, run in numbered).values():
        text = register.setting_text(key).strip()
        numbers[key] = annex_number(text, not run)
        if text and numbers[key] is None:
            add("bijlagenummer-ongeldig", key, text, "" if run else " (of 5a)")
    for single, key, run in numbered:
        number = numbers[key]
        if run or number is None:
            continue
        for other, first_key, other_run in numbered:
            first = numbers[first_key]
            group = other.arrangement.groups[0].column if other_run else ""
            count = len({r.text(group) for r in register.records(other.sheet.name)}) if group else 0
            if other is single or not other_run or first is None or not count:
                continue
            last = first + count - 1
            if first <= number <= last:
                span = str(first) if last == first else f"{first} tot en met {last}"
                add("bijlagenummer-dubbel", first_key, register.setting_text(key).strip(), span)
    gemeente = register.setting_text("gemeente").strip()
    if gemeente and municipality(gemeente) != gemeente:
        add("gemeente-voorvoegsel", "gemeente", gemeente, municipality(gemeente))
    for annex in present:  # the settings an annex asks a warning for when left empty
        for setting in annex.settings:
            if setting.warn_empty and not register.setting_text(setting.key).strip():
                add("inleiding-leeg", setting.key, "", annex.name)
    if present and not any(register.published(t) for t in present):
        annex = present[0]
        column = annex.role_column("published", "last_time") or annex.sheet.column(annex.sheet.key_column)
        findings.append(
            make_finding(
                "register-leeg", annex.sheet.name, None, "", column.label, "", record="het hele register"
            )
        )
    return findings


def _list_role_findings(register: Register) -> list[Finding]:
    """Lijsten: values whose meaning the toolkit cannot tell, and required meanings that no
    value has; without them a pilot would silently drop out of the annex."""
    findings = []
    for voc in register.types.vocabularies:
        cells = register.list_cells.get(voc.key)
        if not voc.roles or not cells:
            continue  # the standard list (nothing on the sheet) has every role
        choices = ", ".join(f"'{r.label}'" for r in voc.roles)
        record = f"lijst '{voc.label}'"
        for value, cell in cells.items():
            if register.roles.role(voc.key, value) is None:
                column = cell.rstrip("0123456789")
                findings.append(
                    make_finding(
                        "betekenis-onbekend",
                        schema.LISTS_SHEET,
                        int(cell[len(column) :]),
                        column,
                        voc.label,
                        value,
                        choices,
                        record,
                    )
                )
        present = set(register.roles.by_value.get(voc.key, {}).values())
        column = next(iter(cells.values())).rstrip("0123456789")
        for role in voc.roles:
            if role.required and role not in present:
                findings.append(
                    make_finding(
                        "betekenis-ontbreekt",
                        schema.LISTS_SHEET,
                        1,
                        column,
                        voc.label,
                        role.label,
                        record=record,
                    )
                )
    return findings


def _merged_findings(register: Register) -> list[Finding]:
    findings = []
    for sheet in register.table_sheets:
        records = register.records(sheet)
        letters = records[0].letters if records else {}
        labels = {letter: sheet.column(key).label for key, letter in letters.items()}
        by_row = {r.row: r for r in records}
        for ref in register.merged.get(sheet.name, []):
            first = ref.split(":")[0]
            column = first.rstrip("0123456789")
            row = int(first[len(column) :])
            record = by_row.get(row)
            findings.append(
                make_finding(
                    "cellen-samengevoegd",
                    sheet.name,
                    row,
                    column,
                    labels.get(column, column),
                    ref,
                    record=record_label(record) if record else f"rij {row}",
                )
            )
    return findings


def _ranges(numbers: list[int]) -> str:
    """'5-9, 12': rows as a reviewer reads them."""
    spans: list[list[int]] = []
    for n in sorted(set(numbers)):
        if spans and spans[-1][1] == n - 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def _sheet_xml_findings(register: Register) -> list[Finding]:
    """Hidden rows and columns that are published anyway, and uncalculated formulas."""
    findings = []
    for sheet in register.table_sheets:
        facts = register.facts.get(sheet.name)
        records = register.records(sheet)
        if facts is None or not records:
            continue
        by_row = {r.row: r for r in records}
        if facts.hidden_sheet:
            findings.append(
                make_finding(
                    "tabblad-verborgen", sheet.name, None, "", sheet.name, sheet.name, record=sheet.name
                )
            )
        letters = records[0].letters
        key_of = {letter: key for key, letter in letters.items()}
        hidden = [row for row in facts.hidden_rows if row in by_row]
        if hidden:
            first = by_row[hidden[0]]
            loc = first.location(sheet.key_column)
            findings.append(
                make_finding(
                    "rijen-verborgen",
                    sheet.name,
                    first.row,
                    loc.column,
                    loc.label,
                    _ranges(hidden),
                    record=record_label(first),
                )
            )
        published = [
            letter
            for letter in facts.hidden_columns
            if letter in key_of and sheet.column(key_of[letter]).published
        ]
        if published:
            names = ", ".join(f"{letter} ({sheet.column(key_of[letter]).label})" for letter in published)
            findings.append(
                make_finding(
                    "kolommen-verborgen",
                    sheet.name,
                    None,
                    published[0],
                    sheet.column(key_of[published[0]]).label,
                    names,
                    record=sheet.name,
                )
            )
        for ref in sorted(facts.uncalculated, key=lambda r: (len(r), r)):
            column = ref.rstrip("0123456789")
            row = int(ref[len(column) :] or 0)
            record = by_row.get(row)
            if record is None or column not in key_of:
                continue
            findings.append(
                make_finding(
                    "formule-niet-berekend",
                    sheet.name,
                    row,
                    column,
                    sheet.column(key_of[column]).label,
                    "",
                    record=record_label(record),
                )
            )
        for ref, shown in sorted(facts.errors.items(), key=lambda item: (len(item[0]), item[0])):
            column = ref.rstrip("0123456789")
            row = int(ref[len(column) :] or 0)
            if column not in key_of or row <= 1:
                continue  # a column the toolkit does not read, or the header row
            record = by_row.get(row)
            findings.append(
                make_finding(
                    "formule-fout",
                    sheet.name,
                    row,
                    column,
                    sheet.column(key_of[column]).label,
                    shown,
                    record=record_label(record) if record else f"rij {row}",
                )
            )
    return findings


def validate_register(register: Register, peildatum: date | None = None) -> ValidationResult:
    """Every finding for an already-read register; never raises for bad data."""
    peil, peil_text = resolve_peildatum(register, peildatum)
    findings = _settings_findings(register, peil, peil_text) + _merged_findings(register)
    findings.extend(_list_role_findings(register))
    for sheet in register.table_sheets:
        findings.extend(_sheet_findings(register, sheet, peil))
    xml_findings = _sheet_xml_findings(register)
    if xml_findings:  # an uncalculated formula is not an empty cell: say it once, rightly
        formulas = {
            (f.sheet, f.cell) for f in xml_findings if f.code in ("formule-niet-berekend", "formule-fout")
        }
        findings = [f for f in findings if not (f.code == "verplicht-leeg" and (f.sheet, f.cell) in formulas)]
        findings.extend(xml_findings)
    findings.sort(key=sort_key)
    return ValidationResult(register, peil, findings)


def validate_file(path: str | Path, peildatum: date | None = None) -> ValidationResult:
    return validate_register(read_register(path), peildatum)


def sheet_order(sheet: str) -> tuple[int, str]:
    """The coordinator's sheets first, then the table sheets in declaration order, then
    the sheets of a register's own annex types (by name)."""
    order = [schema.SETTINGS_SHEET, schema.LISTS_SHEET, *(s.name for s in schema.TABLE_SHEETS)]
    return (order.index(sheet) if sheet in order else len(order), sheet)


def sort_key(finding: Finding) -> tuple[object, ...]:
    return (sheet_order(finding.sheet), finding.row or 0, len(finding.column), finding.column, finding.code)
