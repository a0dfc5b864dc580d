"""The web edition (`toolkit build --html`): every annex as static, accessible web pages.

From the same declarations, arrangement and sample card as the Word annexes (layout_html
turns them into blocks; nothing is read from a built .docx), OUT/web gets an index of the
edition's annexes, a page per annex with its contents list and an anchor per record
(#P-013), and a page per status and per group: filters that are plain links, so they
work without JavaScript, in every browser and in a web archive. The pages are
self-contained (one stylesheet, an optional logo, nothing loaded from elsewhere), Dutch
(lang="nl"), in the organisation's colours and font (tokens.py), and printable. The
same input gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit import __version__
from toolkit.build.web_edition.tokens import Tokens, find_logo, read_tokens, text_on
from toolkit.core.blocks import UNLISTED_COLOUR
from toolkit.core.output import atomic_write, reason, shown
from toolkit.core.richtext import plain_line
from toolkit.declarations.model import normalise
from toolkit.layouts.arrange import status_counts
from toolkit.layouts.html import (
    CardPlan,
    Heading,
    Ids,
    Levels,
    OutlineItem,
    Piece,
    RecordView,
    body_blocks,
    changes_blocks,
    contents_tree,
    element_block,
    heading_ids,
    record_ids,
    slug,
    template_outline,
    template_title,
    text_blocks,
)
from toolkit.layouts.word import Arranged

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup

    from toolkit.declarations.annextypes import AnnexType
    from toolkit.layouts.arrange import Group
    from toolkit.register.diff import DiffResult
    from toolkit.register.read import Record, Register

FOLDER = "web"
STYLESHEET = "stijl.css"
#: the manifest's key for the files of the web edition (name: sha256)
MANIFEST_KEY = "webeditie"


@dataclass(frozen=True)
class Link:
    text: str
    href: str
    current: bool = False


@dataclass(frozen=True)
class FilterGroup:
    """One filter: a page per value of a column (the status, a level of the grouping)."""

    key: str
    label: str  # "Status"
    values: tuple[tuple[str, int, str, Callable[[Record], bool]], ...]  # text, count, file, keep

    def links(self, all_href: str, total: int, plural: str, current: str = "") -> list[Link]:
        return [
            Link(f"Alle {plural} ({total})", all_href, current == ""),
            *(Link(f"{text} ({count})", name, name == current) for text, count, name, _ in self.values),
        ]


@dataclass
class AnnexSite:
    """One annex's pages: what its page and its filtered pages are made of."""

    annex: AnnexType
    name: str  # file name of its page
    title: str
    arranged: Arranged
    plan: CardPlan
    view: RecordView
    anchors: list[str]
    intro: list[object]
    tokens: Tokens
    filters: list[FilterGroup] = field(default_factory=list)
    #: the template's headings and block tags in its order, with an id per heading
    #: (empty when the template has no place for the records: the page's own order)
    outline: list[tuple[OutlineItem, str]] = field(default_factory=list)
    #: a rich-text setting's blocks by its tag
    texts: dict[str, list[object]] = field(default_factory=dict)

    @property
    def css_class(self) -> str:
        return f"bijlage-{Path(self.name).stem}"

    @property
    def count(self) -> int:
        return len(self.arranged.records)


