"""Fill one Word template with records: the template's own tags in a sandboxed
Jinja environment, the repeated body from its sample card or row in the declared
arrangement (layout_word). `toolkit build`, import, the web edition and the
template docs all use it, so one place says what a template may contain.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from toolkit.core.bundled import bundled
from toolkit.core.errors import TemplateError
from toolkit.core.output import COMPRESS_LEVEL, FIXED_ZIP_TIME
from toolkit.core.settingtext import municipality
from toolkit.declarations import schema
from toolkit.declarations.annextypes import BUILTIN, AnnexType, AnnexTypes
from toolkit.declarations.elements import ELEMENTS
from toolkit.declarations.keys import said
from toolkit.layouts import wordxml
from toolkit.layouts.continued import CUT_IDS_FROM, WHOLE_ROW_PART, number_cuts_from
from toolkit.layouts.publishing import Heading
from toolkit.layouts.word import Arranged
from toolkit.register.read import Record, Register

if TYPE_CHECKING:
    from toolkit.layouts.sample import Sample


#: the bundled types' Word templates, by file name (as their declarations name them)
BUNDLED_TEMPLATES = {t.template: bundled("templates", t.template) for t in BUILTIN.types if t.bundled}
#: From this many rows (pilots + actions) a build makes the annexes in helper processes;
#: below it, starting them costs more than it saves (benchmarks/bench.py, 100 pilots).
PARALLEL_FROM_ROWS = 2000


@dataclass(frozen=True)
class Tag:
    name: str
    help: str
    block: bool = False  # stands alone in a paragraph; replaced by generated paragraphs


#: The tags every annex type's template may use; each type adds a tag per setting it
#: declares (a rich-text setting as a block), its [bijlagetype.tags] and its 'bloktag'
#: (template_tags, type_tags).
TAGS: tuple[Tag, ...] = (
    Tag("gemeente", "Naam van de gemeente (Instellingen)."),
    Tag("editie", "De editie, bijvoorbeeld 'Programmabegroting 2025' (Instellingen)."),
    Tag("peildatum", "De peildatum in het Nederlands, bijvoorbeeld '1 april 2024'."),
    Tag("aantal", "Aantal rijen in de bijlage."),
    Tag(
        "wijzigingen",
        "Overzicht van nieuwe, vervallen en gewijzigde rijen sinds de vorige "
        "editie; alleen met 'toolkit build --previous', anders leeg.",
        block=True,
    ),
    Tag(
        "kaarten",
        "Staat niet zelf in het sjabloon: de voorbeeldkaart tussen {{ kaarten }} "
        "en {{ einde }} (of de voorbeeldrij tussen {{ rijen }} en {{ einde }}) wordt per rij "
        "van het tabblad herhaald, in de indeling uit de verklaring; zie 'Een eigen kaart'.",
        block=True,
    ),
)


def arrangement_tags() -> tuple[str, ...]:
    """The block tags of the arrangement's elements (declarations.elements), each placed
    by the template or else before the records."""
    return tuple(ELEMENTS)


def all_tags() -> tuple[Tag, ...]:
    """Every tag any template may use: TAGS and one per element of the arrangement."""
    return TAGS + tuple(Tag(e.name, e.tag_help, block=True) for e in ELEMENTS.values())


COMMON_TAGS = ("gemeente", "editie", "peildatum")


def type_tags(annex: AnnexType) -> list[Tag]:
    """The tags an annex type's declaration adds: a tag per setting (a rich-text one as a
    block), its [bijlagetype.tags] and its bloktag."""
    tags = [
        Tag(
            s.key,
            f"{s.label} (Instellingen){' als alinea' + chr(39) + 's' if s.kind.traits.rich else ''}.",
            block=s.kind.traits.rich,
        )
        for s in annex.settings
    ]
    tags += [
        Tag(name, f"Tekst: {pattern} (voor sjablonen van vóór ronde 3).") for name, pattern in annex.tags
    ]
    if annex.legacy_block:
        tags.append(
            Tag(
                annex.legacy_block,
                "Oudere sjablonen: hier komt de voorbeeldkaart van het meegeleverde sjabloon.",
                block=True,
            )
        )
    return tags


def template_tags(annex: AnnexType) -> set[str]:
    """The tags an annex type's template may use."""
    arrangement = annex.arrangement
    declared = {e.name for e in arrangement.elements}
    declared |= {annex.legacy_block} if annex.legacy_block else set()
    return {
        *COMMON_TAGS,
        "aantal",
        "kaarten",
        "wijzigingen",
        *declared,
        *(s.key for s in annex.settings),
        *(name for name, _ in annex.tags),
    }


