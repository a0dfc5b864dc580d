"""Read last edition's Word annexes back into a register (`toolkit import`).

Coordinators start from the Word file that went to the council, made by `toolkit build`
or by hand. The layout is the reference's: a heading per pilot, section headings, and
two-column tables (label | text); for actions, per opgave and per Doel a table
Activiteit | Resultaat | Status. People vary it (merged cells, empty rows, misspelt
labels, a question over two lines), so labels are matched tolerantly and everything
that is skipped is reported. What the toolkit itself printed (the last-time and new
notes, the overview of changes, the contents) is recognised as such and named in the
report, never taken for an officer's text. The document is read in one linear pass
(`wordread`).
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.core.errors import RegisterUnreadable
from toolkit.declarations import schema
from toolkit.declarations.annextypes import BUILTIN, AnnexType, AnnexTypes
from toolkit.declarations.layout import NEW_NOTE
from toolkit.declarations.status import split_status
from toolkit.layouts import wordread
from toolkit.layouts.word import CHANGES_HEADING
from toolkit.layouts.wordread import Block, Paragraph, Table
from toolkit.register.write import CutValue

if TYPE_CHECKING:
    from toolkit.layouts.sample import Sample

NEW_MARK = NEW_NOTE.rstrip(".")
#: the standard wordings an imported card gets for 'Opnemen in bijlage', by role
PUBLISHED = schema.standard_value("opnemen", published=True, last_time=False)
LAST_TIME = schema.standard_value("opnemen", last_time=True)
LAST_TIME_FOUND = (
    "de vermelding 'Deze pilot wordt voor het laatst … opgenomen' is herkend; "
    "'Opnemen in bijlage' staat op 'Laatste keer'."
)
NEW_FOUND = (
    "de vermelding 'Nieuw in deze editie.' is weggelaten (de toolkit zet haar bij "
    "een build met --previous opnieuw)."
)
TOC_SKIPPED = "De inhoudsopgave: de toolkit maakt haar bij elke build opnieuw."
#: far beyond any council annex (the 10,000-pilot benchmark has about 200,000 of each),
#: but a bound, as for registers
MAX_PARAGRAPHS = 1_000_000
MAX_TABLE_ROWS = 500_000


@functools.lru_cache(maxsize=8192)  # called several times per paragraph, labels repeat
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
ACTION_HEADERS = {
    "activiteit": "activiteit",
    "activiteiten": "activiteit",
    "resultaat": "resultaat",
    "resultaten": "resultaat",
    "status": "status",
}


def _match(text: str, known: dict[str, str], cutoff: float = 0.8, prefix: bool = True) -> str | None:
    key = _key(text)
    if not key:
        return None
    if key in known:
        return known[key]
    if len(key) <= _LONGEST_LABEL:  # longer text cannot reach the cutoff: skip the costly part
        close = _close_match(key, tuple(known), cutoff)
        if close:
            return known[close]
    if not prefix:
        return None
    for candidate, value in known.items():  # a question cut short or run on
        if len(key) > 20 and (candidate.startswith(key[:30]) or key.startswith(candidate)):
            return value
    return None


@functools.lru_cache(maxsize=4096)
def _close_match(key: str, candidates: tuple[str, ...], cutoff: float) -> str | None:
    close = difflib.get_close_matches(key, candidates, n=1, cutoff=cutoff)
    return close[0] if close else None


#: a text this long is no label (ratio 0.8 needs lengths within a factor 1.5)
_LONGEST_LABEL = int(1.5 * max(len(k) for k in (*PILOT_LABELS, *SECTIONS))) + 1


@dataclass
class ImportReport:
    source: list[str] = field(default_factory=list)
    pilots: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: texts longer than an Excel cell: cut in the register, whole in this report
    cuts: list[CutValue] = field(default_factory=list)
    #: rows of annex types of the coordinator's own, per type (its plural)
    found: dict[str, list[str]] = field(default_factory=dict)

    def text(self) -> str:
        lines = ["Importverslag", "=============", ""]
        lines += [f"Bron: {s}" for s in self.source]
        lines += ["", f"Pilots gevonden ({len(self.pilots)}):"]
        lines += [f"  - {p}" for p in self.pilots]
        lines += ["", f"Acties gevonden ({len(self.actions)}):"]
        lines += [f"  - {a}" for a in self.actions]
        for what, rows in self.found.items():
            lines += ["", f"{what.capitalize()} gevonden ({len(rows)}):"]
            lines += [f"  - {row}" for row in rows]
        lines += ["", f"Opmerkingen ({len(self.notes)}):"]
        lines += [f"  - {n}" for n in self.notes]
        lines += ["", f"Overgeslagen ({len(self.skipped)}):"]
        lines += [f"  - {s}" for s in self.skipped]
        if self.cuts:
            lines += ["", f"Afgekapt ({len(self.cuts)}):"]
            lines += [f"  - {cut.describe()} De hele tekst staat hieronder." for cut in self.cuts]
            for cut in self.cuts:
                lines += [
                    "",
                    f"Volledige tekst van {cut.sheet}!{cut.cell} ({cut.name}, {cut.label}):",
                    cut.text,
                ]
        return "\n".join(lines) + "\n"


@dataclass
class Imported:
    pilots: list[dict[str, object]] = field(default_factory=list)
    actions: list[dict[str, object]] = field(default_factory=list)
    settings: dict[str, object] = field(default_factory=dict)
    report: ImportReport = field(default_factory=ImportReport)
    #: rows of annex types of the coordinator's own, by sheet name
    tables: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    types: AnnexTypes = BUILTIN
    #: the folder of templates and declarations the own types came from (--sjablonen)
    templates: Path | None = None

    def counts(self) -> str:
        """ "12 pilots en 3 projecten": what was read, per annex type."""
        found = [(len(self.pilots), "pilots"), (len(self.actions), "acties")]
        found += [
            (len(self.tables.get(t.sheet.name, [])), t.plural) for t in self.types.types if not t.bundled
        ]
        shown = [f"{n} {what}" for n, what in found if n] or ["0 pilots", "0 acties"]
        return " en ".join([", ".join(shown[:-1]), shown[-1]] if len(shown) > 1 else shown)


def _open(path: Path) -> wordread.WordPackage:
    """The checked .docx, opened for streaming its body (python-docx would hold the whole
    document as a tree of its own objects: 1.5 GiB for a 10,000-pilot annex)."""
    from toolkit.core.filecheck import check_word_file

    check_word_file(path)
    try:
        document = wordread.WordPackage(path)
    except wordread.Unreadable as exc:
        raise RegisterUnreadable(_not_word(path.name)) from exc
    document.limits = (MAX_PARAGRAPHS, MAX_TABLE_ROWS)
    return document


def _not_word(name: str) -> str:
    return (
        f"'{name}' kan niet als Word-document (.docx) worden geopend. Sla het in Word "
        f"op als Word-document en probeer opnieuw."
    )


def _blocks(document: wordread.WordPackage, name: str) -> list[Block]:
    """The body as plain blocks, refused beyond the import limits (a register's scale)."""
    result: list[Block] = []
    paragraphs = rows = 0
    for block in _streamed(document, name):
        if isinstance(block, Table):
            rows += len(block.rows)
            paragraphs += block.paragraphs
        else:
            paragraphs += 1
        if paragraphs > MAX_PARAGRAPHS or rows > MAX_TABLE_ROWS:
            raise _too_long(name, "paragraphs" if paragraphs > MAX_PARAGRAPHS else "rows")
        result.append(block)
    return result


def _too_long(name: str, what: str) -> RegisterUnreadable:
    """The refusal of a document beyond what an annex can be (wordread.TooLong)."""
    if what == "depth":
        return RegisterUnreadable(
            f"'{name}' is dieper genest dan een Word-document kan zijn (elementen in "
            f"elementen, honderden lagen diep); het wordt uit voorzorg niet ingelezen. Kies "
            f"de bijlage zelf, of sla haar in Word opnieuw op als Word-document."
        )
    if what == "held":
        size = wordread.MAX_HELD // (1024 * 1024)
        return RegisterUnreadable(
            f"'{name}' heeft een alinea, tabelrij of inhoudsbesturingselement van meer dan "
            f"{size} MB; dat is geen raadsbijlage. Het wordt uit voorzorg niet ingelezen. "
            f"Kies de bijlage zelf."
        )
    amount = (
        f"meer dan {MAX_PARAGRAPHS:,} alinea's"
        if what == "paragraphs"
        else f"meer dan {MAX_TABLE_ROWS:,} tabelrijen"
    ).replace(",", ".")
    return RegisterUnreadable(
        f"'{name}' heeft {amount}; dat is geen raadsbijlage maar een veel groter "
        f"document. Het wordt uit voorzorg niet ingelezen. Kies de bijlage zelf."
    )


def _read(path: Path) -> tuple[wordread.WordPackage, list[Block]]:
    """One file checked, opened and read: what each file of the import goes through."""
    document = _open(path)
    return document, _blocks(document, path.name)


def _read_encoded(path: Path) -> tuple[wordread.WordPackage, str]:
    """In the helper: the blocks as one string (pickling them costs more than reading)."""
    document, blocks = _read(path)
    return document, wordread.encode(blocks)


def _read_ahead(paths: list[Path]) -> Iterator[tuple[Path, wordread.WordPackage, list[Block]]]:
    """Each file checked, opened and read, in order; while one is handled here, the next
    is read in a forked helper (the second core: the action annex is read while the
    pilot annex is). Its refusals come when that file's turn comes, as before."""
    from toolkit.core.parallel import Background

    ahead: Background[tuple[wordread.WordPackage, str]] | None = None
    try:
        for index, path in enumerate(paths):
            if ahead is not None:
                document, encoded = ahead.result()
                current = document, wordread.decode(encoded)
            ahead = None
            if index + 1 < len(paths):
                ahead = Background(functools.partial(_read_encoded, paths[index + 1]))
            if index == 0:
                current = _read(path)
            yield path, *current
    finally:
        if ahead is not None:
            ahead.cancel()


def _streamed(document: wordread.WordPackage, name: str) -> Iterator[Block]:
    """The blocks as they are parsed; broken XML halfway is the same refusal as at opening."""
    try:
        yield from document.blocks()
    except wordread.TooLong as exc:
        raise _too_long(name, exc.what) from exc
    except wordread.Unreadable as exc:
        raise RegisterUnreadable(_not_word(name)) from exc


def left_out(document: wordread.WordPackage) -> list[str]:
    """The import report's lines for what the document holds but the import did not
    read as text: hidden text, text boxes, embedded HTML or RTF parts (altChunk), symbols
    from symbol fonts, footnotes, endnotes and comments."""
    lines = []
    for item in document.left_out:
        where = f"onder de kop '{item.heading}'" if item.heading else "vóór de eerste kop"
        if item.kind == "verborgen":
            inside = f", in de alinea '{item.paragraph}'" if item.paragraph else ""
            lines.append(
                f"Verborgen tekst {where}{inside}: '{item.text}'. Verborgen tekst "
                f"staat niet in de gepubliceerde bijlage; ze is niet ingelezen."
            )
        elif item.kind == "tekstvak":
            lines.append(
                f"Tekstvak {where}: '{item.text}' is niet ingelezen. Hoort die "
                f"tekst in het register, zet hem dan in een gewone alinea of tabelcel."
            )
        elif item.kind == "symbool":
            inside = f" in de alinea '{item.paragraph}'" if item.paragraph else ""
            lines.append(
                f"Een symbool uit een symboollettertype ({item.text}) {where}{inside} is niet "
                f"ingelezen: het is geen gewoon teken. Hoort het in het register, typ het dan "
                f"als gewoon teken (bijvoorbeeld • of ✓)."
            )
        elif item.kind in ("voetnoot", "eindnoot", "opmerking"):
            inside = f" bij de alinea '{item.paragraph}'" if item.paragraph else ""
            what = {"voetnoot": "Een voetnoot", "eindnoot": "Een eindnoot", "opmerking": "Een Word-opmerking"}
            lines.append(
                f"{what[item.kind]} {where}{inside} is niet ingelezen: het register heeft er "
                f"geen kolom voor. Hoort de tekst in het register, zet hem dan in de alinea zelf."
            )
        else:
            lines.append(
                f"{item.text[0].upper()}{item.text[1:]} dat als geheel in het document "
                f"is ingevoegd (altChunk), {where}, is niet ingelezen. Open de bijlage "
                f"in Word en sla haar op als Word-document: dan wordt het gewone "
                f"tekst, die wel wordt ingelezen."
            )
    names = {
        "verborgen": "verborgen tekst",
        "tekstvak": "tekstvak",
        "altchunk": "ingevoegd deel (altChunk)",
        "symbool": "symbool",
        "voetnoot": "voetnoot",
        "eindnoot": "eindnoot",
        "opmerking": "Word-opmerking",
    }
    for kind, count in document.left_out_counts.items():
        if count > wordread.MAX_NOTED:
            lines.append(
                f"En nog {count - wordread.MAX_NOTED} keer {names[kind]}, niet ingelezen "
                f"(alleen de eerste {wordread.MAX_NOTED} staan hierboven)."
            )
    return lines


def is_pilot_annex(blocks: list[Block]) -> bool:
    for block in blocks:
        if isinstance(block, Table):
            for cells in block.rows[:3]:  # a card's name is at the top of its table
                if cells and len(cells[0].text) < 200 and _match(cells[0].text, PILOT_LABELS) == "naam":
                    return True
        elif _key(block.text) == "naam pilot":
            return True
    return False


_LAST_TIME_NOTE = re.compile(r"\bpilot\b.*\bvoor het laatst\b.*\bopgenomen\b")
_FIELD_KEYS = {"Korte omschrijving": "omschrijving", "Doel/Beoogd resultaat": "doel"}


def is_last_time_note(text: str) -> bool:
    """The remark a card gets when it is reported for the last time (ours or hand-made)."""
    return len(text) < 300 and bool(_LAST_TIME_NOTE.search(text.casefold()))


class _PilotReader:
    def __init__(self, imported: Imported) -> None:
        self.out = imported
        self.report = imported.report
        self.card: dict[str, object] | None = None
        self.lines: dict[str, list[str]] = {}  # omschrijving/doel of the card, line by line
        self.marks: list[str] = []  # notes of the toolkit's own found on this card
        self.heading = ""
        self.section: str | None = None
        self.loose: list[tuple[str, bool]] = []  # paragraphs since the last table/section
        self.loose_heading = False
        self.pending_last = False  # a last-time note seen before the next card's name
        self.pending_new = False
        self.in_intro = False
        self.expect_gemeente = False
        self.skipping_changes = False
        self.changes_lines = 0
        self.toc_lines = 0

    def _clear_loose(self) -> None:
        self.loose = []
        self.loose_heading = False
        self.pending_last = self.pending_new = False

    def _add_loose(self, text: str, heading: bool) -> None:
        self.loose.append((text, heading))
        self.loose_heading = self.loose_heading or heading

    def paragraph(self, paragraph: Paragraph) -> None:
        text = paragraph.text.strip()
        if not text:
            return
        if paragraph.toc:
            self.toc_lines += 1  # a filled table of contents: made again by the build
            return
        section = _match(text, SECTIONS, 0.88, prefix=False) if len(text) < 40 else None
        if section == "Naam pilot":
            if self.skipping_changes:  # the overview's lines are not the first card's
                headings = [item for item in self.loose if item[1]]
                pending = self.pending_last, self.pending_new
                self.changes_lines -= len(headings[-1:])
                self._clear_loose()
                for item in headings[-1:]:
                    self._add_loose(*item)
                self.pending_last, self.pending_new = pending
                self._changes_skipped()
            self._start_card()
            self.section = section
            return
        if section:
            self.section = section
            self._clear_loose()
            return
        if _key(text) == _key(CHANGES_HEADING):
            self.intro_done()
            return
        if self.skipping_changes:
            self.changes_lines += 1
        if _key(text) == "inleiding":
            self.in_intro = True
            self._clear_loose()
            return
        if self.card is None and not self.in_intro and _key(text) == "gemeente":
            self.expect_gemeente = True
            return
        if self.expect_gemeente:
            self.expect_gemeente = False
            self.out.settings.setdefault("gemeente", text)
            return
        if is_last_time_note(text):
            if self.card is not None and not self.loose_heading:
                self.card["opnemen"] = LAST_TIME  # a remark below the card it is about
                self.marks.append(LAST_TIME_FOUND)
            else:
                self.pending_last = True  # above the card: between its heading and its name
            return
        if text.startswith(NEW_MARK):
            if self.card is not None and not self.loose_heading:
                self.marks.append(NEW_FOUND)
            else:
                self.pending_new = True
            return
        self._add_loose(text, paragraph.heading)
        if self.card is None:
            return
        key = _FIELD_KEYS.get(self.section or "")
        if key and not paragraph.heading:
            if paragraph.listed and not text.startswith(("•", "◦")):
                text = ("◦ " if paragraph.level else "• ") + text
            self.lines.setdefault(key, []).append(text)

    def _changes_skipped(self) -> None:
        if self.skipping_changes:
            self.report.skipped.append(
                f"Het overzicht '{CHANGES_HEADING}' ({max(self.changes_lines, 0)} "
                f"regels): de toolkit maakt het bij elke build opnieuw."
            )
        self.skipping_changes = False

    def intro_done(self) -> None:
        """The overview of changes follows the introduction; it is not imported."""
        intro = [t for t, h in self.loose if not h] if self.in_intro else []
        if intro:
            self.out.settings.setdefault("inleiding", "\n".join(intro))
        self.in_intro = False
        self.skipping_changes = True
        self.changes_lines = 0
        self._clear_loose()

    def _start_card(self) -> None:
        headings = [t for t, heading in self.loose if heading]
        plain = [t for t, heading in self.loose if not heading]
        heading = headings[-1] if headings else (plain[-1] if plain else "")
        last_time, new = self.pending_last, self.pending_new
        if self.card is None:
            intro = [t for t, h in self.loose if t != heading and not h] if self.in_intro else []
            if intro:
                self.out.settings.setdefault("inleiding", "\n".join(intro))
        else:
            for key in ("omschrijving", "doel"):  # the heading is not part of the last field
                value = "\n".join(self.lines.get(key, ()))
                if value.endswith(heading) and heading:
                    value = value[: -len(heading)].rstrip("\n")
                self.lines[key] = [value] if value else []
            self._finish()
        self.card = {"opnemen": LAST_TIME if last_time else PUBLISHED}
        self.lines = {}
        self.marks = ([LAST_TIME_FOUND] if last_time else []) + ([NEW_FOUND] if new else [])
        self.heading = heading
        self._clear_loose()

    def table(self, table: Table) -> None:
        if self.card is None:
            self.report.skipped.append("Tabel vóór de eerste pilotkaart")
            return
        if table.nested:
            self.report.skipped.append(
                f"{self.heading}: {table.nested} tabel(len) binnen een tabelcel niet ingelezen"
            )
        for cells in table.rows:
            texts = [c.lines for c in cells]
            if not any(texts):
                continue  # an empty row people leave in
            if len(cells) == 1:
                key = _FIELD_KEYS.get(self.section or "")
                if key:
                    self.lines[key] = [texts[0]]
                else:
                    self.report.skipped.append(
                        f"{self.heading}: rij zonder label in '{self.section}': {texts[0][:60]}"
                    )
                continue
            label = cells[0].text.strip()
            key = _match(cells[0].text, PILOT_LABELS)
            values = [t for t in texts[1:] if t]
            value = values[-1] if values else ""
            if key is None:
                self.report.skipped.append(f"{self.heading}: onbekend label '{label[:60]}'")
                continue
            for other in values[:-1]:
                self.report.skipped.append(
                    f"{self.heading}: bij '{label[:60]}' staat nog een kolom; alleen de laatste "
                    f"is overgenomen. Overgeslagen: {other[:60]}"
                )
            if key in ("omschrijving", "doel"):
                self.lines[key] = [value]
            else:
                self.card[key] = value
        self._clear_loose()

    def _finish(self) -> None:
        card = self.card
        if card is None:
            return
        for key, lines in self.lines.items():
            card[key] = "\n".join(lines) or None
        name = str(card.get("naam") or self.heading)
        card.setdefault("naam", name)
        number = len(self.out.pilots) + 1
        card["id"] = f"P-{number:03d}"
        for mark in dict.fromkeys(self.marks):
            self.report.notes.append(f"{name}: {mark}")
        answers = " ".join(str(card.get(k) or "") for k in schema.EVALUATION_QUESTIONS).casefold()
        if card.get("opnemen") == PUBLISHED and re.search(r"niet meer\b.*\bgerapporteerd", answers):
            card["opnemen"] = LAST_TIME
            self.report.notes.append(
                f"{name}: de uitkomst zegt dat er niet meer wordt gerapporteerd; 'Opnemen in "
                f"bijlage' staat op 'Laatste keer'."
            )
        if self.heading and schema.normalise(self.heading) != schema.normalise(name):
            card["kop"] = self.heading  # the card keeps its heading in the next build
            self.report.notes.append(
                f"Kop '{self.heading}' en Naam pilot '{name}' verschillen; de kop staat in "
                f"'{schema.PILOTS.column('kop').label}'."
            )
        self.out.pilots.append(card)
        extra = " (laatste keer)" if card.get("opnemen") == LAST_TIME else ""
        self.report.pilots.append(f"{card['id']} {name}{extra}")

    def close(self) -> None:
        self._changes_skipped()
        self._finish()
        self.card = None
        if self.toc_lines:
            self.report.skipped.append(TOC_SKIPPED)


def read_pilot_annex(document: wordread.WordPackage, blocks: list[Block], imported: Imported) -> None:
    reader = _PilotReader(imported)
    for block in blocks:
        if isinstance(block, Table):
            reader.table(block)
        else:
            text = block.text.strip()
            title = re.match(r"^Bijlage\s+(\d+)\.?\s+(.+)$", text)
            if (
                title
                and reader.card is None
                and "bijlage_pilots_nummer" not in imported.settings
                and not block.toc
            ):
                imported.settings["bijlage_pilots_nummer"] = title.group(1)
                imported.settings["bijlage_pilots_titel"] = title.group(2).strip()
                continue
            reader.paragraph(block)
    reader.close()
    _settings_from_header(document, imported)


def _settings_from_header(document: wordread.WordPackage, imported: Imported) -> None:
    for text in document.header_paragraphs():  # every section's, as python-docx reads them
        parts = [p.strip() for p in text.split("·")]
        if parts and parts[0].startswith("Gemeente "):
            imported.settings.setdefault("gemeente", parts[0].removeprefix("Gemeente "))
            if len(parts) >= 2:
                imported.settings.setdefault("editie", parts[-1])
            if len(parts) == 3:
                imported.settings.setdefault("actieprogramma", parts[1])


def _settings_from_subtitle(text: str, imported: Imported) -> None:
    """'Gemeente Delft · Programmabegroting 2025 · peildatum 1 april 2024' under the title
    of an action annex: gemeente and editie, for an annex whose page header is gone."""
    parts = [p.strip() for p in text.split("·")]
    if len(parts) < 2 or not parts[0].startswith("Gemeente "):
        return
    imported.settings.setdefault("gemeente", parts[0].removeprefix("Gemeente ").strip())
    editions = [p for p in parts[1:] if p and "peildatum" not in p.casefold()]
    if len(editions) == 1:
        imported.settings.setdefault("editie", editions[0])


_ANNEX_HEADING = re.compile(r"^Bijlage\s+(\d+)\.?\s+(.+)$", re.IGNORECASE)


def read_action_annex(blocks: list[Block], imported: Imported) -> None:
    title_word = "uitvoeringsplan"
    opgave = ""
    doel = ""
    statuses = list(schema.vocabulary("status").values)
    report = imported.report
    continued: dict[int, list[str]] = {}  # action index -> Resultaat parts (page breaks)
    toc_lines = 0
    for block in blocks:
        if not isinstance(block, Table):
            if block.toc:
                toc_lines += bool(block.text.strip())
                continue
            text = block.text.strip()
            annex = _ANNEX_HEADING.match(text)
            if annex:
                opgave = re.sub(rf"^{title_word}\s+", "", annex.group(2).strip(), flags=re.IGNORECASE)
                imported.settings.setdefault("bijlage_acties_eerste_nummer", annex.group(1))
                doel = ""
            elif text.casefold().startswith("doel:"):
                doel = text[5:].strip()
            elif "peildatum" in text.casefold() and not opgave:
                from toolkit.core.dates import parse_peildatum

                day = parse_peildatum(text.casefold().split("peildatum", 1)[1])
                if day:
                    imported.settings.setdefault("peildatum", day)
                _settings_from_subtitle(text, imported)
            elif ":" in text and block.heading and "actieprogramma" not in imported.settings and not opgave:
                imported.settings["actieprogramma"] = text.split(":")[0].strip()
            continue
        if block.nested:
            report.skipped.append(
                f"{block.nested} tabel(len) binnen een tabelcel bij '{opgave}' niet ingelezen"
            )
        columns: dict[str, int] | None = None
        extra: dict[int, str] = {}
        extra_values = 0
        for cells in block.rows:
            texts = [c.lines for c in cells]
            if not any(texts):
                continue
            if columns is None:
                found = {ACTION_HEADERS.get(_key(t)): i for i, t in enumerate(texts)}
                found.pop(None, None)
                if {"activiteit", "resultaat", "status"} <= set(found):
                    columns = found  # type: ignore[assignment]
                    used = set(found.values())
                    extra = {i: t for i, t in enumerate(texts) if i not in used}
                    continue
                if len([t for t in texts if t]) == 1:  # a "Doel: …" row above the header
                    doel = re.sub(r"^doel:\s*", "", texts[0].strip(), flags=re.IGNORECASE)
                    continue
                if _key(texts[0]) == "status":
                    report.skipped.append(f"Statusoverzicht van '{opgave}' (wordt opnieuw berekend)")
                    break
                report.skipped.append(
                    f"Tabel zonder kop Activiteit/Resultaat/Status bij '{opgave}': {texts[0][:50]}"
                )
                break
            extra_values += sum(1 for i in extra if i < len(texts) and texts[i])
            activiteit = texts[columns["activiteit"]] if columns["activiteit"] < len(texts) else ""
            resultaat = texts[columns["resultaat"]] if columns["resultaat"] < len(texts) else ""
            status_text = texts[columns["status"]] if columns["status"] < len(texts) else ""
            row: dict[str, object] = {"activiteit": activiteit, "resultaat": resultaat, "status": status_text}
            if imported.actions and schema.continues_previous(row):
                index = len(imported.actions) - 1
                previous = imported.actions[index]
                parts = continued.setdefault(index, [p for p in (str(previous.get("resultaat") or ""),) if p])
                parts.append(resultaat)
                report.notes.append(
                    f"{previous['id']}: rij zonder activiteit samengevoegd met de vorige (paginagrens)."
                )
                continue
            status, note = split_status(status_text, statuses)
            if status_text and not status:
                report.notes.append(f"Status '{status_text[:40]}' niet herkend; staat in Toelichting status.")
            action: dict[str, object] = {
                "id": f"A-{len(imported.actions) + 1:03d}",
                "opgave": opgave,
                "doel": doel,
                "activiteit": activiteit,
                "resultaat": resultaat,
                "status": status,
                "toelichting_status": note,
            }
            imported.actions.append(action)
            report.actions.append(
                f"{action['id']} {opgave} · {activiteit.splitlines()[0][:60] if activiteit else ''}"
            )
        if columns is not None and (extra_values or any(extra.values())):
            names = ", ".join(f"'{t[:40]}'" if t else "(zonder kop)" for t in extra.values())
            report.skipped.append(
                f"Tabel bij '{opgave}'{f' (doel {doel[:40]})' if doel else ''}: extra kolom(men) "
                f"{names} niet ingelezen ({extra_values} gevulde cellen); het register heeft "
                f"alleen Activiteit, Resultaat en Status."
            )
    for index, parts in continued.items():
        imported.actions[index]["resultaat"] = "\n".join(p for p in parts if p)
    if toc_lines:
        report.skipped.append(TOC_SKIPPED)


def _own_samples(types: AnnexTypes) -> list[tuple[AnnexType, Sample]]:
    """The sample card of every annex type of the coordinator's own (read back by it)."""
    from toolkit.layouts.render import bundled_template, cut_sample_from

    samples = []
    for annex in types.types:
        if annex.bundled:
            continue
        template = bundled_template(annex)
        if not template.is_file():
            from toolkit.core.errors import TemplateError

            raise TemplateError(
                f"Het Word-sjabloon '{annex.template}' van het bijlagetype '{annex.key}' "
                f"ontbreekt in '{template.parent}'. Het sjabloon (met de voorbeeldkaart) is nodig "
                f"om de bijlage terug te lezen; maak een beginsjabloon met 'toolkit sjablonen "
                f"{template.parent}'."
            )
        _, sample = cut_sample_from(template)
        if sample is not None:
            samples.append((annex, sample))
    return samples


def read_own_annex(
    blocks: list[Block], samples: list[tuple[AnnexType, Sample]], imported: Imported, name: str = ""
) -> bool:
    """Rows of the first own annex type whose sample card the document repeats."""
    from toolkit.layouts.sample import TooLarge, read_back

    for annex, sample in samples:
        layout = annex.arrangement
        try:
            rows = read_back(
                blocks,
                sample,
                arranged=bool(layout.groups or layout.overview or layout.crosstab),
                notes=(layout.new_note, layout.last_note),
                omit_empty=layout.omit_empty,
            )
        except TooLarge as exc:
            raise RegisterUnreadable(
                f"'{name}' kan niet met de voorbeeldkaart van '{annex.template}' worden "
                f"teruggelezen. {exc} Er is geen register gemaakt."
            ) from exc
        if not rows:
            continue
        nested = sum(block.nested for block in blocks if isinstance(block, Table))
        if nested:
            imported.report.skipped.append(
                f"{nested} tabel(len) binnen een tabelcel niet ingelezen: het register heeft "
                f"er geen plaats voor."
            )
        sheet = annex.sheet
        table = imported.tables.setdefault(sheet.name, [])
        prefix = re.sub(r"[^A-Z]", "", annex.key.upper())[:3] or "R"
        for row in rows:
            record: dict[str, object] = {k: v for k, v in row.items() if str(v).strip()}
            if not record.get(sheet.key_column):
                record[sheet.key_column] = f"{prefix}-{len(table) + 1:03d}"
            table.append(record)
            name = str(record.get(sheet.name_column) or "").strip()
            imported.report.found.setdefault(annex.plural, []).append(
                f"{record[sheet.key_column]} {name.splitlines()[0][:60] if name else ''}".strip()
            )
        imported.report.notes.append(
            f"{len(rows)} {annex.plural} gelezen met de voorbeeldkaart van '{annex.template}'."
        )
        return True
    return False


def import_annexes(paths: list[Path], templates: Path | None = None) -> Imported:
    """Read pilot and action annexes (any order) into rows for a new register.

    templates (--sjablonen) is a folder with declarations of annex types of the
    coordinator's own (*.toml) and their templates: an annex of such a type is read back
    by the sample card in its template.

    A file in which nothing of an annex is found is refused (exit 2, nothing written):
    a register made from it would be empty or partial without anyone noticing.
    """
    if templates is not None and not Path(templates).is_dir():
        from toolkit.core.errors import TemplateError

        raise TemplateError(
            f"De map met Word-sjablonen '{templates}' (--sjablonen) bestaat "
            f"niet. Geef de map op met de verklaring (*.toml) en het sjabloon "
            f"van het eigen bijlagetype."
        )
    imported = Imported(types=BUILTIN.with_folder(templates), templates=templates)
    samples = _own_samples(imported.types)
    for path, document, blocks in _read_ahead(paths):
        imported.report.source.append(path.name)
        before = imported.counts()
        if is_pilot_annex(blocks):
            read_pilot_annex(document, blocks, imported)
        elif samples and read_own_annex(blocks, samples, imported, path.name):
            _settings_from_header(document, imported)
        else:
            read_action_annex(blocks, imported)
            _settings_from_header(document, imported)
        if imported.counts() == before:
            raise RegisterUnreadable(
                _nothing_found(path.name, blocks, imported.types, document.left_out_counts.get("altchunk", 0))
            )
        prefix = f"{path.name}: " if len(paths) > 1 else ""
        imported.report.skipped += [prefix + line for line in left_out(document)]
    return imported


def _nothing_found(name: str, blocks: list[Block], types: AnnexTypes = BUILTIN, chunks: int = 0) -> str:
    if chunks:
        return (
            f"In '{name}' staat tekst die als geheel is ingevoegd (altChunk: {chunks} "
            f"HTML-, RTF- of Word-delen); die wordt niet ingelezen, en in de rest staan geen "
            f"kaarten of actietabellen. Open de bijlage in Word, sla haar op als "
            f"Word-document (dan wordt het ingevoegde gewone tekst) en lees haar opnieuw "
            f"in. Er is geen register gemaakt."
        )
    if not any(b.rows if isinstance(b, Table) else b.text.strip() for b in blocks):
        return (
            f"'{name}' is leeg: er staat geen tekst in. Kies de Word-bijlage van de vorige "
            f"editie; er is geen register gemaakt."
        )
    own = [t for t in types.types if not t.bundled]
    also = "".join(f", geen kaarten van de {t.name} (de voorbeeldkaart in '{t.template}')" for t in own)
    hint = (
        ""
        if own
        else (
            " Is het een bijlage van een eigen bijlagetype? Geef dan met "
            "--sjablonen de map met de verklaring en het sjabloon op."
        )
    )
    return (
        f"In '{name}' staan geen pilotkaarten (een tabel met 'Naam pilot'){also} en geen "
        f"actietabellen (met de kolommen Activiteit, Resultaat en Status). Is dit de "
        f"raadsbijlage van de vorige editie?{hint} Er is geen register gemaakt."
    )


def _lists(imported: Imported) -> dict[str, list[str]]:
    """The toolkit's own lists (statuses, opnemen) plus every value the annexes use, so the
    new register validates. The municipality's lists (programma, portefeuille, opgave) hold
    only what this municipality's annex says: never the example municipality's values."""
    types = imported.types
    lists = {voc.key: [] if voc.key in types.municipal else list(voc.values) for voc in types.vocabularies}
    tables = [(imported.pilots, schema.PILOTS), (imported.actions, schema.ACTIONS)]
    tables += [(imported.tables.get(t.sheet.name, []), t.sheet) for t in types.types if not t.bundled]
    for rows, sheet in tables:
        for col in sheet.columns:
            key = col.vocabulary
            voc = types.vocabulary(key) if key else None
            if key is None or voc is None or voc.roles:  # a list with meanings keeps its standard values
                continue
            known = {schema.normalise(v) for v in lists[key]}
            for row in rows:
                value = str(row.get(col.key) or "").strip()
                if value and schema.normalise(value) not in known:
                    lists[key].append(value)
                    known.add(schema.normalise(value))
    return lists


def _relative(folder: Path, start: Path) -> str:
    try:
        return os.path.relpath(folder.resolve(), start.resolve())
    except ValueError:  # another drive (Windows): the whole path
        return str(folder.resolve())


def write_imported(imported: Imported, out: Path, setting: str | None = None) -> tuple[Path, Path]:
    """Write the new register and its import report; never over an existing file.

    setting: what the register's 'Map met Word-sjablonen' says instead of the path to the
    templates (the web application: a path on the server means nothing elsewhere)."""
    from toolkit.core.output import atomic_write, atomic_write_text, check_new_register, refuse_existing
    from toolkit.register.write import write_register

    check_new_register(out)
    report_path = out.with_name(f"{out.stem}_importverslag.txt")
    refuse_existing(report_path, "importverslag")
    types = imported.types
    # only the sheets the annexes filled: an empty Pilots sheet would give an annex of
    # 0 pilots at the next build
    sheets = [
        sheet.name
        for sheet, rows in ((schema.PILOTS, imported.pilots), (schema.ACTIONS, imported.actions))
        if rows
    ]
    sheets += [name for name, rows in imported.tables.items() if rows]
    settings: dict[str, object] = {s.key: s.default for s in types.settings_for(sheets)}
    settings.update(imported.settings)
    if imported.templates is not None and imported.tables:
        # the new register finds its own annex types where they were read from
        settings["sjablonen"] = (
            _relative(Path(imported.templates), out.parent) if setting is None else setting
        )
    lists = _lists(imported)
    cuts: list[CutValue] = []
    register = atomic_write(
        out,
        lambda tmp: write_register(
            tmp,
            imported.pilots,
            imported.actions,
            settings,
            lists,
            cuts=cuts,
            sheets=sheets,
            tables=imported.tables,
            types=types,
        ),
    )
    imported.report.cuts = cuts
    try:
        report = atomic_write_text(report_path, imported.report.text(), replace=False)
    except BaseException:
        register.unlink(missing_ok=True)  # no register without the report that explains it
        raise
    return register, report
