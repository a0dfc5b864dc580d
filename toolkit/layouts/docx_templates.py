"""Generate the default Word templates (templates/*.docx) from the bundled declarations.

The committed templates are the coordinator's to restyle in Word; this module only
makes the first version, so that the tags, styles, header/footer and table of contents
are right from the start. Run: uv run python -m toolkit.layouts.docx_templates
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from toolkit.declarations.schema import STYLE_NAMES
from toolkit.declarations.sjablonen import CopyResult
from toolkit.layouts.publishing import BAR_STYLE, HEADER_FILL

if TYPE_CHECKING:
    from toolkit.declarations.annextypes import AnnexType

ROOT = Path(__file__).resolve().parents[2]
ACCENT = RGBColor(0x1F, 0x4E, 0x79)  # 8.9:1 on white (WCAG AA asks 4.5:1)
#: A4 portrait with the 2.5 cm margins of a council document
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
MARGIN = Cm(2.5)
#: the heading above the table of contents (a paragraph of its own, not in the contents)
CONTENTS_HEADING = "Inhoud"
#: parts of python-docx's default template that a published document should not carry
_STALE_RELATIONS = ("stylesWithEffects", "customXml", "thumbnail")


def _field(paragraph, instruction: str, placeholder: str) -> None:  # type: ignore[no-untyped-def]
    """A Word field (PAGE, TOC) that Word and LibreOffice fill in."""
    p = paragraph._p
    # no w:dirty: Word would ask to update the fields on every opening
    p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>'))
    p.append(
        parse_xml(
            f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        )
    )
    p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>'))
    p.append(parse_xml(f"<w:r {nsdecls('w')}><w:t>{placeholder}</w:t></w:r>"))
    p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'))


def _clean_package(doc) -> None:  # type: ignore[no-untyped-def]
    """Drop the default template's stale parts; Dutch language and number settings."""
    for rels in (doc.part.rels, doc.part.package.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in _STALE_RELATIONS:
                rels.pop(rid)
    settings = doc.settings.element
    for name in ("updateFields", "attachedTemplate"):
        for old in settings.findall(qn(f"w:{name}")):
            settings.remove(old)
    for compat in settings.iter(qn("w:compatSetting")):  # Word 2013 and later: no
        if compat.get(qn("w:name")) == "compatibilityMode":  # "compatibility mode"
            compat.set(qn("w:val"), "15")
    zoom = settings.find(qn("w:zoom"))
    if zoom is not None:
        zoom.set(qn("w:percent"), "100")
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), "nl-NL")
    for name, value in (("decimalSymbol", ","), ("listSeparator", ";")):
        element = settings.find(qn(f"w:{name}"))
        if element is not None:
            element.set(qn("w:val"), value)
    core = doc.core_properties
    core.author = core.last_modified_by = core.comments = core.keywords = ""


def app_properties(doc) -> None:  # type: ignore[no-untyped-def]
    """docProps/app.xml naming the toolkit, not the default template's "Microsoft Macintosh Word"."""
    from toolkit import __version__

    for part in doc.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                'extended-properties"><Template>Normal.dotm</Template>'
                f"<Application>Gemeente-toolkit {__version__}</Application>"
                "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
                "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
                "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
            ).encode()


def _a4(doc) -> None:  # type: ignore[no-untyped-def]
    for section in doc.sections:
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.left_margin = section.right_margin = MARGIN
        section.top_margin = section.bottom_margin = MARGIN
        section.header_distance = section.footer_distance = Cm(1.25)


def _contents(doc, levels: str) -> None:  # type: ignore[no-untyped-def]
    """The heading "Inhoud" and a TOC field; the build writes its entries in."""
    heading = doc.add_paragraph(CONTENTS_HEADING, style="TOC Heading")
    heading.paragraph_format.keep_with_next = True
    toc = doc.add_paragraph()
    _field(toc, f'TOC \\o "{levels}" \\h \\z \\u', "Inhoud wordt gemaakt bij het bouwen.")


@dataclass(frozen=True)
class HouseStyle:
    """A municipality's look: the font, the colour of titles, headings, the title rule
    and the bars' outline (at least 4.5:1 on white), and the fill of table header rows
    (black text on it at least 4.5:1). The default is the bundled templates' look."""

    font: str = "Calibri"
    accent: RGBColor = ACCENT
    header_fill: str = HEADER_FILL


DEFAULT_HOUSE = HouseStyle()