def _styles(document, lenient: bool = False) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Style ids by role; a coordinator who deleted a style gets told which.

    lenient (a template of the coordinator's own annex type, made in Word, which defines
    a style such as List Bullet only once it is used): a missing style is added, based on
    Normal, instead of refusing the template.
    """
    from docx.enum.style import WD_STYLE_TYPE

    ids = {}
    for role, name in schema.STYLE_NAMES.items():
        try:
            ids[role] = _style_id(document, name)
        except KeyError as exc:
            if lenient:
                added = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
                added.base_style = document.styles["Normal"]
                ids[role] = added.style_id
                continue
            raise TemplateError(
                f"Het Word-sjabloon mist de stijl '{name}'. Voeg die stijl weer toe in Word "
                f"(Start > Stijlen) of gebruik het standaardsjabloon uit {bundled('templates')}."
            ) from exc
    for role, name in schema.OPTIONAL_STYLE_NAMES.items():  # absent: wordxml.list_style
        try:
            ids[role] = _style_id(document, name)
        except KeyError:
            pass
    return ids


def _style_id(document, name: str) -> str:  # type: ignore[no-untyped-def]
    """A style's id, found the way Word finds it: by name whatever its case (Word writes
    'heading 1', LibreOffice 'Heading 1'), else by style id ('Heading1'). KeyError when
    the template has no such style."""
    from docx.oxml.ns import qn

    try:
        return str(document.styles[name].style_id)
    except KeyError:
        pass
    wanted = name.casefold()
    bare = "".join(name.split()).casefold()
    by_id = None
    for style in document.styles.element.findall(qn("w:style")):
        element = style.find(qn("w:name"))
        style_id = style.get(qn("w:styleId")) or ""
        if element is not None and (element.get(qn("w:val")) or "").casefold() == wanted:
            return style_id
        if by_id is None and style_id.casefold() == bare:
            by_id = style_id
    if by_id is None:
        raise KeyError(name)
    return by_id


def _context(register: Register, peildatum: date | None) -> dict[str, str]:
    from toolkit.core.dates import format_dutch

    return {
        "gemeente": municipality(register.setting_text("gemeente")),
        "editie": register.setting_text("editie"),
        "peildatum": format_dutch(peildatum) if peildatum else "",
    }


def _marker(name: str, nonce: str = "") -> str:
    """What a block tag renders to until its body replaces it; the nonce (new for every
    rendering) keeps a value typed in the register from posing as one."""
    return f"TOOLKITBLOK{nonce}{name}TOOLKITBLOK"


#: What a template may use besides plain tags: simple conditions and these filters.
#: Output then grows only with the template and the register, never with an expression.
SAFE_FILTERS = frozenset({"upper", "lower", "title", "capitalize", "trim", "e", "escape", "default", "d"})
SAFE_TESTS = frozenset({"defined", "undefined", "none", "string", "number", "eq", "ne"})


def _template_nodes_allowed():  # type: ignore[no-untyped-def]
    from jinja2 import nodes

    return (
        nodes.Template,
        nodes.Output,
        nodes.TemplateData,
        nodes.Name,
        nodes.Const,
        nodes.If,
        nodes.CondExpr,
        nodes.Not,
        nodes.And,
        nodes.Or,
        nodes.Compare,
        nodes.Operand,
        nodes.Concat,
        nodes.Filter,
        nodes.Test,
    )


def _describe(node) -> str:  # type: ignore[no-untyped-def]
    from jinja2 import nodes

    if isinstance(node, nodes.For):
        return "een lus ({% for %})"
    if isinstance(node, nodes.Call):
        return "een functieaanroep (zoals range(…))"
    if isinstance(node, nodes.BinExpr | nodes.UnaryExpr):
        return f"een berekening ('{getattr(node, 'operator', '')}')"
    if isinstance(node, nodes.Getattr | nodes.Getitem):
        return "het opvragen van een onderdeel (zoals tag.iets of tag[0])"
    if isinstance(node, nodes.Filter):
        return f"het filter |{node.name}"
    if isinstance(node, nodes.Test):
        return f"de test 'is {node.name}'"
    if isinstance(
        node,
        nodes.Assign
        | nodes.AssignBlock
        | nodes.Macro
        | nodes.Block
        | nodes.Include
        | nodes.Import
        | nodes.FromImport
        | nodes.Extends,
    ):
        return "een Jinja-opdracht (zoals {% set %}, {% macro %} of {% include %})"
    return f"'{type(node).__name__}'"


def _check_block_names(tree, blocks: set[str]) -> None:  # type: ignore[no-untyped-def]
    """A block tag stands alone ({{ pilotkaarten }}), or as an if's condition: a filter or
    an expression around it would change the marker the body replaces."""
    from jinja2 import nodes

    fine = {
        id(node)
        for output in tree.find_all(nodes.Output)
        for node in output.nodes
        if isinstance(node, nodes.Name)
    }
    for condition in tree.find_all((nodes.If, nodes.CondExpr)):
        fine.add(id(condition.test))
        fine.update(id(node) for node in condition.test.find_all(nodes.Name))
    for name in tree.find_all(nodes.Name):
        if name.name in blocks and id(name) not in fine:
            raise TemplateError(
                f"De bloktag {{{{ {name.name} }}}} staat in het Word-sjabloon in een "
                f"uitdrukking of met een filter. Een bloktag staat alleen, als "
                f"{{{{ {name.name} }}}}, in een eigen alinea."
            )


def _sandbox(blocks: set[str] = frozenset()):  # type: ignore[no-untyped-def, assignment]
    """The Jinja environment docxtpl fills the tags in: sandboxed, autoescaping, and
    refusing (TemplateError, in Dutch) every construct that is not a tag, a simple
    {% if %} or a safe filter, in every part docxtpl renders (body, headers, footers,
    footnotes, properties). So no template can loop, repeat a string or call anything:
    the time and memory of filling it are bounded by its size."""
    from jinja2 import nodes
    from jinja2.sandbox import SandboxedEnvironment

    allowed = _template_nodes_allowed()

    class TemplateSandbox(SandboxedEnvironment):
        def _parse(self, source, name, filename):  # type: ignore[no-untyped-def]
            tree = super()._parse(source, name, filename)
            for node in tree.find_all(nodes.Node):
                if (
                    not isinstance(node, allowed)
                    or (isinstance(node, nodes.Filter) and node.name not in SAFE_FILTERS)
                    or (isinstance(node, nodes.Test) and node.name not in SAFE_TESTS)
                ):
                    raise TemplateError(
                        f"Het Word-sjabloon gebruikt {_describe(node)}. In een sjabloon "
                        f"staan alleen tags als {{{{ gemeente }}}}, eventueel met een "
                        f"eenvoudige {{% if %}} of een filter als |upper (zie 'toolkit "
                        f"tags'); lussen, berekeningen en functies niet. Haal "
                        f"het weg in Word."
                    )
            _check_block_names(tree, {t.name for t in all_tags() if t.block} | set(blocks))
            return tree

    return TemplateSandbox(autoescape=True)


def render_template(
    template: Path,
    allowed: set[str],
    context: dict[str, str],
    blocks: dict[str, Callable[[dict], Iterable[str]]],
    properties: dict[str, str],
    stamp: datetime,
    contents: dict[str, Callable[[], Iterable]] | None = None,  # type: ignore[type-arg]
    sample: Callable[[Sample, set[str]], tuple[Callable[[dict], Iterable[str]], Callable[[], Iterable]]]
    | None = None,  # type: ignore[type-arg]
    own_type: bool = False,
    legacy: tuple[str, Path] | None = None,
) -> bytes:
    """Fill one template; blocks get the template's style ids and give body XML in pieces.

    The pieces are compressed into the .docx as they come, so a 10,000-pilot body is
    never held as one string. contents gives per block the headings it writes, for the
    table of contents; each block also learns the text width of its section
    (publishing.BlockContext). legacy: (block tag, template): a template without a sample
    that has this block tag (made before the type was a declaration) gets the sample of
    that template there.
    """
    import secrets

    from docxtpl import DocxTemplate

    from toolkit.core.filecheck import check_template_file
    from toolkit.layouts.publishing import prepare

    if not template.exists():
        raise TemplateError(f"Het Word-sjabloon '{template}' ontbreekt.")
    check_template_file(template)
    source, found = cut_sample_from(template)
    if found is None and own_type:
        raise TemplateError(
            f"Het Word-sjabloon '{template.name}' heeft geen voorbeeldkaart. Zet in het "
            f"sjabloon een alinea {{{{ kaarten }}}}, daaronder de kaart met de velden als tags "
            f"(zoals {{{{ naam }}}}) en daaronder een alinea {{{{ einde }}}} (zie 'toolkit "
            f"tags', 'Een eigen kaart'), of maak een beginsjabloon met 'toolkit "
            f"sjablonen MAP'."
        )
    if found is not None:
        if sample is None:
            raise TemplateError(
                f"Het Word-sjabloon '{template.name}' heeft een voorbeeldkaart "
                f"({{{{ {found.kind} }}}} … {{{{ einde }}}}), maar dit bijlagetype maakt geen "
                f"kaarten. Haal de voorbeeldkaart weg."
            )
        allowed = allowed | {"kaarten"}
    try:
        tpl = DocxTemplate(source)
        env = _sandbox(set(blocks) | ({legacy[0]} if legacy else set()))
        used = tpl.get_undeclared_template_variables(env)
    except TemplateError:
        raise
    except Exception as exc:
        raise TemplateError(
            f"Het Word-sjabloon '{template.name}' kan niet worden gelezen ({exc}). Controleer "
            f"de tags: elke tag staat tussen {{{{ en }}}}."
        ) from exc
    sample_block = "kaarten"
    if found is None and legacy is not None and legacy[0] in used and sample is not None:
        sample_block = legacy[0]
        found = cut_sample_from(legacy[1])[1]
        if found is None:
            raise TemplateError(
                f"Het Word-sjabloon '{template.name}' heeft de bloktag {{{{ {legacy[0]} }}}} "
                f"van een ouder sjabloon, maar het sjabloon '{legacy[1].name}' dat daar de "
                f"voorbeeldkaart voor geeft, heeft er geen. Neem de voorbeeldkaart over uit "
                f"het meegeleverde sjabloon (toolkit sjablonen MAP)."
            )
    if found is not None and sample is not None:
        make, list_contents = sample(found, used)
        blocks = {**blocks, sample_block: make}
        contents = {**(contents or {}), sample_block: list_contents}
    unknown = sorted(used - allowed)
    misplaced = sorted(set(unknown) & {"kaarten", "rijen", "einde"})
    if misplaced:
        raise TemplateError(
            f"Het Word-sjabloon '{template.name}' heeft {{{{ {misplaced[0]} }}}} op een plek waar "
            f"het niet werkt (in de kop- of voettekst, of zonder begin of einde). Een "
            f"voorbeeldkaart staat in de hoofdtekst: een alinea {{{{ kaarten }}}} (of "
            f"{{{{ rijen }}}} vóór een tabel), de kaart, en een alinea {{{{ einde }}}}."
        )
    if unknown:
        names = ", ".join(f"'{{{{ {u} }}}}'" for u in unknown)
        raise TemplateError(
            f"Het Word-sjabloon '{template.name}' gebruikt onbekende tags: {names}. "
            f"Toegestaan zijn: {', '.join(sorted(allowed))} (zie 'toolkit tags')."
        )
    nonce = secrets.token_hex(8)
    blocks = {name: make for name, make in blocks.items() if name in used}
    markers = {name: _marker(name, nonce) for name in blocks}
    values = {**context, **markers}
    try:
        tpl.render(values, env, autoescape=True)
    except TemplateError:
        raise
    except Exception as exc:  # the sandbox's SecurityError, an undefined filter, ...
        raise TemplateError(
            f"Het Word-sjabloon '{template.name}' kan niet worden gevuld: een tag doet iets "
            f"wat niet mag of niet kan ({type(exc).__name__}). Gebruik alleen de tags die "
            f"'toolkit tags' noemt, zonder berekeningen of functies."
        ) from exc
    document = tpl.docx
    styles = _styles(document, lenient=own_type)
    toc: dict[str, Iterable[str]] = {}  # the entries of the contents, written as they come
    places = prepare(document, styles, markers, contents, toc, _marker("inhoud", nonce))
    generated = {markers[name]: make(places[name]) for name, make in blocks.items()}
    _publishing_properties(document, properties, stamp)
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    _check_block_places(template.name, data, markers)
    return _deterministic_zip(
        data,
        {"word/document.xml": lambda xml, out: _fill_blocks(xml, {**generated, **toc}, out)},
    )


def _check_block_places(template: str, data: bytes, markers: dict[str, str]) -> None:
    """A block tag stands once, in the body, alone in its paragraph; else say which."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.namelist():
            if not member.endswith(".xml"):
                continue
            xml = archive.read(member)
            for name, marker in markers.items():
                count = xml.count(marker.encode())
                tag = f"{{{{ {name} }}}}"
                if count and member != "word/document.xml":
                    raise TemplateError(
                        f"De bloktag {tag} staat in de kop- of voettekst (of een ander "
                        f"onderdeel dan de hoofdtekst) van het Word-sjabloon '{template}'. "
                        f"Een bloktag hoort in een eigen alinea in de hoofdtekst; zet hem daar."
                    )
                if count > 1:
                    raise TemplateError(
                        f"De bloktag {tag} staat {count} keer in het Word-sjabloon "
                        f"'{template}'. Een bloktag mag één keer voorkomen; haal de andere weg."
                    )
                if count:
                    start, end = _paragraph_around(xml, xml.find(marker.encode()))
                    text = (
                        "".join(t.decode("utf-8", "replace") for t in _TEXT.findall(xml[start:end]))
                        .replace(marker, "")
                        .strip()
                    )
                    if text:
                        raise TemplateError(
                            f"Naast de bloktag {tag} staat andere tekst in dezelfde alinea "
                            f"van het Word-sjabloon '{template}' ('{text[:60]}'). Die tekst "
                            f"zou verdwijnen: zet de bloktag in een eigen alinea (Enter "
                            f"ervoor en erna)."
                        )


