"""Read last edition's Word annexes back into a register (`toolkit import`).

Coordinators start from the Word file that went to the council, made by `toolkit build`
or by hand. The layout is the reference's: a heading per pilot, section headings, and
two-column tables (label | text); for actions, per opgave and per Doel a table
Activiteit | Resultaat | Status. People vary it (merged cells, empty rows, misspelt
labels, a question over two lines), so labels are matched tolerantly and everything
that is skipped is reported.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import schema
from .errors import RegisterUnreadable
from .status import split_status

LAST_TIME_MARK = "voor het laatst"
NEW_MARK = "Nieuw in deze editie"
CHANGES_HEADING = "wijzigingen sinds de vorige editie"


def _key(text: str) -> str:
    """Labels compared without case, spacing or punctuation."""
    return " ".join(re.sub(r"[^\w]+", " ", schema.normalise(text)).split())


SECTIONS = {_key(title): title for title, _ in schema.CARD_SECTIONS}
PILOT_LABELS: dict[str, str] = {}
for _title, _fields in schema.CARD_SECTIONS:
    for _label, _field_key in _fields:
        PILOT_LABELS[_key(_label)] = _field_key
for _col in schema.PILOTS.columns:
    if _col.published:
        for _name in (_col.label, *_col.aliases):
            PILOT_LABELS.setdefault(_key(_name), _col.key)
ACTION_HEADERS = {"activiteit": "activiteit", "activiteiten": "activiteit",
                  "resultaat": "resultaat", "resultaten": "resultaat", "status": "status"}


def _match(text: str, known: dict[str, str], cutoff: float = 0.8,
           prefix: bool = True) -> str | None:
    key = _key(text)
    if not key:
        return None
    if key in known:
        return known[key]
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=cutoff)
    if close:
        return known[close[0]]
    if not prefix:
        return None
    for candidate, value in known.items():  # a question cut short or run on
        if len(key) > 20 and (candidate.startswith(key[:30]) or key.startswith(candidate)):
            return value
    return None


@dataclass
class ImportReport:
    source: list[str] = field(default_factory=list)
    pilots: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = ["Importverslag", "=============", ""]
        lines += [f"Bron: {s}" for s in self.source]
        lines += ["", f"Pilots gevonden ({len(self.pilots)}):"]
        lines += [f"  - {p}" for p in self.pilots]
        lines += ["", f"Acties gevonden ({len(self.actions)}):"]
        lines += [f"  - {a}" for a in self.actions]
        lines += ["", f"Opmerkingen ({len(self.notes)}):"]
        lines += [f"  - {n}" for n in self.notes]
        lines += ["", f"Overgeslagen ({len(self.skipped)}):"]
        lines += [f"  - {s}" for s in self.skipped]
        return "\n".join(lines) + "\n"


@dataclass
class Imported:
    pilots: list[dict[str, object]] = field(default_factory=list)
    actions: list[dict[str, object]] = field(default_factory=list)
    settings: dict[str, object] = field(default_factory=dict)
    report: ImportReport = field(default_factory=ImportReport)


def _is_list_paragraph(paragraph) -> bool:  # type: ignore[no-untyped-def]
    from docx.oxml.ns import qn

    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    ppr = paragraph._p.pPr
    numbered = ppr is not None and ppr.find(qn("w:numPr")) is not None
    return style.startswith(("List Bullet", "Lijstopsommingsteken")) or numbered


def cell_text(cell) -> str:  # type: ignore[no-untyped-def]
    """A cell's paragraphs as register text: one line each, bullets as "• "."""
    lines = []
    for paragraph in cell.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        if _is_list_paragraph(paragraph) and not text.startswith("•"):
            text = "• " + text
        lines.append(text)
    return "\n".join(lines)


def _row_cells(row) -> list:  # type: ignore[no-untyped-def]
    """Distinct cells of a row: a merged cell appears once."""
    seen: set[int] = set()
    cells = []
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        cells.append(cell)
    return cells


def _is_heading(paragraph) -> bool:  # type: ignore[no-untyped-def]
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    return name.startswith(("Heading", "Kop", "Title", "Titel"))


def _open(path: Path):  # type: ignore[no-untyped-def]
    from docx import Document

    from .filecheck import check_word_file

    check_word_file(path)
    try:
        return Document(str(path))
    except Exception as exc:  # noqa: BLE001
        raise RegisterUnreadable(
            f"'{path.name}' kan niet als Word-document (.docx) worden geopend. Sla het in Word "
            f"op als Word-document en probeer opnieuw."
        ) from exc


