"""Read last edition's Word annexes back into a register (`toolkit import`).

Coordinators start from the Word file that went to the council, made by `toolkit build`
or by hand. An annex made by the toolkit repeats the sample card of its template and is
read back by it. A hand-made one is read in the shape its type declares ([inlezen],
toolkit.declarations.handmade): cards with sections of label | text tables, or per group
a table with a header row. People vary it (merged cells, empty rows, misspelt labels, a
question over two lines), so labels are matched tolerantly and everything that is
skipped is reported. What the toolkit itself printed (the last-time and new notes, the
overview of changes, the contents) is recognised as such and named in the report, never
taken for an officer's text. The document is read in one linear pass (`wordread`).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.core.closest import closest
from toolkit.core.errors import RegisterUnreadable
from toolkit.declarations import schema
from toolkit.declarations.annextypes import BUILTIN, AnnexType, AnnexTypes
from toolkit.declarations.handmade import HandMade, Section, pattern_regex, words_in_order
from toolkit.declarations.layout import NEW_NOTE
from toolkit.declarations.status import split_status
from toolkit.layouts import wordread
from toolkit.layouts.word import CHANGES_HEADING
from toolkit.layouts.wordread import Block, Paragraph, Table
from toolkit.register.write import CutValue

if TYPE_CHECKING:
    from toolkit.layouts.sample import Sample

NEW_MARK = NEW_NOTE.rstrip(".")
NEW_FOUND = (
    "de vermelding 'Nieuw in deze editie.' is weggelaten (de toolkit zet haar bij "
    "een build met --previous opnieuw)."
)
TOC_SKIPPED = "De inhoudsopgave: de toolkit maakt haar bij elke build opnieuw."
#: far beyond any council annex (the 10,000-row benchmark has about 200,000 of each),
#: but a bound, as for registers
MAX_PARAGRAPHS = 1_000_000
MAX_TABLE_ROWS = 500_000


@functools.lru_cache(maxsize=8192)  # called several times per paragraph, labels repeat
def _key(text: str) -> str:
    """Labels compared without case, spacing or punctuation."""
    return " ".join(re.sub(r"[^\w]+", " ", schema.normalise(text)).split())


def _match(
    text: str, known: dict[str, str], longest: int, cutoff: float = 0.8, prefix: bool = True
) -> str | None:
    key = _key(text)
    if not key:
        return None
    if key in known:
        return known[key]
    if len(key) <= longest:  # longer text cannot reach the cutoff: skip the costly part
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
    return closest(key, candidates, cutoff)


def _spec(annex: AnnexType) -> HandMade:
    if annex.handmade is None:
        raise ValueError(f"{annex.key} declares no [inlezen]")
    return annex.handmade


class _Inclusion:
    """The column that decides whether a row goes into the annex, with the standard
    wordings of 'published' and 'last time' that a row read back gets."""

    def __init__(self, annex: AnnexType) -> None:
        column = annex.role_column("published", "last_time")
        self.column = column.key if column is not None else None
        self.label = column.label if column is not None else ""
        self.published = self.last_time = ""
        if column is not None and column.vocabulary:
            vocabularies = annex.vocabularies
            self.published = schema.standard_value(
                column.vocabulary, vocabularies, published=True, last_time=False
            )
            self.last_time = schema.standard_value(column.vocabulary, vocabularies, last_time=True)


class CardShape:
    """A card type's declared sections and labels, prepared for tolerant matching."""

    def __init__(self, annex: AnnexType) -> None:
        spec = _spec(annex)
        sheet = annex.sheet
        self.annex = annex
        self.spec = spec
        self.sections: dict[str, str] = {_key(s.heading): s.heading for s in spec.sections}
        self.by_heading: dict[str, Section] = {s.heading: s for s in spec.sections}
        self.labels: dict[str, str] = {}
        for section in spec.sections:
            for label, column in section.fields:
                self.labels[_key(label)] = column
        for col in sheet.columns:
            if col.published:
                for name in (col.label, *col.aliases):
                    self.labels.setdefault(_key(name), col.key)
        #: a text this long is no label (ratio 0.8 needs lengths within a factor 1.5)
        self.longest = int(1.5 * max(len(k) for k in (*self.labels, *self.sections))) + 1
        self.first = next(s.heading for s in spec.sections if sheet.name_column in (k for _, k in s.fields))
        self.name_column = sheet.name_column
        self.name_label = sheet.column(sheet.name_column).label
        self.heading_column = next((c for c in sheet.columns if c.fallback == sheet.name_column), None)
        self.text_columns = tuple(dict.fromkeys(s.text for s in spec.sections if s.text))
        self.inclusion = _Inclusion(annex)
        self.last_note = words_in_order(spec.last_time)
        self.answers = [
            ([k for _, k in s.fields], pattern)
            for s in spec.sections
            if (pattern := words_in_order(s.last_time)) is not None
        ]
        #: rich-text settings, by their name: the text under such a heading is theirs
        self.intro = {_key(s.label): s.key for s in annex.settings if s.kind.traits.rich}
        self.title = pattern_regex(spec.title)
        self.title_settings = [m for m in re.findall(r"\{([a-z][a-z0-9_]*)\}", spec.title)]
        noun = annex.singular or "rij"
        shown = " … ".join(spec.last_time)
        said = self.last_note.search(annex.arrangement.last_note.casefold()) if self.last_note else None
        if said is not None:  # the note as the build prints it, up to its last declared word
            shown = annex.arrangement.last_note[: said.end()]
        self.last_time_found = (
            f"de vermelding '{shown}' is herkend; '{self.label_of_inclusion}' staat op "
            f"'{self.inclusion.last_time}'."
            if spec.last_time
            else ""
        )
        self.noun = noun

    @property
    def label_of_inclusion(self) -> str:
        return self.inclusion.label

    def recognises(self, blocks: list[Block]) -> bool:
        """Whether the document has a card of this type: a table whose top rows have the
        name column's label, or the heading of the section that starts a card."""
        first = _key(self.first)
        for block in blocks:
            if isinstance(block, Table):
                for cells in block.rows[:3]:  # a card's name is at the top of its table
                    if (
                        cells
                        and len(cells[0].text) < 200
                        and _match(cells[0].text, self.labels, self.longest) == self.name_column
                    ):
                        return True
            elif _key(block.text) == first:
                return True
        return False

    def is_last_time_note(self, text: str) -> bool:
        """The remark a card gets when it is reported for the last time (ours or hand-made)."""
        return self.last_note is not None and len(text) < 300 and bool(self.last_note.search(text.casefold()))