_TEXT = re.compile(rb"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")


def _paragraph_around(xml: bytes, at: int) -> tuple[int, int]:
    start = max(xml.rfind(b"<w:p>", 0, at), xml.rfind(b"<w:p ", 0, at))
    end = xml.index(b"</w:p>", at) + len(b"</w:p>")
    return start, end


def _fill_blocks(xml: bytes, generated: dict[str, Iterable[str]], out: IO[bytes]) -> None:
    """Write document.xml with each block's body XML where its marker's paragraph stands.

    Done on the serialised document.xml: inserting thousands of elements into the
    parsed tree one by one is quadratic in lxml, streaming text around the tags is
    linear and needs no copy of the body.
    """
    places = []
    for marker, body in generated.items():
        at = xml.find(marker.encode())
        if at >= 0:
            start, end = _paragraph_around(xml, at)
            places.append((start, end, body))
    done = 0
    for start, end, body in sorted(places, key=lambda place: place[0]):
        out.write(xml[done:start])
        if isinstance(body, str):
            body = (body,)
        batch: list[str] = []
        size = 0
        for piece in body:
            batch.append(piece)
            size += len(piece)
            if size > 1 << 20:  # a megabyte at a time: few, large writes to the compressor
                out.write("".join(batch).encode("utf-8"))
                batch, size = [], 0
        out.write("".join(batch).encode("utf-8"))
        done = end
    out.write(xml[done:])