def _blocks(document):  # type: ignore[no-untyped-def]
    return list(document.iter_inner_content())


def is_pilot_annex(document) -> bool:  # type: ignore[no-untyped-def]
    from docx.table import Table

    for block in _blocks(document):
        if isinstance(block, Table):
            for row in block.rows:
                cells = _row_cells(row)
                if cells and _match(cells[0].text, PILOT_LABELS) == "naam":
                    return True
        elif _key(block.text) == "naam pilot":
            return True
    return False


class _PilotReader:
    def __init__(self, imported: Imported) -> None:
        self.out = imported
        self.card: dict[str, object] | None = None
        self.heading = ""
        self.section: str | None = None
        self.loose: list[tuple[str, bool]] = []  # paragraphs since the last table/section
        self.in_intro = False
        self.expect_gemeente = False
        self.skipping_changes = False

    def paragraph(self, paragraph) -> None:  # type: ignore[no-untyped-def]
        text = paragraph.text.strip()
        if not text:
            return
        section = _match(text, SECTIONS, 0.88, prefix=False) if len(text) < 40 else None
        if section == "Naam pilot":
            if self.skipping_changes:  # the overview's lines are not the first card's
                headings = [item for item in self.loose if item[1]]
                self.loose = headings[-1:]
                self.skipping_changes = False
            self._start_card()
            self.section = section
            return
        if section:
            self.section = section
            self.loose = []
            return
        if _key(text) == _key(CHANGES_HEADING):
            self.intro_done()
            return
        if _key(text) == "inleiding":
            self.in_intro = True
            self.loose = []
            return
        if self.card is None and not self.in_intro and _key(text) == "gemeente":
            self.expect_gemeente = True
            return
        if self.expect_gemeente:
            self.expect_gemeente = False
            self.out.settings.setdefault("gemeente", text)
            return
        if LAST_TIME_MARK in text.casefold() and self.card is not None \
                and not any(heading for _, heading in self.loose):
            self.card["opnemen"] = "Laatste keer"  # a remark below the card it is about
            return
        if text.startswith(NEW_MARK):
            return
        self.loose.append((text, _is_heading(paragraph)))
        if self.card is None:
            return
        if self.section in ("Korte omschrijving", "Doel/Beoogd resultaat") \
                and not _is_heading(paragraph):
            key = "omschrijving" if self.section == "Korte omschrijving" else "doel"
            if LAST_TIME_MARK not in text.casefold():
                if _is_list_paragraph(paragraph) and not text.startswith("•"):
                    text = "• " + text
                previous = str(self.card.get(key) or "")
                self.card[key] = f"{previous}\n{text}" if previous else text

    def intro_done(self) -> None:
        """The overview of changes follows the introduction; it is not imported."""
        intro = [t for t, h in self.loose if not h] if self.in_intro else []
        if intro:
            self.out.settings.setdefault("inleiding", "\n".join(intro))
        self.in_intro = False
        self.skipping_changes = True
        self.loose = []

    def _start_card(self) -> None:
        headings = [t for t, heading in self.loose if heading]
        plain = [t for t, heading in self.loose if not heading and LAST_TIME_MARK not in t.casefold()]
        heading = headings[-1] if headings else (plain[-1] if plain else "")
        last_time = any(LAST_TIME_MARK in t.casefold() for t, _ in self.loose)
        if self.card is None:
            intro = [t for t, h in self.loose if t != heading and not h] if self.in_intro else []
            if intro:
                self.out.settings.setdefault("inleiding", "\n".join(intro))
        else:
            for key in ("omschrijving", "doel"):  # the heading is not part of the last field
                value = str(self.card.get(key) or "")
                if value.endswith(heading) and heading:
                    self.card[key] = value[: -len(heading)].rstrip("\n") or None
            self._finish()
        self.card = {"opnemen": "Laatste keer" if last_time else "Ja"}
        self.heading = heading
        self.loose = []

    def table(self, table) -> None:  # type: ignore[no-untyped-def]
        if self.card is None:
            self.out.report.skipped.append("Tabel vóór de eerste pilotkaart")
            return
        for row in table.rows:
            cells = _row_cells(row)
            texts = [cell_text(c) for c in cells]
            if not any(texts):
                continue  # an empty row people leave in
            if len(cells) == 1:
                key = {"Korte omschrijving": "omschrijving",
                       "Doel/Beoogd resultaat": "doel"}.get(self.section or "")
                if key:
                    self.card[key] = texts[0]
                else:
                    self.out.report.skipped.append(
                        f"{self.heading}: rij zonder label in '{self.section}': {texts[0][:60]}")
                continue
            key = _match(cells[0].text, PILOT_LABELS)
            value = next((t for t in reversed(texts[1:]) if t), "")
            if key is None:
                self.out.report.skipped.append(
                    f"{self.heading}: onbekend label '{cells[0].text.strip()[:60]}'")
                continue
            self.card[key] = value
        self.loose = []

    def _finish(self) -> None:
        card = self.card
        if card is None:
            return
        name = str(card.get("naam") or self.heading)
        card.setdefault("naam", name)
        number = len(self.out.pilots) + 1
        card["id"] = f"P-{number:03d}"
        answers = " ".join(str(card.get(k) or "") for k in schema.EVALUATION_QUESTIONS).casefold()
        if card.get("opnemen") == "Ja" and re.search(r"niet meer\b.*\bgerapporteerd", answers):
            card["opnemen"] = "Laatste keer"
            self.out.report.notes.append(
                f"{name}: de uitkomst zegt dat er niet meer wordt gerapporteerd; 'Opnemen in "
                f"bijlage' staat op 'Laatste keer'.")
        if self.heading and schema.normalise(self.heading) != schema.normalise(name):
            self.out.report.notes.append(
                f"Kop '{self.heading}' en Naam pilot '{name}' verschillen; '{name}' is "
                f"overgenomen.")
        self.out.pilots.append(card)
        extra = " (laatste keer)" if card.get("opnemen") == "Laatste keer" else ""
        self.out.report.pilots.append(f"{card['id']} {name}{extra}")

    def close(self) -> None:
        self._finish()
        self.card = None