@dataclass
class ImportReport:
    source: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: texts longer than an Excel cell: cut in the register, whole in this report
    cuts: list[CutValue] = field(default_factory=list)
    #: the rows read, per annex type (its plural)
    found: dict[str, list[str]] = field(default_factory=dict)
    #: the annex types always listed, also with no rows (those a hand-made annex may be of)
    listed: tuple[str, ...] = ()

    def text(self) -> str:
        lines = ["Importverslag", "=============", ""]
        lines += [f"Bron: {s}" for s in self.source]
        for what in dict.fromkeys((*self.listed, *self.found)):
            rows = self.found.get(what, [])
            lines += ["", f"{what[:1].upper()}{what[1:]} gevonden ({len(rows)}):"]
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
    settings: dict[str, object] = field(default_factory=dict)
    report: ImportReport = field(default_factory=ImportReport)
    #: the rows read, by sheet name
    tables: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    types: AnnexTypes = BUILTIN
    #: the folder of templates and declarations the own types came from (--sjablonen)
    templates: Path | None = None
    #: settings whose presence a reading looked at, and those it set outright (not only
    #: when still unset): what decides whether a file read on its own merges exactly
    consulted: set[str] = field(default_factory=set)
    assigned: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.report.listed = tuple(t.plural for t in self.types.types if t.handmade is not None)

    def records(self, sheet: str) -> list[dict[str, object]]:
        """The rows read for one sheet (by its name), in document order."""
        return self.tables.setdefault(sheet, [])

    def counts(self) -> str:
        """ "12 pilots en 3 projecten": what was read, per annex type."""
        found = [(len(self.tables.get(t.sheet.name, [])), t.plural) for t in self.types.types]
        shown = [f"{n} {what}" for n, what in found if n] or [
            f"0 {t.plural}" for t in self.types.types if t.handmade is not None
        ]
        return " en ".join([", ".join(shown[:-1]), shown[-1]] if len(shown) > 1 else shown)

    def add(self, annex: AnnexType, record: dict[str, object], line: str) -> None:
        self.records(annex.sheet.name).append(record)
        self.report.found.setdefault(annex.plural, []).append(line)


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