def _publishing_properties(document, properties: dict[str, str], stamp: datetime) -> None:  # type: ignore[no-untyped-def]
    """Title, subject and Dutch language for accessible publishing; fixed dates."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    from toolkit.layouts.docx_templates import app_properties
    from toolkit.layouts.publishing import clean_settings, visible_title

    core = document.core_properties
    core.title = visible_title(document) or properties["title"]  # the title a reader sees
    core.comments = core.keywords = ""
    core.subject = properties["subject"]
    core.author = properties["author"]
    core.last_modified_by = properties["author"]
    core.language = "nl-NL"
    core.created = stamp
    core.modified = stamp
    core.revision = 1
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = parse_xml(f"<w:docDefaults {nsdecls('w')}/>")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = parse_xml(f"<w:rPrDefault {nsdecls('w')}><w:rPr/></w:rPrDefault>")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    rpr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="nl-NL" w:eastAsia="nl-NL" w:bidi="ar-SA"/>'))
    clean_settings(document.settings.element)  # the contents are filled: no update prompt
    app_properties(document)


def _deterministic_zip(
    data: bytes,
    writers: dict[str, Callable[[bytes, IO[bytes]], None]] | None = None,
) -> bytes:
    """Same entries, fixed timestamps: the same input gives byte-identical files.

    A writer gets an entry's original content and writes the new content to a stream.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    writers = writers or {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            # the level of a streamed entry travels on its ZipInfo (renamed in Python 3.13)
            setattr(
                info,
                "compress_level" if hasattr(info, "compress_level") else "_compresslevel",
                COMPRESS_LEVEL,
            )
            content = source.read(item.filename)
            with target.open(info, "w") as stream:
                if item.filename in writers:
                    writers[item.filename](content, stream)
                else:
                    stream.write(content)
    return out.getvalue()


def _setting_or_default(register: Register) -> Callable[[str], str]:
    def value(key: str) -> str:
        text = register.setting_text(key).strip()
        if text:
            return text
        try:
            return register.types.setting(key).default
        except KeyError:
            return ""

    return value


def bundled_template(annex: AnnexType) -> Path:
    """The template a type uses without a chosen folder: bundled, or beside its declaration."""
    if not annex.bundled:
        return annex.source.parent / annex.template
    return BUNDLED_TEMPLATES.get(annex.template) or bundled("templates", annex.template)


def bundled_templates() -> dict[str, Path]:
    """The bundled types' templates by kind, as `toolkit sjablonen` copies them out."""
    return {t.kind: bundled_template(t) for t in BUILTIN.types if t.bundled}