def read_pilot_annex(document, imported: Imported) -> None:  # type: ignore[no-untyped-def]
    from docx.table import Table

    reader = _PilotReader(imported)
    for block in _blocks(document):
        if isinstance(block, Table):
            reader.table(block)
        else:
            text = block.text.strip()
            title = re.match(r"^Bijlage\s+(\d+)\.?\s+(.+)$", text)
            if title and reader.card is None and "bijlage_pilots_nummer" not in imported.settings:
                imported.settings["bijlage_pilots_nummer"] = title.group(1)
                imported.settings["bijlage_pilots_titel"] = title.group(2).strip()
                continue
            reader.paragraph(block)
    reader.close()
    _settings_from_header(document, imported)


def _settings_from_header(document, imported: Imported) -> None:  # type: ignore[no-untyped-def]
    for section in document.sections:
        for paragraph in section.header.paragraphs:
            parts = [p.strip() for p in paragraph.text.split("·")]
            if parts and parts[0].startswith("Gemeente "):
                imported.settings.setdefault("gemeente", parts[0].removeprefix("Gemeente "))
                if len(parts) >= 2:
                    imported.settings.setdefault("editie", parts[-1])
                if len(parts) == 3:
                    imported.settings.setdefault("actieprogramma", parts[1])


_ANNEX_HEADING = re.compile(r"^Bijlage\s+(\d+)\.?\s+(.+)$", re.IGNORECASE)