def _read_ahead(
    paths: list[Path], alone: Callable[[Path], Imported]
) -> Iterator[tuple[Path, Imported | None]]:
    """Each file in order, with (from the second on) what alone(file) made of it: while
    one is handled here, the next is read and converted on its own in a forked helper
    (the second core: the action annex while the pilot annex is read). Its refusals
    come when that file's turn comes, as before."""
    from toolkit.core.parallel import Background

    ahead: Background[Imported] | None = None
    try:
        for index, path in enumerate(paths):
            current = ahead.result() if ahead is not None else None
            ahead = None
            if index + 1 < len(paths):
                ahead = Background(functools.partial(alone, paths[index + 1]))
            yield path, current
    finally:
        if ahead is not None:
            ahead.cancel()


def _merges_exactly(part: Imported, into: Imported) -> bool:
    """Whether merging a file converted on its own gives what converting it after the
    files before would: it fills other sheets, and no setting it looked at or set outright
    was set before it (the others it set only where unset, as merge does)."""
    return (
        not any(into.tables.get(name) for name in part.tables)
        and not (part.consulted | part.assigned) & into.settings.keys()
    )


def _merge(part: Imported, into: Imported) -> None:
    for name, rows in part.tables.items():
        into.records(name).extend(rows)
    for name, value in part.settings.items():
        into.settings.setdefault(name, value)
    into.consulted |= part.consulted
    into.assigned |= part.assigned
    report, more = into.report, part.report
    report.source += more.source
    report.skipped += more.skipped
    report.notes += more.notes
    for what, lines in more.found.items():
        report.found.setdefault(what, []).extend(lines)


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