def cut_sample_from(template: Path) -> tuple[Path | io.BytesIO, Sample | None]:
    """The template with its sample card replaced by the {{ kaarten }} block tag, and the
    compiled sample; the template itself when it has none."""
    with zipfile.ZipFile(template) as archive:
        xml = archive.read("word/document.xml")
        if b"einde" not in xml:  # no sample: nothing to cut (the common case, fast)
            return template, None
        from toolkit.layouts.sample import cut_sample

        cut, found = cut_sample(xml, "<w:p><w:r><w:t>{{ kaarten }}</w:t></w:r></w:p>", template.name)
        if found is None:
            return template, None
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in archive.infolist():
                target.writestr(
                    item, cut if item.filename == "word/document.xml" else archive.read(item.filename)
                )
    out.seek(0)
    return out, found


def _card_bookmark(index: int) -> tuple[int, str]:
    return 4_000_000 + index, f"_TocKaart{index + 1}"


@dataclass(frozen=True)
class RecordNotes:
    """What marks a record in its annex: new since the previous edition, or shown for
    the last time (the declaration's [indeling] nieuw and voor_het_laatst)."""

    new_rows: frozenset[int] = frozenset()
    last_time: Callable[[Record], bool] = lambda _: False


def record_values(
    annex: AnnexType, keys: Iterable[str] | None = None
) -> Callable[[Record], dict[str, object]]:
    """A record's published values as every edition prints them (Word and web): a text
    column as typed, tags left out (only rich-text columns may carry HTML or bullets),
    and an empty column with 'als_leeg' taking the other column's value. keys: only
    these fields (and those they fall back on) are worked out per record, as a sample
    card uses a few of the columns."""
    from toolkit.core.richtext import plain_line

    columns = [c for c in annex.sheet.columns if c.published]
    fallbacks = [(c.key, c.fallback) for c in columns if c.fallback]
    if keys is not None:
        wanted = set(keys)
        while more := {other for key, other in fallbacks if key in wanted} - wanted:
            wanted |= more
        columns = [c for c in columns if c.key in wanted]
        fallbacks = [(key, other) for key, other in fallbacks if key in wanted]
    chosen = [(c.key, c.kind.traits.rich) for c in columns]

    def values(record: Record) -> dict[str, object]:
        get, text = record.values.get, record.text
        out = {key: get(key) if rich else plain_line(text(key)) for key, rich in chosen}
        for key, other in fallbacks:  # 'als_leeg': an empty heading takes the name
            if not str(out.get(key) or "").strip():
                out[key] = out.get(other) if other in out else plain_line(text(other))
        return out

    return values


def sample_blocks(
    annex: AnnexType,
    records: list[Record],
    template: str,
    register: Register | None = None,
    notes: RecordNotes = RecordNotes(),
    arranged: list[Arranged] | None = None,
) -> Callable[
    [Sample, set[str]],
    tuple[
        Callable[[dict], Iterable[str]],  # type: ignore[type-arg]
        Callable[[], list[Heading]],
    ],
]:
    """How the sample card of a template becomes the {{ kaarten }} block: checked against
    the type's published columns, then filled once per record in the declared arrangement
    (word.Arranged: groups, order, the elements' blocks). arranged receives the
    arrangement for the elements the template places by their tags."""
    from toolkit.core.richtext import plain_line
    from toolkit.layouts.word import Arranged

    columns = [c for c in annex.sheet.columns if c.published]
    plain_keys = frozenset(c.key for c in columns if not c.kind.traits.rich)
    layout = annex.arrangement

    def use(
        found: Sample, used: set[str]
    ) -> tuple[
        Callable[[dict], Iterable[str]],  # type: ignore[type-arg]
        Callable[[], list[Heading]],
    ]:
        internal = [f for f in found.fields if f in {c.key for c in annex.sheet.columns if not c.published}]
        if internal:
            label = annex.sheet.column(internal[0]).label
            raise TemplateError(
                f"Het Word-sjabloon '{template}' gebruikt in de voorbeeldkaart het veld "
                f"{{{{ {internal[0]} }}}} ('{label}'), maar die kolom is intern en wordt nooit "
                f"gepubliceerd. Haal het veld uit de kaart, of maak de kolom publiek "
                f"(gepubliceerd = true in de verklaring)."
            )
        found.check({c.key: c.label for c in columns}, template)
        lists = register.lists if register is not None else {}
        roles = register.roles if register is not None else schema.DEFAULT_ROLES
        setting = _setting_or_default(register) if register is not None else (lambda _: "")
        plan = Arranged(
            layout,
            annex.sheet,
            records,
            lists,
            setting,
            lambda vocabulary, value: roles.colour(value, vocabulary),
            annex.plural,
            frozenset(used) & frozenset(arrangement_tags()),
        )
        if arranged is not None:
            arranged.append(plan)
        # the cut marks of long rows after the arrangement's bookmarks (5_000_001, ...)
        groups = sum(1 for e in plan.events if e.bookmark is not None)
        number_cuts_from(CUT_IDS_FROM + groups + (1 if groups else 0))
        values = record_values(annex, found.fields)

        noted: dict[tuple[str, bool, bool], str] = {}

        def note(record: Record, styles: dict) -> str:  # type: ignore[type-arg]
            last = bool(layout.last_note) and notes.last_time(record)
            new = bool(layout.new_note) and record.row in notes.new_rows
            if not (last or new):
                return ""
            found = noted.get((styles["note"], last, new))
            if found is None:
                texts = [t for t, shown in ((layout.last_note, last), (layout.new_note, new)) if shown]
                found = noted[(styles["note"], last, new)] = "".join(
                    wordxml.text_paragraph(t, styles["note"], keep_next=True) for t in texts
                )
            return found

        # a list value with a declared colour (a status) is shown bold on that colour
        coloured = {
            c.key: c.vocabulary or ""
            for c in columns
            if c.key in found.fields
            and any(r.colour for v in annex.vocabularies if v.key == c.vocabulary for r in v.roles)
        }

        colours: dict[tuple[str, str], str] = {}  # a register has a few statuses

        def colour(text: str, vocabulary: str) -> str:
            found = colours.get((text, vocabulary))
            if found is None:
                found = roles.colour(text, vocabulary)
                if len(colours) < 1024:
                    colours[(text, vocabulary)] = found
            return found

        def fills(record: Record) -> dict[str, str]:
            return {
                key: colour(text, vocabulary)
                for key, vocabulary in coloured.items()
                if (text := record.text(key).strip())
            }

        new_page = (
            layout.new_page
            if isinstance(layout.new_page, bool)
            else schema.normalise(setting(layout.new_page)) in schema.YES
        )

        def records_xml(
            styles: dict,
            group: list[Record],
            first: int,  # type: ignore[type-arg]
            heading: str,
        ) -> Iterator[str]:
            sample = found.for_width(getattr(styles, "text_width", 0))
            height = getattr(styles, "text_height", 0)
            render, heading_field = sample.render, sample.heading_field
            # a row longer than a third of a page may split (its header row repeats): kept
            # whole, it would leave the page before it half empty; a long card row is cut
            # in pieces that stay whole, the next labelled '(vervolg)'
            rows = sample.kind == "rijen"
            yield sample.table_start(heading)
            for index, record in enumerate(group, first):
                xml = render(
                    plan.values(record, values(record)),
                    styles,
                    _card_bookmark(index) if heading_field else None,
                    note(record, styles),
                    layout.omit_empty,
                    fills(record) if coloured else None,
                    new_page,
                    plain_keys,
                    height // WHOLE_ROW_PART if rows else height,
                    not rows,
                )
                yield xml
            yield sample.table_end()

        def body(styles: dict) -> Iterable[str]:  # type: ignore[type-arg]
            return plan.body(styles, lambda group, first, heading: records_xml(styles, group, first, heading))

        def contents() -> list[Heading]:
            field = found.heading_field
            if not field:
                return plan.contents(lambda i, r: None)
            heading = record_values(annex, (field,))
            return plan.contents(
                lambda i, record: Heading(
                    found.heading_level, plain_line(str(heading(record).get(field) or "")), _card_bookmark(i)
                )
            )

        return body, contents

    return use