@cache
def environment() -> Environment:
    from jinja2 import Environment, PackageLoader, select_autoescape
    from markupsafe import Markup, escape

    env = Environment(
        loader=PackageLoader("toolkit.build.web_edition", "templates"),
        autoescape=select_autoescape(["html"], default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["regels"] = lambda text: Markup("<br>").join(escape(line) for line in str(text).split("\n"))
    env.filters["stukken"] = pieces_html
    return env


def pieces_html(pieces: Iterable[Piece]) -> Markup:
    """Inline text as HTML, each piece escaped: called for every value on every page,
    so a Python filter rather than a macro per piece."""
    from markupsafe import Markup, escape

    out = []
    for p in pieces:
        html = Markup("<br>").join(escape(line) for line in p.text.split("\n"))
        if p.vertical in ("superscript", "subscript"):
            tag = "sup" if p.vertical == "superscript" else "sub"
            html = Markup(f"<{tag}>%s</{tag}>") % html
        if p.underline:
            html = Markup('<span class="onderstreept">%s</span>') % html
        if p.italic:
            html = Markup("<em>%s</em>") % html
        if p.bold:
            html = Markup("<strong>%s</strong>") % html
        if p.colour:
            html = Markup('<span class="status kleur-%s">%s</span>') % (p.colour, html)
        if p.href:
            html = Markup('<a href="%s">%s</a>') % (p.href, html)
        out.append(html)
    return Markup("").join(out)


def write_web_edition(
    register: Register,
    annexes: Iterable[AnnexType],
    templates: Mapping[str, Path],
    folder: Path,
    context: Mapping[str, str],
    changes: DiffResult | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> list[Path]:
    """Write the web edition into folder (OUT/web); the files a previous build wrote
    there and this one does not are removed, any other file is left alone."""
    sites = [_annex_site(register, annex, templates[annex.kind], changes, context) for annex in annexes]
    logo = find_logo(list(dict.fromkeys(templates[a.annex.kind].parent for a in sites)))
    logo_name = logo.name if logo is not None else ""
    files: dict[str, bytes] = {}
    env = environment()
    site = {
        "gemeente": context.get("gemeente", ""),
        "editie": context.get("editie", ""),
        "peildatum": context.get("peildatum", ""),
        "logo": logo_name,
        "version": __version__,
    }
    for annex_site in sites:
        files.update(_annex_pages(env, annex_site, site, changes))
    files["index.html"] = (
        env.get_template("index.html").render(site=site, page=_index_page(sites, site)).encode("utf-8")
    )
    files[STYLESHEET] = (
        env.get_template("stijl.css")
        .render(
            root=sites[0].tokens if sites else Tokens(),
            annexes=[(s.css_class, s.tokens) for s in sites],
            colours=_colours(sites),
            text_on=text_on,
        )
        .encode("utf-8")
    )
    if logo is not None:
        files[logo_name] = logo.read_bytes()
    previous = _recorded(folder.parent)
    written = []
    for name in ["index.html", *sorted(n for n in files if n != "index.html")]:
        data = files[name]
        written.append(atomic_write(folder / name, partial(Path.write_bytes, data=data)))
    _, _, failed = _remove_recorded(folder, previous, keep=set(files))
    for stale, exc in failed:
        progress(
            f"Let op: het oude bestand '{shown(stale)}' van de webeditie kon niet "
            f"worden verwijderd ({reason(exc)})."
        )
    progress(f"Webeditie: {shown(folder / 'index.html')} ({len(files)} bestanden)")
    return written


def manifest_entry(paths: Iterable[Path]) -> dict[str, str]:
    """The web edition's files for manifest.json, so the next build knows its own."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def clear_web_edition(folder: Path, progress: Callable[[str], None]) -> tuple[list[Path], list[Path]]:
    """The web edition of an earlier build, when this build makes none: the files the
    manifest recorded and that are unchanged go (the folder too, when it is then empty),
    so no stale pages stay beside the new annexes without a word; a file changed since
    stays and is named. (removed, left)"""
    removed, changed, failed = _remove_recorded(folder, _recorded(folder.parent))
    left = sorted([*changed, *(path for path, _ in failed)])
    if removed:
        progress(
            f"Verwijderd: de webeditie van de vorige bouw ({len(removed)} bestanden in "
            f"{shown(folder)}); ze hoort niet bij de nieuwe bijlagen. Maak haar opnieuw met --html."
        )
    if left:
        names = ", ".join(f"'{shown(p.name)}'" for p in left[:5]) + (" …" if len(left) > 5 else "")
        one = len(left) == 1
        progress(
            f"Let op: in {shown(folder)} {'staat' if one else 'staan'} nog "
            f"{len(left)} {'bestand' if one else 'bestanden'} van de webeditie van een eerdere "
            f"bouw ({names}), na die bouw gewijzigd: {'het blijft' if one else 'ze blijven'} "
            f"staan, maar {'hoort' if one else 'horen'} niet bij de nieuwe bijlagen. "
            f"Verwijder {'het' if one else 'ze'}, of bouw met --html."
        )
    try:
        if removed and not any(folder.iterdir()):
            folder.rmdir()
    except OSError:
        pass
    return removed, left


def _remove_recorded(
    folder: Path,
    recorded: Mapping[str, str],
    keep: Collection[str] = (),
) -> tuple[list[Path], list[Path], list[tuple[Path, OSError]]]:
    """The files of an earlier web edition (names and hashes from its manifest) that are
    still as that build wrote them, removed; a name in keep (written again), a path or a
    symbolic link is left alone. (removed, changed since, could not be removed)"""
    removed: list[Path] = []
    changed: list[Path] = []
    failed: list[tuple[Path, OSError]] = []
    for name, digest in sorted(recorded.items()):
        path = folder / name
        if name in keep or os.sep in name or "/" in name or path.is_symlink() or not path.is_file():
            continue
        try:
            if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                changed.append(path)
                continue
            path.unlink()
        except OSError as exc:
            failed.append((path, exc))
            continue
        removed.append(path)
    return removed, changed, failed


def _recorded(out_dir: Path) -> dict[str, str]:
    try:
        data = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
        files = data[MANIFEST_KEY]
        return {str(k): str(v) for k, v in files.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


# --- one annex ------------------------------------------------------------------------


def _sample(annex: AnnexType, template: Path, values: Mapping[str, str]):  # type: ignore[no-untyped-def]
    """The template's sample card (for an older template, its bundled one), the
    template's outline (where its headings and blocks stand around the records) and its
    title as the Word annex shows it ("" without a Title paragraph)."""
    import zipfile

    from toolkit.layouts.render import arrangement_tags, bundled_template, cut_sample_from

    cut, found = cut_sample_from(template)
    blocks = {"kaarten", "rijen", "wijzigingen", *arrangement_tags()}
    blocks |= {s.key for s in annex.settings if s.kind.traits.rich}
    if annex.legacy_block:
        blocks.add(annex.legacy_block)
    with zipfile.ZipFile(cut) as archive:
        names = set(archive.namelist())
        document_xml = archive.read("word/document.xml")
        styles_xml = archive.read("word/styles.xml") if "word/styles.xml" in names else None
        outline = template_outline(document_xml, styles_xml, blocks, values)
        title = template_title(document_xml, styles_xml, values)
    if found is None and annex.legacy_block:
        found = cut_sample_from(bundled_template(annex))[1]
    samples = {"kaarten", "rijen", annex.legacy_block}
    if not any(item.kind == "block" and item.name in samples for item in outline):
        outline = []  # the records have no place: the page's own order
    return found, outline, title


def _annex_site(
    register: Register,
    annex: AnnexType,
    template: Path,
    changes: DiffResult | None,
    context: Mapping[str, str],
) -> AnnexSite:
    from toolkit.layouts.render import _setting_or_default, arrangement_tags, record_values

    setting = _setting_or_default(register)
    roles = register.roles
    records = register.published(annex)
    sample, outline, title = _sample(annex, template, _tag_values(register, annex, context, len(records)))
    placed = frozenset(i.name for i in outline if i.kind == "block") & frozenset(arrangement_tags())
    arranged = Arranged(
        annex.arrangement,
        annex.sheet,
        records,
        register.lists,
        setting,
        lambda vocabulary, value: roles.colour(value, vocabulary),
        annex.plural,
        placed,
    )
    columns = [c for c in annex.sheet.columns if c.published]
    values = record_values(annex)
    coloured = {
        c.key: c.vocabulary or ""
        for c in columns
        if any(r.colour for v in annex.vocabularies if v.key == c.vocabulary for r in v.roles)
    }
    layout = annex.arrangement
    last = annex.role_column("last_time")
    new_rows = frozenset(
        c.new.row for c in (changes.of("nieuw", annex.sheet.name) if changes else []) if c.new
    )

    def notes(record: Record) -> list[str]:
        out = []
        if (
            layout.last_note
            and last is not None
            and roles.last_time(record.text(last.key), last.vocabulary or "")
        ):
            out.append(layout.last_note)
        if layout.new_note and record.row in new_rows:
            out.append(layout.new_note)
        return out

    def colours(record: Record) -> dict[str, str]:
        return {
            key: roles.colour(text, vocabulary).lower()
            for key, vocabulary in coloured.items()
            if (text := record.text(key).strip())
        }

    ids = Ids()
    blocks = environment().get_template("_blokken.html").module
    view = RecordView(
        lambda r: arranged.values(r, values(r)),
        frozenset(c.key for c in columns if not c.kind.traits.rich),
        colours,
        notes,
        record_ids(arranged.records, annex.sheet.key_column, ids),
        layout.omit_empty,
        blocks.block,  # type: ignore[attr-defined]
    )
    anchors = heading_ids(arranged, ids)
    texts = {
        s.key: text_blocks(register.settings.get(s.key), plain=False)
        for s in annex.settings
        if s.kind.traits.rich
    }
    intro = [b for blocks in texts.values() for b in blocks]
    name = f"{slug(annex.key, 'bijlage')}.html"
    site = AnnexSite(
        annex,
        name,
        title or annex.fill(annex.title, setting),
        arranged,
        CardPlan.of(sample, annex),
        view,
        anchors,
        intro,
        read_tokens(template),
        outline=[(i, ids.take(slug(i.name, "kop")) if i.kind == "heading" else "") for i in outline],
        texts=texts,
    )
    site.filters = _filters(site)
    return site


def _tag_values(
    register: Register, annex: AnnexType, context: Mapping[str, str], count: int
) -> dict[str, str]:
    """The plain tags of the annex's template as the Word build fills them (a heading of
    the template may hold one)."""
    from toolkit.layouts.render import _setting_or_default

    setting = _setting_or_default(register)
    values = dict(context)
    values.update({s.key: register.setting_text(s.key) for s in annex.settings if not s.kind.traits.rich})
    values["aantal"] = str(count)
    for name, pattern in annex.tags:
        values[name] = annex.fill(pattern, lambda key: values["aantal"] if key == "aantal" else setting(key))
    return values


def _filters(site: AnnexSite) -> list[FilterGroup]:
    """A filter per status (the overview's column) and one per level of the grouping
    (per opgave, per doel): a value that stands under several groups of the level
    above is one filter (all records with that value)."""
    arranged, stem = site.arranged, Path(site.name).stem
    taken: set[str] = {site.name, "index.html"}

    def file_name(column: str, value: str) -> str:
        base = f"{stem}-{slug(column, 'kolom')}-{slug(value, 'leeg')}"
        name, n = f"{base}.html", 1
        while name in taken:
            n += 1
            name = f"{base}-{n}.html"
        taken.add(name)
        return name

    out = []
    counted = arranged.layout.counted
    status = (
        arranged.sheet.column(counted.counted or "")
        if counted is not None
        else site.annex.role_column("colour")
    )
    if status is not None:
        key = status.key
        counts = status_counts(arranged.records, key, status.vocabulary, arranged.lists)
        out.append(
            FilterGroup(
                key,
                status.label,
                tuple(
                    (value, n, file_name(key, value), partial(_has_status, key, value)) for value, n in counts
                ),
            )
        )
    used = {status.key} if status is not None else set()
    for depth, spec in enumerate(arranged.layout.groups, start=1):
        column = arranged.sheet.column(spec.column)
        if column.key in used:
            continue
        used.add(column.key)
        values: dict[str, tuple[str, int]] = {}  # the folded value: as shown, how many
        for group in _at_depth(arranged.groups, depth):
            folded = normalise(group.value)
            text, n = values.get(folded, (group.value, 0))
            values[folded] = (text, n + len(group.records))
        out.append(
            FilterGroup(
                column.key,
                column.label,
                tuple(
                    (
                        text or "(leeg)",
                        n,
                        file_name(column.key, text),
                        partial(_in_group, column.key, folded),
                    )
                    for folded, (text, n) in values.items()
                ),
            )
        )
    return out


def _at_depth(groups: Iterable[Group], depth: int) -> Iterator[Group]:
    """The groups of one level of the grouping (1: the first), in the annex's order."""
    for group in groups:
        if depth == 1:
            yield group
        else:
            yield from _at_depth(group.children, depth - 1)


def _has_status(key: str, status: str, record: Record) -> bool:
    """As layout.status_counts counts it."""
    return (record.text(key).strip() or "Geen status") == status


def _in_group(key: str, folded: str, record: Record) -> bool:
    """As layout.group_records groups it."""
    return normalise(plain_line(record.text(key))) == folded


def _meta(site: AnnexSite, info: Mapping[str, str]) -> str:
    parts = [
        f"Gemeente {info['gemeente']}" if info["gemeente"] else "",
        info["editie"],
        f"peildatum {info['peildatum']}" if info["peildatum"] else "",
        f"{site.count} {site.annex.plural}",
    ]
    return " · ".join(p for p in parts if p)


def _head_title(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def _annex_pages(
    env: Environment, site: AnnexSite, info: Mapping[str, str], changes: DiffResult | None
) -> dict[str, bytes]:
    template = env.get_template("bijlage.html")
    pages: dict[str, bytes] = {}
    municipality = f"Gemeente {info['gemeente']}" if info["gemeente"] else ""
    plural = site.annex.plural

    def page(keep: Callable[[Record], bool] | None, current: str, notice: str, head: str) -> bytes:
        if site.outline:
            blocks, contents = _in_template_order(site, changes, keep)
            intro: list[object] = []
        else:
            levels = Levels()
            change, change_contents = (
                changes_blocks(changes, site.annex.sheet.name, site.view, levels)
                if keep is None
                else ([], [])
            )
            body, body_contents = body_blocks(site.arranged, site.plan, site.view, site.anchors, keep)
            blocks, contents = change + body, change_contents + body_contents
            intro = site.intro if keep is None else []
        filters = [
            (group.label, group.links(site.name, site.count, plural, current)) for group in site.filters
        ]
        return template.render(
            site=info,
            page={
                "head_title": _head_title(head, info["editie"], municipality),
                "h1": site.title,
                "meta": _meta(site, info),
                "body_class": site.css_class,
                "notice": notice,
                "all_href": site.name if notice else "",
                "intro": intro,
                "contents": contents_tree(contents),
                "filters": filters,
                "blocks": blocks,
                "plural": plural,
                "crumb": head,
            },
        ).encode("utf-8")

    pages[site.name] = page(None, "", "", site.title)
    for group in site.filters:
        for text, count, name, keep in group.values:
            notice = (
                f"U ziet alleen de {plural} met {group.label.lower()} ‘{text}’: {count} van de {site.count}."
            )
            pages[name] = page(keep, name, notice, f"{site.title}: {text}")
    return pages


def _in_template_order(
    site: AnnexSite, changes: DiffResult | None, keep: Callable[[Record], bool] | None
) -> tuple[list[object], list[tuple[int, str, str]]]:
    """The page's body as the Word annex has it: the template's own headings, its
    texts, the change overview and the elements (a status overview, a cross-tab) where
    the template puts their tags, the records where its sample card stands. A filtered page shows only
    the records, under the template's headings that lead to them (overviews count every
    record, the texts are on the annex's page)."""
    samples = {"kaarten", "rijen", site.annex.legacy_block}
    items = site.outline
    leads = [False] * len(items)  # a heading with only headings between it and the records
    following = False
    for index in range(len(items) - 1, -1, -1):
        item = items[index][0]
        if item.kind == "block":
            following = item.name in samples
        leads[index] = following and item.kind == "heading"
    levels = Levels()
    out: list[object] = []
    contents: list[tuple[int, str, str]] = []
    layout = site.arranged.layout
    for index, (item, anchor) in enumerate(items):
        if item.kind == "heading":
            if keep is None or leads[index]:
                level = levels.take(item.level)
                out.append(Heading(level, [Piece(item.name)], anchor))
                contents.append((level, item.name, f"#{anchor}"))
        elif item.name in samples:
            body, body_contents = body_blocks(site.arranged, site.plan, site.view, site.anchors, keep)
            out += body
            contents += body_contents
            levels = Levels()
        elif keep is not None:
            continue
        elif item.name == "wijzigingen":
            change, change_contents = changes_blocks(changes, site.annex.sheet.name, site.view, levels)
            out += change
            contents += change_contents
        elif (element := layout.element(item.name)) is not None:
            out.append(element_block(site.arranged.block(element)))
        else:
            out += site.texts.get(item.name, [])
    return out, contents


def _index_page(sites: list[AnnexSite], info: Mapping[str, str]) -> dict[str, object]:
    municipality = f"Gemeente {info['gemeente']}" if info["gemeente"] else ""
    heading = f"Bijlagen bij de {info['editie']}" if info["editie"] else "Bijlagen"
    meta = " · ".join(
        p for p in (municipality, f"peildatum {info['peildatum']}" if info["peildatum"] else "") if p
    )
    annexes = []
    for site in sites:
        annexes.append(
            {
                "id": f"bijlage-{Path(site.name).stem}",
                "title": site.title,
                "href": site.name,
                "count": f"{site.count} {site.annex.plural}",
                "filters": [
                    (f"Per {g.label.lower()}", g.links(site.name, site.count, site.annex.plural)[1:])
                    for g in site.filters
                ],
            }
        )
    return {
        "head_title": _head_title(heading, municipality),
        "h1": heading,
        "meta": meta,
        "annexes": annexes,
        "body_class": "",
        "crumb": "",
    }


def _colours(sites: list[AnnexSite]) -> list[str]:
    """Every colour a list value may show in (a status), as CSS classes."""
    found = {UNLISTED_COLOUR.lower(), "ffffff"}
    for site in sites:
        for vocabulary in site.annex.vocabularies:
            found.update(r.colour.lower() for r in vocabulary.roles if r.colour)
    return sorted(c for c in found if len(c) == 6 and all(ch in "0123456789abcdef" for ch in c))