class _CardReader:
    """Reads a hand-made annex of cards: a heading per row, then the declared sections,
    each a heading with a label | text table or paragraphs."""

    def __init__(self, imported: Imported, shape: CardShape) -> None:
        self.out = imported
        self.shape = shape
        self.report = imported.report
        self.card: dict[str, object] | None = None
        self.lines: dict[str, list[str]] = {}  # the card's text columns, line by line
        self.marks: list[str] = []  # notes of the toolkit's own found on this card
        self.heading = ""
        self.section: str | None = None
        self.loose: list[tuple[str, bool]] = []  # paragraphs since the last table/section
        self.loose_heading = False
        self.pending_last = False  # a last-time note seen before the next card's name
        self.pending_new = False
        self.intro: str | None = None  # the setting whose heading was the last one seen
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

    def _text_column(self) -> str | None:
        section = self.shape.by_heading.get(self.section or "")
        return section.text if section is not None else None

    def paragraph(self, paragraph: Paragraph) -> None:
        shape = self.shape
        text = paragraph.text.strip()
        if not text:
            return
        if paragraph.toc:
            self.toc_lines += 1  # a filled table of contents: made again by the build
            return
        section = _match(text, shape.sections, shape.longest, 0.88, prefix=False) if len(text) < 40 else None
        if section == shape.first:
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
        if self.card is None and _key(text) in shape.intro:
            self.intro = shape.intro[_key(text)]
            self._clear_loose()
            return
        if self.card is None and self.intro is None and _key(text) == "gemeente":
            self.expect_gemeente = True
            return
        if self.expect_gemeente:
            self.expect_gemeente = False
            self.out.settings.setdefault("gemeente", text)
            return
        if shape.is_last_time_note(text):
            if self.card is not None and not self.loose_heading:
                self._last_time(self.card)  # a remark below the card it is about
                self.marks.append(shape.last_time_found)
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
        key = self._text_column()
        if key and not paragraph.heading:
            self.lines.setdefault(key, []).append(paragraph.register_text(text))

    def _last_time(self, card: dict[str, object]) -> None:
        inclusion = self.shape.inclusion
        if inclusion.column is not None:
            card[inclusion.column] = inclusion.last_time

    def _changes_skipped(self) -> None:
        if self.skipping_changes:
            self.report.skipped.append(
                f"Het overzicht '{CHANGES_HEADING}' ({max(self.changes_lines, 0)} "
                f"regels): de toolkit maakt het bij elke build opnieuw."
            )
        self.skipping_changes = False

    def _keep_intro(self, texts: list[str]) -> None:
        if self.intro is not None and texts:
            self.out.settings.setdefault(self.intro, "\n".join(texts))

    def intro_done(self) -> None:
        """The overview of changes follows the introduction; it is not imported."""
        self._keep_intro([t for t, h in self.loose if not h])
        self.intro = None
        self.skipping_changes = True
        self.changes_lines = 0
        self._clear_loose()

    def _start_card(self) -> None:
        headings = [t for t, heading in self.loose if heading]
        plain = [t for t, heading in self.loose if not heading]
        heading = headings[-1] if headings else (plain[-1] if plain else "")
        last_time, new = self.pending_last, self.pending_new
        if self.card is None:
            self._keep_intro([t for t, h in self.loose if t != heading and not h])
            self.intro = None
        else:
            for key in self.shape.text_columns:  # the heading is not part of the last field
                value = "\n".join(self.lines.get(key, ()))
                if value.endswith(heading) and heading:
                    value = value[: -len(heading)].rstrip("\n")
                self.lines[key] = [value] if value else []
            self._finish()
        inclusion = self.shape.inclusion
        self.card = {}
        if inclusion.column is not None:
            self.card[inclusion.column] = inclusion.last_time if last_time else inclusion.published
        self.lines = {}
        self.marks = ([self.shape.last_time_found] if last_time else []) + ([NEW_FOUND] if new else [])
        self.heading = heading
        self._clear_loose()

    def table(self, table: Table) -> None:
        shape = self.shape
        if self.card is None:
            self.report.skipped.append(f"Tabel vóór de eerste kaart ({shape.noun})")
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
                key = self._text_column()
                if key:
                    self.lines[key] = [texts[0]]
                else:
                    self.report.skipped.append(
                        f"{self.heading}: rij zonder label in '{self.section}': {texts[0][:60]}"
                    )
                continue
            label = cells[0].text.strip()
            key = _match(cells[0].text, shape.labels, shape.longest)
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
            if key in shape.text_columns:
                self.lines[key] = [value]
            else:
                self.card[key] = value
        self._clear_loose()

    def _finish(self) -> None:
        card = self.card
        if card is None:
            return
        shape = self.shape
        annex = shape.annex
        sheet = annex.sheet
        for key, lines in self.lines.items():
            card[key] = "\n".join(lines) or None
        name = str(card.get(shape.name_column) or self.heading)
        card.setdefault(shape.name_column, name)
        card[sheet.key_column] = shape.spec.key_value(len(self.out.records(sheet.name)) + 1)
        for mark in dict.fromkeys(self.marks):
            self.report.notes.append(f"{name}: {mark}")
        inclusion = shape.inclusion
        for keys, pattern in shape.answers:
            answers = " ".join(str(card.get(k) or "") for k in keys).casefold()
            if (
                inclusion.column is not None
                and card.get(inclusion.column) == inclusion.published
                and pattern.search(answers)
            ):
                self._last_time(card)
                self.report.notes.append(
                    f"{name}: de uitkomst zegt dat er niet meer wordt gerapporteerd; "
                    f"'{inclusion.label}' staat op '{inclusion.last_time}'."
                )
        if (
            self.heading
            and shape.heading_column is not None
            and schema.normalise(self.heading) != schema.normalise(name)
        ):
            card[shape.heading_column.key] = self.heading  # the card keeps its heading in the next build
            self.report.notes.append(
                f"Kop '{self.heading}' en {shape.name_label} '{name}' verschillen; de kop staat in "
                f"'{shape.heading_column.label}'."
            )
        last = inclusion.column is not None and card.get(inclusion.column) == inclusion.last_time
        extra = " (laatste keer)" if last else ""
        self.out.add(annex, card, f"{card[sheet.key_column]} {name}{extra}")

    def close(self) -> None:
        self._changes_skipped()
        self._finish()
        self.card = None
        if self.toc_lines:
            self.report.skipped.append(TOC_SKIPPED)