def read_action_annex(document, imported: Imported) -> None:  # type: ignore[no-untyped-def]
    from docx.table import Table

    title_word = "uitvoeringsplan"
    opgave = ""
    doel = ""
    statuses = list(schema.vocabulary("status").values)
    for block in _blocks(document):
        if not isinstance(block, Table):
            text = block.text.strip()
            annex = _ANNEX_HEADING.match(text)
            if annex:
                opgave = re.sub(rf"^{title_word}\s+", "", annex.group(2).strip(),
                                flags=re.IGNORECASE)
                imported.settings.setdefault("bijlage_acties_eerste_nummer", annex.group(1))
                doel = ""
            elif text.casefold().startswith("doel:"):
                doel = text[5:].strip()
            elif "peildatum" in text.casefold() and not opgave:
                from .dates import parse_peildatum

                day = parse_peildatum(text.casefold().split("peildatum", 1)[1])
                if day:
                    imported.settings.setdefault("peildatum", day)
            elif ":" in text and _is_heading(block) and "actieprogramma" not in imported.settings \
                    and not opgave:
                imported.settings["actieprogramma"] = text.split(":")[0].strip()
            continue
        columns: dict[str, int] | None = None
        for row in block.rows:
            cells = _row_cells(row)
            texts = [cell_text(c) for c in cells]
            if not any(texts):
                continue
            if columns is None:
                found = {ACTION_HEADERS.get(_key(t)): i for i, t in enumerate(texts)}
                found.pop(None, None)
                if {"activiteit", "resultaat", "status"} <= set(found):
                    columns = found  # type: ignore[assignment]
                    continue
                if len([t for t in texts if t]) == 1:  # a "Doel: …" row above the header
                    doel = re.sub(r"^doel:\s*", "", texts[0].strip(), flags=re.IGNORECASE)
                    continue
                if _key(texts[0]) == "status":
                    imported.report.skipped.append(f"Statusoverzicht van '{opgave}' (wordt "
                                                   f"opnieuw berekend)")
                    break
                imported.report.skipped.append(f"Tabel zonder kop Activiteit/Resultaat/Status "
                                               f"bij '{opgave}': {texts[0][:50]}")
                break
            activiteit = texts[columns["activiteit"]] if columns["activiteit"] < len(texts) else ""
            resultaat = texts[columns["resultaat"]] if columns["resultaat"] < len(texts) else ""
            status_text = texts[columns["status"]] if columns["status"] < len(texts) else ""
            row = {"activiteit": activiteit, "resultaat": resultaat, "status": status_text}
            if imported.actions and schema.continues_previous(row):
                previous = imported.actions[-1]
                joined = "\n".join(p for p in (str(previous.get("resultaat") or ""), resultaat) if p)
                previous["resultaat"] = joined
                imported.report.notes.append(
                    f"{previous['id']}: rij zonder activiteit samengevoegd met de vorige "
                    f"(paginagrens).")
                continue
            status, note = split_status(status_text, statuses)
            if status_text and not status:
                imported.report.notes.append(
                    f"Status '{status_text[:40]}' niet herkend; staat in Toelichting status.")
            action = {
                "id": f"A-{len(imported.actions) + 1:03d}", "opgave": opgave, "doel": doel,
                "activiteit": activiteit, "resultaat": resultaat, "status": status,
                "toelichting_status": note,
            }
            imported.actions.append(action)
            imported.report.actions.append(
                f"{action['id']} {opgave} · {activiteit.splitlines()[0][:60] if activiteit else ''}")


def import_annexes(paths: list[Path]) -> Imported:
    """Read pilot and action annexes (any order) into rows for a new register."""
    imported = Imported()
    for path in paths:
        document = _open(path)
        imported.report.source.append(path.name)
        if is_pilot_annex(document):
            read_pilot_annex(document, imported)
        else:
            before = len(imported.actions)
            read_action_annex(document, imported)
            if len(imported.actions) == before:
                imported.report.skipped.append(
                    f"{path.name}: geen pilotkaarten en geen actietabellen gevonden")
    return imported


def _lists(imported: Imported) -> dict[str, list[str]]:
    """Default lists plus every value the annexes use, so the new register validates."""
    lists = {voc.key: list(voc.values) for voc in schema.VOCABULARIES}
    for rows, sheet in ((imported.pilots, schema.PILOTS), (imported.actions, schema.ACTIONS)):
        for col in sheet.columns:
            if not col.vocabulary or col.vocabulary == "status":
                continue
            known = {schema.normalise(v) for v in lists[col.vocabulary]}
            for row in rows:
                value = str(row.get(col.key) or "").strip()
                if value and schema.normalise(value) not in known:
                    lists[col.vocabulary].append(value)
                    known.add(schema.normalise(value))
    return lists


def write_imported(imported: Imported, out: Path) -> tuple[Path, Path]:
    """Write the new register and its import report; never over an existing file."""
    from .output import atomic_write, atomic_write_text, check_new_register
    from .workbook import write_register

    check_new_register(out)
    settings = {s.key: s.default for s in schema.SETTINGS}
    settings.update(imported.settings)
    lists = _lists(imported)
    register = atomic_write(out, lambda tmp: write_register(tmp, imported.pilots,
                                                            imported.actions, settings, lists))
    report = atomic_write_text(out.with_name(f"{out.stem}_importverslag.txt"),
                               imported.report.text())
    return register, report