def _set_font(rpr_owner, font: str) -> None:  # type: ignore[no-untyped-def]
    """The font by name only: a theme font (asciiTheme) would win over it in Word and
    LibreOffice, and the title would stay in the theme's Calibri."""
    rpr = rpr_owner.get_or_add_rPr() if hasattr(rpr_owner, "get_or_add_rPr") else rpr_owner.find(qn("w:rPr"))
    if rpr is None:
        return
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
        rpr.insert(0, fonts)
    for name in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{name}"), None)
    for name in ("ascii", "hAnsi", "cs"):
        fonts.set(qn(f"w:{name}"), font)


def _theme_fonts(doc, font: str) -> None:  # type: ignore[no-untyped-def]
    """The theme's heading and body fonts: a style the coordinator adds later (Quote,
    Caption) follows the house font too."""
    import re

    for part in doc.part.package.iter_parts():
        if str(part.partname).startswith("/word/theme/"):
            xml = part.blob.decode("utf-8")
            xml = re.sub(
                r'(<a:(?:major|minor)Font>\s*<a:latin typeface=")[^"]*"',
                lambda m: m.group(1) + font + '"',
                xml,
            )
            part._blob = xml.encode("utf-8")


def _title_rule(style, accent: RGBColor) -> None:  # type: ignore[no-untyped-def]
    """The rule under the title in the accent colour (the default template's is its
    theme's blue, whatever the house style)."""
    ppr = style.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:pBdr")):
        ppr.remove(old)
    border = parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="8" w:space="4" w:color="{accent}"/></w:pBdr>'
    )
    anchor = next(
        (
            ppr.find(qn(f"w:{n}"))
            for n in ("shd", "tabs", "spacing", "ind", "contextualSpacing", "jc", "outlineLvl")
            if ppr.find(qn(f"w:{n}")) is not None
        ),
        None,
    )
    if anchor is not None:
        anchor.addprevious(border)
    else:
        ppr.append(border)


def _table_header(style, fill: str) -> None:  # type: ignore[no-untyped-def]
    """Table Grid's header row (tblLook firstRow): bold on the house fill. The generated
    tables mark their header row; their cells carry no colour of their own."""
    element = style.element
    for old in element.findall(qn("w:tblStylePr")):
        element.remove(old)
    element.append(
        parse_xml(
            f'<w:tblStylePr {nsdecls("w")} w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>'
            f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{fill}"/></w:tcPr>'
            f"</w:tblStylePr>"
        )
    )


def _bar_style(styles, accent: RGBColor) -> None:  # type: ignore[no-untyped-def]
    """The character style of the status overview's bars: its colour is the bars'
    outline (publishing.bar_outline reads it)."""
    bar = styles.add_style(BAR_STYLE, WD_STYLE_TYPE.CHARACTER)
    bar.font.color.rgb = accent