def read_card_annex(
    document: wordread.WordPackage, blocks: list[Block], imported: Imported, shape: CardShape
) -> None:
    """A hand-made annex of cards (the type's [inlezen] with vorm = "kaarten")."""
    reader = _CardReader(imported, shape)
    for block in blocks:
        if isinstance(block, Table):
            reader.table(block)
        else:
            text = block.text.strip()
            title = shape.title.match(text) if shape.title_settings else None
            if title and reader.card is None and not block.toc:
                imported.consulted.add(shape.title_settings[0])
            if (
                title
                and reader.card is None
                and shape.title_settings[0] not in imported.settings
                and not block.toc
            ):
                for name, value in title.groupdict().items():
                    imported.settings[name] = value.strip()
                    imported.assigned.add(name)
                continue
            reader.paragraph(block)
    reader.close()
    _settings_from_header(document, imported, shape.spec)


def _settings_from_header(document: wordread.WordPackage, imported: Imported, spec: HandMade | None) -> None:
    """The settings the page header shows (every section's, as python-docx reads them)."""
    from toolkit.declarations.handmade import DEFAULT_HEADER

    pattern = pattern_regex(spec.header if spec is not None else DEFAULT_HEADER)
    for text in document.header_paragraphs():
        found = pattern.match(text.strip())
        if found:
            for name, value in found.groupdict().items():
                imported.settings.setdefault(name, value.strip())


def _settings_from_subtitle(text: str, imported: Imported) -> None:
    """'Gemeente Delft · Programmabegroting 2025 · peildatum 1 april 2024' under the title
    of an annex: gemeente and editie, for an annex whose page header is gone."""
    parts = [p.strip() for p in text.split("·")]
    if len(parts) < 2 or not parts[0].startswith("Gemeente "):
        return
    imported.settings.setdefault("gemeente", parts[0].removeprefix("Gemeente ").strip())
    editions = [p for p in parts[1:] if p and "peildatum" not in p.casefold()]
    if len(editions) == 1:
        imported.settings.setdefault("editie", editions[0])


class TableShape:
    """A table type's declared columns, group headings and settings in the title."""

    def __init__(self, annex: AnnexType) -> None:
        spec = _spec(annex)
        sheet = annex.sheet
        layout = annex.arrangement
        self.annex = annex
        self.spec = spec
        self.columns = spec.columns
        self.labels = " | ".join(sheet.column(k).label for k in spec.columns)
        self.headers: dict[str, str] = {}
        for key in spec.columns:
            col = sheet.column(key)
            for name in (col.label, *col.aliases):
                self.headers.setdefault(_key(name), key)
        numbers = {s.key for s in annex.settings if s.default.strip().isdigit()}
        defaults = {s.key: s.default for s in annex.settings if s.default.strip()}
        #: per group level: how its heading is recognised (a pattern, or a prefix word)
        self.groups: list[tuple[str, re.Pattern[str] | None, str, str | None]] = []
        for level in layout.groups:
            pattern = None
            if level.heading.strip() != "{waarde}":
                pattern = pattern_regex(level.heading, defaults, numbers | {"nummer"})
            number_setting = level.number_from if isinstance(level.number_from, str) else None
            self.groups.append((level.column, pattern, level.prefix, number_setting))
        counted = layout.counted
        self.overview = sheet.column(counted.counted or "").label if counted is not None else None
        self.continuation = layout.continuation
        self.title = pattern_regex(spec.title, None, numbers)
        vocabularies = {v.key: v for v in annex.vocabularies}
        #: the columns with a list: a cell holds a value, then perhaps its explanation
        self.lists = {
            key: list(vocabularies[col.vocabulary].values)
            for key in spec.columns
            if (col := sheet.column(key)).vocabulary in vocabularies
        }

    def group(self, text: str) -> tuple[int, str, dict[str, str]] | None:
        """The group level a heading opens, its value and the settings it shows."""
        for level, (_, pattern, prefix, number_setting) in enumerate(self.groups):
            if pattern is not None:
                found = pattern.match(text)
                if found:
                    values = found.groupdict()
                    value = values.pop("waarde", "").strip()
                    number = values.pop("nummer", None)
                    if number is not None and number_setting:
                        values[number_setting] = number
                    return level, value, values
            elif prefix and text.casefold().startswith(f"{prefix.casefold()}:"):
                return level, text[len(prefix) + 1 :].strip(), {}
        return None