_COUNTED = {1: "ene", 2: "twee", 3: "drie", 4: "vier"}


def tags_markdown(types: AnnexTypes = BUILTIN) -> str:
    """docs/sjablonen.md, generated from TAGS so the docs name every tag there is; with
    a folder's own types (types), their tags too (`toolkit tags --sjablonen`, the web
    application's reference page)."""
    from toolkit.core.filecheck import WORD_LIMITS

    bundled_types = [t for t in BUILTIN.types if t.bundled]
    described = " en ".join(
        f"`templates/{t.template}` (de {t.name}, verklaard in "
        f"`toolkit/declarations/bijlagetypen/{t.source.name}`)"
        for t in bundled_types
    )
    files = " en ".join(f"`{t.template}`" for t in bundled_types)
    blocks = " of ".join(f"`{{{{ {t.legacy_block} }}}}`" for t in bundled_types if t.legacy_block)
    new_page = [t for t in bundled_types if isinstance(t.arrangement.new_page, str)]
    new_page_text = "".join(
        f" Elke kaart van de {t.name} op een nieuwe pagina: zet op het tabblad Instellingen "
        f"'{next(s.label for s in t.settings if s.key == t.arrangement.new_page)}' op Ja."
        for t in new_page
    )
    lines = [
        "# Word-sjablonen",
        "",
        "Elk bijlagetype is een verklaring (`*.toml`) en een Word-sjabloon, ook de "
        f"{_COUNTED.get(len(bundled_types), str(len(bundled_types)))} die de toolkit meebrengt: "
        f"{described}. Open een sjabloon in Word en pas lettertype, kleuren, logo, kop- en "
        "voettekst en de voorbeeldkaart aan; de toolkit gebruikt wat u daar instelt. Deze "
        "pagina wordt gemaakt uit `toolkit/layouts/render.py` (`uv run python -m toolkit.layouts.render`).",
        "",
        "## Eigen sjablonen",
        "",
        f"`toolkit sjablonen MAP` zet {files} in MAP om ze aan te "
        "passen (een bestaand sjabloon blijft staan, tenzij `--overschrijven`). Daarna "
        "gebruikt de bouw ze via de instelling *Map met Word-sjablonen* op het tabblad "
        "Instellingen (ten opzichte van de map van het register, of een volledig pad) of "
        "via `toolkit build --sjablonen MAP`, dat vóór de instelling gaat. Zonder beide "
        "gelden de meegeleverde sjablonen. Een gekozen map moet elk sjabloon bevatten dat "
        "de bouw gebruikt (dat van een bijlagetype alleen als het register zijn tabblad heeft); anders "
        "stopt de bouw met een melding die het ontbrekende bestand noemt. Eigen sjablonen "
        "krijgen dezelfde controles als hieronder; `manifest.json` noemt per sjabloon het "
        "pad (vanuit de map van het register, zoals de instelling het zegt) en de sha256.",
        "",
        "Een sjabloon van vóór ronde 3 heeft geen voorbeeldkaart maar de bloktag "
        f"{blocks} (de `bloktag` in de verklaring): daar zet de "
        "toolkit de voorbeeldkaart van het meegeleverde sjabloon. Zo blijven oude sjablonen "
        "werken; wie de kaart wil aanpassen, neemt de voorbeeldkaart over uit het nieuwe "
        "meegeleverde sjabloon.",
        "",
        "## Tags",
        "",
        "Een tag staat tussen `{{` en `}}`, bijvoorbeeld `{{ gemeente }}`. Een bloktag moet "
        "alleen in een eigen alinea staan; de toolkit zet er de gegenereerde alinea's en "
        "tabellen. Een sjabloon met een onbekende tag wordt geweigerd met de naam van die tag.",
        "",
        "Elk sjabloon mag deze tags gebruiken ("
        + said([f"`{name}`" for name in arrangement_tags()], quote=False)
        + " alleen als de verklaring ze in `[indeling]` heeft):",
        "",
        "| tag | soort | wat |",
        "|---|---|---|",
    ]

    for tag in all_tags():
        kind = "blok" if tag.block else "tekst"
        lines.append(f"| `{{{{ {tag.name} }}}}` | {kind} | {tag.help} |")
    lines += [
        "",
        "Daarbij krijgt elk bijlagetype een tag per instelling uit zijn verklaring "
        "(een instelling van soort 'rijke tekst' als bloktag). "
        + (
            "De meegeleverde en de eigen bijlagetypen uit de map met sjablonen:"
            if any(not t.bundled for t in types.types)
            else "De meegeleverde:"
        ),
        "",
    ]
    for annex in types.types:
        own = "" if annex.bundled else ", eigen bijlagetype"
        lines += [f"**{annex.template}** ({annex.name}{own}):", "", "| tag | soort | wat |", "|---|---|---|"]
        for tag in type_tags(annex):
            kind = "blok" if tag.block else "tekst"
            lines.append(f"| `{{{{ {tag.name} }}}}` | {kind} | {tag.help} |")
        lines.append("")
    lines += [
        "## Een eigen kaart",
        "",
        "De indeling van een kaart staat in het sjabloon zelf, als voorbeeldkaart. Zet in een "
        "eigen alinea `{{ kaarten }}`, daaronder de kaart zoals één rij eruit moet zien, en "
        "daaronder in een eigen alinea `{{ einde }}`. In de kaart staat per veld de sleutel "
        "van de kolom als tag, bijvoorbeeld een kop (stijl Heading 1) `{{ naam }}` en een "
        "tabel met links het label en rechts `{{ wat }}`. De toolkit herhaalt de kaart per "
        "rij van het tabblad, met de opmaak en stijlen van de voorbeeldkaart: velden "
        "weglaten, hernoemen of verplaatsen doet u in Word. Een tabel met één rij per record: "
        "zet de tabel tussen `{{ rijen }}` en `{{ einde }}`; de kopregel(s) blijven staan en "
        "de rij met tags wordt per record herhaald (per groep een eigen tabel). Groepen, "
        "volgorde, overzichten en het weglaten van lege velden staan in de verklaring "
        "(`[indeling]`, [De indeling](bijlagetypen.md#de-indeling-groeperen-sorteren-overzichten)).",
        "",
        "- Een tag alleen in een alinea wordt de hele tekst van het veld, met alinea's en "
        "opsommingen; een tag tussen andere tekst (`Status: {{ status }}`) blijft op die regel.",
        "- Een tag die Word over meer stukken tekst heeft verdeeld (bijvoorbeeld half vet) "
        "wordt gewoon herkend; de opmaak van het begin van de tag geldt.",
        "- Een onbekend veld wordt geweigerd met de naam van dat veld en de lijst met geldige "
        "velden (de gepubliceerde kolommen van het bijlagetype).",
        "- De eerste kop in de kaart die alleen een tag bevat, komt in de inhoudsopgave (op "
        "het niveau van zijn kopstijl).",
        "- Een veld in de titel van een tabel (Tabeleigenschappen > Alternatieve tekst, "
        "bijvoorbeeld `Data: {{ naam }}`) wordt per kaart ingevuld.",
        "- Een waarde met een kleur in de verklaring (een status) staat vet op die kleur.",
        "- Met `leeg_weglaten = true` vallen een alinea of tabelrij met alleen lege velden weg, "
        "een kop zonder velden direct erboven mee, en een tabel waarvan alle rijen wegvallen.",
        "- Tabellen in de kaart worden zo breed als de tekst van de sectie (eigen marges, "
        "liggend papier); een rij korter dan een pagina wordt niet gesplitst; een rij van een "
        "kaart die langer is dan een derde pagina komt in stukken, het label van elk volgend "
        "stuk met '(vervolg)'.",
        "- `toolkit import` leest een gebouwde bijlage terug met dezelfde voorbeeldkaart "
        "(`--sjablonen MAP` voor een eigen bijlagetype).",
        "",
        "## Stijlen",
        "",
        "De gegenereerde delen gebruiken deze stijlen uit het sjabloon (pas ze in Word aan via "
        "Start > Stijlen; verwijder ze niet):",
        "",
        "| stijl | gebruikt voor |",
        "|---|---|",
    ]
    uses = {
        "heading1": "de koppen van de eerste groep (de statusbijlage per opgave) en de wijzigingen",
        "heading2": "de koppen van de tweede groep (elk doel) en 'Overzicht statussen'",
        "heading3": "de koppen van een derde groep",
        "bullet": "opsommingen (•, -, <ul>)",
        "number": "genummerde regels (1), <ol>); het nummer staat in de tekst",
        "table": "alle tabellen (kopregel herhaalt op elke pagina; breedte volgt de tekstbreedte)",
        "label": "de linkerkolom van de pilotkaart; de tussenkopjes van de wijzigingen",
        "note": "de vermeldingen 'Nieuw in deze editie' en 'voor het laatst'",
    }
    for role, name in schema.STYLE_NAMES.items():
        lines.append(f"| {name} | {uses[role]} |")
    deeper = {
        "bullet2": "opsommingen op het tweede niveau (o, § of een geneste <ul>)",
        "number2": "genummerde regels op het tweede niveau (a. onder 1.)",
    }
    for role, name in schema.OPTIONAL_STYLE_NAMES.items():
        lines.append(
            f"| {name} | {deeper[role]}; ontbreekt de stijl, dan de stijl van het "
            f"eerste niveau, verder ingesprongen |"
        )
    lines += [
        "",
        "Verder komt het uiterlijk van de gemaakte delen uit: de stijl Title (ook de "
        "lijn eronder), de kopregelopmaak van de tabelstijl Table Grid (vulling en vet van "
        "de kopregel van elke lijsttabel) en de tekenstijl Statusbalk (de kleur is de rand "
        "van de balken in het statusoverzicht; zonder die stijl de kleur van Heading 1).",
        "",
        "Statuskleuren (altijd naast de statustekst, nooit alleen; zwarte tekst op "
        "elke kleur heeft een contrast van minstens 4,5:1):",
        "",
    ]
    for coloured in (r for voc in BUILTIN.vocabularies for r in voc.roles if r.colour):
        lines.append(f"- {coloured.label}: #{coloured.colour}")
    lines += [
        "",
        "## Wat in een sjabloon mag",
        "",
        "De toolkit controleert een sjabloon voordat hij het vult, en weigert het met een "
        "melding die zegt wat er mis is:",
        "",
        "- **Alleen tags.** Naast `{{ tag }}` mogen een eenvoudige voorwaarde "
        "(`{% if gemeente %}…{% endif %}`) en de filters "
        + ", ".join(f"`|{name}`" for name in sorted(SAFE_FILTERS))
        + ". Lussen "
        "(`{% for %}`), berekeningen (`*`, `+`, `**`), functies (`range(…)`), "
        "`{% set %}`, `{% include %}` en het opvragen van onderdelen (`tag.iets`) worden "
        "geweigerd, in de hoofdtekst, kop- en voetteksten, voetnoten en eigenschappen. Zo "
        "kan een sjabloon de bouw niet laten vastlopen of het geheugen vullen.",
        "- **Een bloktag staat één keer, alleen in een eigen alinea, in de hoofdtekst.** "
        "Twee keer dezelfde bloktag, een bloktag met een filter of in een uitdrukking, een "
        "bloktag in de kop- of voettekst, of tekst naast een bloktag in dezelfde alinea "
        "(die zou verdwijnen) wordt geweigerd met de naam van de tag. Als voorwaarde mag "
        "een bloktag wel: `{% if wijzigingen %}…{% endif %}`.",
        "- **Niets van buiten het bestand.** Een gekoppelde afbeelding, een gekoppeld object, "
        "frame of subdocument of een gekoppelde Word-sjabloon (een relatie met "
        '`TargetMode="External"`), een ingevoegd stuk (altChunk) en velden die iets '
        "ophalen (`INCLUDEPICTURE`, `INCLUDETEXT`, `INCLUDE`, `IMPORT`, `LINK`, `DDE`, "
        "`DDEAUTO`, `DATABASE`, `RD`, of een veld waarvan de naam uit een ander veld komt) "
        "worden geweigerd: Word of LibreOffice (bij `--pdf`) zou ze van het netwerk halen en "
        "de koppeling zou in elke bijlage meegaan. Het soort onderdeel, het precieze "
        "relatietype en de veldcode (over meer stukken tekst samengevoegd, in elk onderdeel) "
        "beslissen, niet de bestandsnaam of de schrijfwijze. Voeg een logo in met Invoegen > "
        "Afbeeldingen > Dit apparaat, zonder 'Koppelen'. Hyperlinks (een link waarop de lezer "
        "klikt, in de tekst, kop- of voettekst) mogen blijven: die haalt niemand op.",
        "- **Geen macro's.** Een sjabloon met een VBA-project, ActiveX-besturingselementen of "
        "de inhoud van een document met macro's (.docm) wordt geweigerd: een bijlage voor de "
        "raad bevat nooit macro's. Sla het sjabloon op als Word-document (*.docx).",
        "- **Een gewoon Word-bestand.** Dezelfde controles als voor elk Word-bestand: geen "
        "DTD of entiteitsdeclaratie in welk onderdeel ook, uitgepakt hoogstens "
        f"{WORD_LIMITS.total // 2**20} MB en geen onderdeel dat verdacht sterk is ingepakt.",
        "",
        "## Pagina en publiceren",
        "",
        "- **Papier en marges** komen uit het sjabloon (standaard A4 staand, marges 2,5 cm). "
        "Zet u in Word een andere marge of liggend papier (Indeling > Marges / Afdrukstand), "
        "dan worden alle tabellen zo breed als de tekst van die sectie. Een kruistabel "
        "waarvan de kolommen staand smaller dan 1,5 cm zouden worden, krijgt een liggende "
        "pagina in een eigen sectie (met de kop- en voettekst van het sjabloon); de kop "
        "erboven gaat mee.",
        "- **Inhoudsopgave**: het sjabloon heeft de kop 'Inhoud' (stijl TOC Heading) en een "
        "inhoudsopgave-veld; de toolkit schrijft de koppen er bij het bouwen in, met links. "
        "Word vraagt bij het openen niets. Waar LibreOffice geïnstalleerd is, zet elke "
        "bouw de paginanummers erin (met `--pdf` ook in de PDF); zonder LibreOffice zet "
        "Word ze erbij met F9. Welke kopniveaus erin komen, "
        "staat in het veld "
        '(`TOC \\o "1-2"`: Heading 1 en 2).',
        "- **Paginagrenzen**: koppen blijven bij wat volgt; een actierij korter dan een derde "
        "pagina wordt niet gesplitst, een langere mag over twee pagina's lopen (geen halflege "
        "pagina's); de kopregel van een actietabel komt op elke pagina terug; elke "
        f"statusbijlage begint op een nieuwe pagina.{new_page_text}",
        "- **Toegankelijk**: elke tabel heeft een titel en een beschrijving (Tabeleigenschappen "
        "> Alternatieve tekst), de kopregel of de labelkolom is als kop gemarkeerd, het "
        "statusoverzicht heeft per status een balk met een tekstalternatief (status, aantal, "
        "percentage), en documenttaal, titel en onderwerp staan in de eigenschappen. "
        "Kies bij eigen kleuren in het sjabloon een contrast van minstens 4,5:1.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(tags_markdown(), end="")