def _base(header: str, footer: str, house: HouseStyle = DEFAULT_HOUSE) -> DocxDocument:
    doc = Document()
    _clean_package(doc)
    app_properties(doc)
    _a4(doc)
    styles = doc.styles
    normal = styles["Normal"]
    _set_font(normal.element, house.font)
    normal.font.size = Pt(10)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            _set_font(rpr_default, house.font)
    _theme_fonts(doc, house.font)
    for name, size in (
        ("Heading 1", 16),
        ("Heading 2", 13),
        ("Heading 3", 11),
        ("TOC Heading", 16),
        ("Title", 24),
        ("Subtitle", 12),
    ):
        heading = styles[name]
        heading.font.color.rgb = house.accent  # the default Subtitle (#4F81BD): 4.0:1 only
        heading.font.size = Pt(size)
        _set_font(heading.element, house.font)
    _title_rule(styles["Title"], house.accent)
    _table_header(styles[STYLE_NAMES["table"]], house.header_fill)
    _bar_style(styles, house.accent)
    label = styles.add_style(STYLE_NAMES["label"], WD_STYLE_TYPE.PARAGRAPH)
    label.base_style = normal
    label.font.bold = True
    note = styles.add_style(STYLE_NAMES["note"], WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.italic = True
    note.font.color.rgb = RGBColor(0x7F, 0x3F, 0x00)
    for level in (1, 2, 3):  # Word's own names: its contents update uses them too
        entry = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        entry.base_style = normal
        entry.paragraph_format.left_indent = Cm(0.5 * (level - 1))
        entry.paragraph_format.space_after = Pt(3)
    section = doc.sections[0]
    section.header.paragraphs[0].text = header
    footer_p = section.footer.paragraphs[0]
    footer_p.text = footer
    _field(footer_p, "PAGE", "1")
    doc.core_properties.language = "nl-NL"
    return doc


def _save(doc, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Save with fixed zip dates: a template made again from the same code is the same file
    (make_example.py regenerates the examples' templates; git sees no change)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    doc.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item.filename))
    Path(path).write_bytes(out.getvalue())


def _template_tags(annex: AnnexType, pattern: str) -> str:
    """A declaration's "{setting}" pattern as template tags; a setting that has a tag of
    its own in [bijlagetype.tags] (the name older templates use) by that tag."""
    import re

    own = {p[1:-1]: name for name, p in annex.tags if re.fullmatch(r"\{[a-z][a-z0-9_]*\}", p)}
    return re.sub(r"\{([a-z][a-z0-9_]*)\}", lambda m: _tag(own.get(m.group(1), m.group(1))), pattern)


def make_bundled_template(path: Path, annex: AnnexType, house: HouseStyle | None = None) -> Path:
    """A type's first template from its declaration: title page and page header from
    [sjabloon] and [inlezen], then the sample as a hand-made annex of the type has it: a
    card with the sections of [[inlezen.onderdeel]] (a heading and a label | text table
    each), or one table with the columns of [inlezen] whose row repeats per record.
    Empty rows and sections fall away when [indeling] says leeg_weglaten."""
    from toolkit.declarations.handmade import DEFAULT_HEADER

    spec, starter = annex.handmade, annex.starter
    if spec is None or starter is None:
        raise ValueError(f"{annex.key} declares no [inlezen]: use make_card_template")
    sheet = annex.sheet
    doc = _base(
        _template_tags(annex, spec.header or DEFAULT_HEADER),
        _template_tags(annex, starter.footer),
        house or DEFAULT_HOUSE,
    )
    doc.add_paragraph(_template_tags(annex, starter.title), style="Title")
    doc.add_paragraph(_template_tags(annex, starter.subtitle), style="Subtitle")
    levels = len(annex.arrangement.groups)
    if spec.cards:
        _contents(doc, f"1-{levels + 1}")
        for setting in (s for s in annex.settings if s.kind.traits.rich):
            doc.add_paragraph(setting.label, style="Heading 1")
            doc.add_paragraph(_tag(setting.key))
        doc.add_paragraph("{{ wijzigingen }}")
        doc.add_paragraph("{{ kaarten }}")
        heading = next((c.key for c in sheet.columns if c.fallback == sheet.name_column), sheet.name_column)
        doc.add_paragraph(_tag(heading), style=f"Heading {levels + 1}")
        description = (
            f"Gegevens van de {annex.singular}: de eerste kolom noemt het onderdeel, de "
            f"tweede kolom geeft de tekst."
        )
        for index, section in enumerate(spec.sections):
            doc.add_paragraph(section.heading, style=f"Heading {levels + 2}")
            if not section.fields:
                doc.add_paragraph(_tag(section.text or sheet.name_column))
                continue
            caption = f"{section.heading}: {_tag(sheet.name_column)}"
            _sample_card_table(doc, list(section.fields), caption, description, keep_after=index == 0)
        doc.add_paragraph("{{ einde }}")
    else:
        _contents(doc, f"1-{levels}")
        listed = {c.key for c in sheet.columns if c.vocabulary}
        widths = starter.widths or tuple(sheet.column(k).width for k in spec.columns)
        columns = [
            (
                sheet.column(key).label,
                width,
                [_tag(key)] + ([_tag(spec.note_column)] if key in listed and spec.note_column else []),
            )
            for key, width in zip(spec.columns, widths, strict=False)
        ]
        _sample_rows(doc, columns, sheet.name, starter.description)
    doc.core_properties.title = starter.document_title
    _save(doc, path)
    return path


def _sample_card_table(  # type: ignore[no-untyped-def]
    doc,
    rows: list[tuple[str, str]],
    caption: str,
    description: str,
    keep_after: bool = False,
) -> None:
    """A label | text table of a sample card, as wide as the text (1 : 2): the label
    column marked as header information, labels in the label style and kept with the
    next row (keep_after: the whole table with what follows, a card's start)."""
    from xml.sax.saxutils import escape, quoteattr

    from toolkit.layouts.wordxml import scaled

    section = doc.sections[0]
    text_width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    widths = scaled((1, 2), text_width)
    table_style = doc.styles[STYLE_NAMES["table"]].style_id
    label_style = doc.styles[STYLE_NAMES["label"]].style_id
    body = []
    for index, (label, key) in enumerate(rows):
        keep = keep_after or index < len(rows) - 1
        keep_xml = "<w:keepNext/>" if keep else ""
        value_ppr = "<w:pPr><w:keepNext/></w:pPr>" if keep_after else ""
        body.append(
            f"<w:tr><w:trPr><w:cantSplit/></w:trPr>"
            f'<w:tc><w:tcPr><w:tcW w:w="{widths[0]}" w:type="dxa"/></w:tcPr><w:p><w:pPr>'
            f'<w:pStyle w:val="{label_style}"/>{keep_xml}</w:pPr><w:r><w:t xml:space="preserve">'
            f"{escape(label)}</w:t></w:r></w:p></w:tc>"
            f'<w:tc><w:tcPr><w:tcW w:w="{widths[1]}" w:type="dxa"/></w:tcPr><w:p>{value_ppr}'
            f"<w:r><w:t>{{{{ {key} }}}}</w:t></w:r></w:p></w:tc></w:tr>"
        )
    table = parse_xml(
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{table_style}"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        f'<w:tblLook w:val="0480" w:firstRow="0" w:lastRow="0" w:firstColumn="1" '
        f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        f"<w:tblCaption w:val={quoteattr(caption)}/><w:tblDescription "
        f"w:val={quoteattr(description)}/></w:tblPr><w:tblGrid>"
        + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        + "</w:tblGrid>"
        + "".join(body)
        + "</w:tbl>"
    )
    doc.element.body.append(table)
    body_sect = doc.element.body.find(qn("w:sectPr"))
    if body_sect is not None:  # the section properties stay last
        doc.element.body.remove(body_sect)
        doc.element.body.append(body_sect)


def _sample_rows(  # type: ignore[no-untyped-def]
    doc,
    columns: list[tuple[str, int, list[str]]],
    caption: str,
    description: str,
) -> None:
    """A sample table between {{ rijen }} and {{ einde }}: a header row that repeats on
    every page and one row of field tags (a cell may hold several, one per paragraph),
    as wide as the text; the build repeats the row per record."""
    from xml.sax.saxutils import quoteattr

    from toolkit.layouts.wordxml import scaled

    section = doc.sections[0]
    text_width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    widths = scaled(tuple(w for _, w, _ in columns), text_width)
    table_style = doc.styles[STYLE_NAMES["table"]].style_id
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    head = "".join(
        # fill and bold from the table style's header row (tblLook firstRow): restyled with it
        f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:keepNext/>'
        f"</w:pPr><w:r><w:t>{label}</w:t></w:r></w:p></w:tc>"
        for (label, _, _), w in zip(columns, widths, strict=True)
    )
    body = "".join(
        f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>'
        + "".join(f"<w:p><w:r><w:t>{tag}</w:t></w:r></w:p>" for tag in tags)
        + "</w:tc>"
        for (_, _, tags), w in zip(columns, widths, strict=True)
    )
    table = parse_xml(
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{table_style}"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
        f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        f"<w:tblCaption w:val={quoteattr(caption)}/><w:tblDescription "
        f"w:val={quoteattr(description)}/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{head}</w:tr>"
        f"<w:tr>{body}</w:tr></w:tbl>"
    )
    doc.add_paragraph("{{ rijen }}")
    end = doc.add_paragraph("{{ einde }}")
    end._p.addprevious(table)


def _tags(pattern: str) -> str:
    """A declaration's "{setting}" pattern as the template's "{{ setting }}" tags."""
    import re

    return re.sub(r"\{([a-z][a-z0-9_]*)\}", r"{{ \1 }}", pattern)


def _tag(key: str) -> str:
    return "{{ " + key + " }}"


def _card_table_properties(table, annex: AnnexType) -> None:  # type: ignore[no-untyped-def]
    """A card's table: the label column holds the headers (no header row), with a title
    and a description for a screen reader (Tabeleigenschappen > Alternatieve tekst)."""
    from toolkit.layouts.wordxml import attr_xml

    tbl_pr = table._tbl.tblPr
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:
        tbl_pr.remove(look)
    noun = annex.singular or annex.plural
    tbl_pr.append(
        parse_xml(
            f'<w:tblLook {nsdecls("w")} w:val="0480" w:firstRow="0" w:lastRow="0" '
            f'w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        )
    )
    tbl_pr.append(parse_xml(f'<w:tblCaption {nsdecls("w")} w:val="{attr_xml(f"Gegevens per {noun}")}"/>'))
    tbl_pr.append(
        parse_xml(
            f'<w:tblDescription {nsdecls("w")} w:val="{attr_xml(f"Per {noun}")}: de eerste kolom '
            f'noemt het onderdeel, de tweede kolom geeft de tekst."/>'
        )
    )


def make_card_template(
    path: Path, annex: AnnexType, house: HouseStyle = DEFAULT_HOUSE, with_key: bool = False
) -> Path:
    """A starting template for an annex type of a coordinator's own: a title page, the
    contents, its rich-text settings as blocks and a sample card ({{ kaarten }} …
    {{ einde }}) with the name as heading and a label | text table of the other published
    columns, in declaration order. The coordinator rearranges the card in Word."""

    title = _tags(annex.title)
    doc = _base("Gemeente {{ gemeente }} · {{ editie }}", f"{title} · pagina ", house)
    doc.add_paragraph(title, style="Title")
    doc.add_paragraph("Gemeente {{ gemeente }} · {{ editie }} · peildatum {{ peildatum }}", style="Subtitle")
    # with groups ([indeling]) the group headings take the first levels, the card the next
    card_level = min(len(annex.arrangement.groups) + 1, 3)
    _contents(doc, f"1-{card_level}")
    rich = [setting for setting in annex.settings if setting.kind.traits.rich]
    if rich:  # a heading of its own: the introduction is not read as part of the contents
        doc.add_paragraph("Inleiding", style="Heading 1")
    for setting in rich:
        doc.add_paragraph(_tag(setting.key))
    doc.add_paragraph("{{ wijzigingen }}")  # empty unless built with --previous
    doc.add_paragraph("{{ kaarten }}")
    doc.add_paragraph(_tag(annex.sheet.name_column), style=f"Heading {card_level}")
    fields = [
        c
        for c in annex.sheet.columns
        if c.published and c.key != annex.sheet.name_column and (with_key or c.key != annex.sheet.key_column)
    ]
    table = doc.add_table(rows=len(fields), cols=2)
    table.style = doc.styles[STYLE_NAMES["table"]]
    table.autofit = False
    text_width = PAGE_WIDTH - 2 * MARGIN
    widths = (text_width // 3, text_width - text_width // 3)  # label | text, as the pilot card
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    _card_table_properties(table, annex)
    for index, (row, col) in enumerate(zip(table.rows, fields, strict=True)):
        label, value = row.cells
        label.width, value.width = widths
        row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
        label.paragraphs[0].text = col.label
        label.paragraphs[0].style = doc.styles[STYLE_NAMES["label"]]
        # each row kept with the next, as in the bundled pilot card: a short card is not
        # split over two pages with its last row alone (a long one still breaks)
        label.paragraphs[0].paragraph_format.keep_with_next = index < len(fields) - 1
        value.paragraphs[0].text = _tag(col.key)
    doc.add_paragraph("{{ einde }}")
    doc.core_properties.title = annex.fill(annex.title, lambda key: key)
    _save(doc, path)
    return path


def starter_templates(folder: Path, overwrite: bool = False) -> CopyResult:
    """For every annex type declared in folder (*.toml) a starting template with a sample
    card (docx_templates.make_card_template), so a coordinator who wrote a declaration
    gets a template to arrange in Word without writing one from nothing. An existing
    template is kept unless overwrite is asked for."""
    from toolkit.core.output import atomic_write
    from toolkit.declarations.annextypes import BUILTIN

    made, kept = [], []
    for annex in BUILTIN.with_folder(folder).types:
        if annex.bundled:
            continue
        target = folder / annex.template
        if target.exists() and not overwrite:
            kept.append(target)
            continue
        made.append(atomic_write(target, partial(make_card_template, annex=annex)))
    return CopyResult(folder, made, kept)


if __name__ == "__main__":  # pragma: no cover
    from toolkit.declarations.annextypes import BUILTIN

    for bundled_type in BUILTIN.types:
        make_bundled_template(ROOT / "templates" / bundled_type.template, bundled_type)
    print("Sjablonen geschreven in templates/.")