def read_table_annex(
    document: wordread.WordPackage, blocks: list[Block], imported: Imported, shape: TableShape
) -> None:
    """A hand-made annex of tables (the type's [inlezen] with vorm = "tabellen"): per
    group a heading, per lowest group a table with the declared columns as its header."""
    annex = shape.annex
    sheet = annex.sheet
    spec = shape.spec
    report = imported.report
    rows_read = imported.records(sheet.name)
    values: list[str] = ["" for _ in shape.groups]  # the current value of each group level
    continued: dict[int, list[str]] = {}  # row index -> continued column's parts (page breaks)
    toc_lines = 0
    top = shape.groups[0][0] if shape.groups else None

    def where() -> str:
        return values[0] if values else ""

    for block in blocks:
        if not isinstance(block, Table):
            if block.toc:
                toc_lines += bool(block.text.strip())
                continue
            text = block.text.strip()
            opened = shape.group(text)
            if opened is not None:
                level, value, settings = opened
                values[level] = value
                for lower in range(level + 1, len(values)):
                    values[lower] = ""
                for name, setting in settings.items():
                    imported.settings.setdefault(name, setting.strip())
            elif "peildatum" in text.casefold() and not where():
                from toolkit.core.dates import parse_peildatum

                day = parse_peildatum(text.casefold().split("peildatum", 1)[1])
                if day:
                    imported.settings.setdefault("peildatum", day)
                _settings_from_subtitle(text, imported)
            elif block.heading and not where():
                title = shape.title.match(text)
                if title:
                    for name, value in title.groupdict().items():
                        imported.settings.setdefault(name, value.strip())
            continue
        if block.nested:
            report.skipped.append(
                f"{block.nested} tabel(len) binnen een tabelcel bij '{where()}' niet ingelezen"
            )
        columns: dict[str, int] | None = None
        extra: dict[int, str] = {}
        extra_values = 0
        for cells in block.rows:
            texts = [c.lines for c in cells]
            if not any(texts):
                continue
            if columns is None:
                found = {shape.headers.get(_key(t)): i for i, t in enumerate(texts)}
                found.pop(None, None)
                if set(shape.columns) <= set(found):
                    columns = found  # type: ignore[assignment]
                    used = set(found.values())
                    extra = {i: t for i, t in enumerate(texts) if i not in used}
                    continue
                if len([t for t in texts if t]) == 1 and len(shape.groups) > 1:
                    # a "Doel: …" row above the header: the lowest group's value
                    prefix = shape.groups[-1][2]
                    text = texts[0].strip()
                    if prefix:
                        text = re.sub(rf"^{re.escape(prefix)}:\s*", "", text, flags=re.IGNORECASE)
                    values[-1] = text
                    continue
                if shape.overview is not None and _key(texts[0]) == _key(shape.overview):
                    report.skipped.append(f"Statusoverzicht van '{where()}' (wordt opnieuw berekend)")
                    break
                report.skipped.append(
                    f"Tabel zonder kop {shape.labels.replace(' | ', '/')} bij '{where()}': {texts[0][:50]}"
                )
                break
            extra_values += sum(1 for i in extra if i < len(texts) and texts[i])
            row: dict[str, object] = {
                key: texts[columns[key]] if columns[key] < len(texts) else "" for key in shape.columns
            }
            continuation = shape.continuation
            if rows_read and continuation is not None and continuation.continues(row):
                index = len(rows_read) - 1
                previous = rows_read[index]
                column = continuation.column
                parts = continued.setdefault(index, [p for p in (str(previous.get(column) or ""),) if p])
                parts.append(str(row[column]))
                report.notes.append(
                    f"{previous[sheet.key_column]}: rij zonder "
                    f"{sheet.column(continuation.empty[0]).label.casefold()} samengevoegd met de "
                    f"vorige (paginagrens)."
                )
                continue
            record: dict[str, object] = {sheet.key_column: spec.key_value(len(rows_read) + 1)}
            for (group_column, *_), value in zip(shape.groups, values, strict=True):
                record[group_column] = value
            for key in shape.columns:
                record[key] = row[key]
                if key in shape.lists:
                    cell = str(row[key])
                    value, note = split_status(cell, shape.lists[key])
                    record[key] = value
                    if spec.note_column is not None:
                        record[spec.note_column] = note
                    if cell and not value:
                        label = sheet.column(key).label
                        into = sheet.column(spec.note_column).label if spec.note_column else ""
                        report.notes.append(
                            f"{label} '{cell[:40]}' niet herkend"
                            + (f"; staat in {into}." if into else "; niet overgenomen.")
                        )
            first = next((k for k in shape.columns if k not in shape.lists), shape.columns[0])
            text = str(record.get(first) or "")
            imported.add(
                annex,
                record,
                f"{record[sheet.key_column]} {record.get(top) if top else ''} · "
                f"{text.splitlines()[0][:60] if text else ''}",
            )
        if columns is not None and (extra_values or any(extra.values())):
            names = ", ".join(f"'{t[:40]}'" if t else "(zonder kop)" for t in extra.values())
            lowest = values[-1] if len(values) > 1 else ""
            prefix = shape.groups[-1][2].casefold() if len(values) > 1 else ""
            report.skipped.append(
                f"Tabel bij '{where()}'{f' ({prefix} {lowest[:40]})' if lowest else ''}: extra kolom(men) "
                f"{names} niet ingelezen ({extra_values} gevulde cellen); het register heeft "
                f"alleen {_joined([sheet.column(k).label for k in shape.columns])}."
            )
    for index, parts in continued.items():
        rows_read[index][shape.continuation.column if shape.continuation else ""] = "\n".join(
            p for p in parts if p
        )
    if toc_lines:
        report.skipped.append(TOC_SKIPPED)
    _settings_from_header(document, imported, spec)


def _joined(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} en {labels[-1]}"


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
                arranged=bool(layout.groups or layout.elements),
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
    """Read annexes (any order, any declared type) into rows for a new register.

    A hand-made annex is read in the shape its type declares ([inlezen]): first the card
    types a document shows a card of, then the types of the coordinator's own whose
    sample card it repeats, then the table types. templates (--sjablonen) is a folder with
    declarations of annex types of the coordinator's own (*.toml) and their templates: an
    annex of such a type is read back by the sample card in its template.

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
    types = BUILTIN.with_folder(templates)
    imported = Imported(types=types, templates=templates)
    samples = _own_samples(types)
    declared = [t for t in types.types if t.handmade is not None]
    shapes = (
        samples,
        [CardShape(t) for t in declared if _spec(t).cards],
        [TableShape(t) for t in declared if not _spec(t).cards],
    )
    many = len(paths) > 1

    def alone(path: Path) -> Imported:
        part = Imported(types=types, templates=templates)
        _convert(path, *_read(path), part, shapes, many)
        return part

    for path, part in _read_ahead(paths, alone):
        if part is not None and _merges_exactly(part, imported):
            _merge(part, imported)
        else:
            _convert(path, *_read(path), imported, shapes, many)
    return imported


_Shapes = tuple[list[tuple[AnnexType, "Sample"]], list["CardShape"], list["TableShape"]]


def _convert(
    path: Path,
    document: wordread.WordPackage,
    blocks: list[Block],
    imported: Imported,
    shapes: _Shapes,
    many: bool,
) -> None:
    """One file's rows, settings and report lines into imported: first the card types a
    document shows a card of, then the own types whose sample card it repeats, then the
    table types. A file with nothing of an annex in it is refused."""
    samples, cards, tables = shapes
    imported.report.source.append(path.name)
    skipped = imported.report.skipped
    first = len(skipped)
    before = imported.counts()
    card = next((shape for shape in cards if shape.recognises(blocks)), None)
    if card is not None:
        read_card_annex(document, blocks, imported, card)
    elif samples and read_own_annex(blocks, samples, imported, path.name):
        _settings_from_header(document, imported, None)
    else:
        for shape in tables:
            read_table_annex(document, blocks, imported, shape)
            if imported.counts() != before:
                break
    if imported.counts() == before:
        raise RegisterUnreadable(
            _nothing_found(path.name, blocks, imported.types, document.left_out_counts.get("altchunk", 0))
        )
    skipped += left_out(document)
    if many:  # which file each line is about ("De inhoudsopgave" is in every annex)
        skipped[first:] = [f"{path.name}: {line}" for line in skipped[first:]]


def _nothing_found(name: str, blocks: list[Block], types: AnnexTypes = BUILTIN, chunks: int = 0) -> str:
    if chunks:
        return (
            f"In '{name}' staat tekst die als geheel is ingevoegd (altChunk: {chunks} "
            f"HTML-, RTF- of Word-delen); die wordt niet ingelezen, en in de rest staan geen "
            f"kaarten of tabellen van een bijlage. Open de bijlage in Word, sla haar op als "
            f"Word-document (dan wordt het ingevoegde gewone tekst) en lees haar opnieuw "
            f"in. Er is geen register gemaakt."
        )
    if not any(b.rows if isinstance(b, Table) else b.text.strip() for b in blocks):
        return (
            f"'{name}' is leeg: er staat geen tekst in. Kies de Word-bijlage van de vorige "
            f"editie; er is geen register gemaakt."
        )
    kinds = []
    for annex in types.types:
        spec = annex.handmade
        if spec is not None and spec.cards:
            kinds.append(f"{annex.singular}kaarten (een tabel met '{CardShape(annex).name_label}')")
        elif spec is not None:
            labels = _joined([annex.sheet.column(k).label for k in spec.columns])
            kinds.append(f"{annex.singular}tabellen (met de kolommen {labels})")
        elif not annex.bundled:
            kinds.append(f"kaarten van de {annex.name} (de voorbeeldkaart in '{annex.template}')")
    own = [t for t in types.types if not t.bundled]
    hint = (
        ""
        if own
        else (
            " Is het een bijlage van een eigen bijlagetype? Geef dan met "
            "--sjablonen de map met de verklaring en het sjabloon op."
        )
    )
    found = _joined(kinds) if kinds else "kaarten of tabellen van een bijlage"
    return (
        f"In '{name}' staan geen {found.replace(' en ', ' en geen ', 1) if len(kinds) == 2 else found}. "
        f"Is dit de raadsbijlage van de vorige editie?{hint} Er is geen register gemaakt."
    )


def _lists(imported: Imported) -> dict[str, list[str]]:
    """The toolkit's own lists (those with meanings) plus every value the annexes use, so
    the new register validates. The municipality's lists hold only what this
    municipality's annex says: never the example municipality's values."""
    types = imported.types
    lists = {voc.key: [] if voc.key in types.municipal else list(voc.values) for voc in types.vocabularies}
    tables = [(imported.tables.get(t.sheet.name, []), t.sheet) for t in types.types]
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
    # only the sheets the annexes filled: an empty sheet would give an annex of no rows
    # at the next build
    sheets = [t.sheet.name for t in types.types if imported.tables.get(t.sheet.name)]
    settings: dict[str, object] = {s.key: s.default for s in types.settings_for(sheets)}
    settings.update(imported.settings)
    if imported.templates is not None and any(
        rows for name, rows in imported.tables.items() if not types.of_sheet(name).bundled
    ):
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
            settings=settings,
            lists=lists,
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
