"""Generate the default Word templates (templates/bijlage.docx, templates/acties.docx).

The committed templates are the coordinator's to restyle in Word; this module only
makes the first version, so that the tags, styles, header/footer and table of contents
are right from the start. Run: uv run python -m toolkit.docx_templates
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt, RGBColor

from .schema import STYLE_NAMES

ROOT = Path(__file__).resolve().parent.parent
ACCENT = RGBColor(0x1F, 0x4E, 0x79)


def _field(paragraph, instruction: str, placeholder: str) -> None:  # type: ignore[no-untyped-def]
    """A Word field (PAGE, TOC) that Word and LibreOffice fill in."""
    p = paragraph._p
    p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin" '
                       f'w:dirty="true"/></w:r>'))
    p.append(parse_xml(f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> {instruction} '
                       f"</w:instrText></w:r>"))
    p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>'))
    p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t>{placeholder}</w:t></w:r>'))
    p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'))


def _base(header: str, footer: str) -> Document:
    doc = Document()
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    for level, size in ((1, 16), (2, 13), (3, 11)):
        heading = styles[f"Heading {level}"]
        heading.font.color.rgb = ACCENT
        heading.font.size = Pt(size)
        heading.font.name = "Calibri"
    label = styles.add_style(STYLE_NAMES["label"], WD_STYLE_TYPE.PARAGRAPH)
    label.base_style = normal
    label.font.bold = True
    note = styles.add_style(STYLE_NAMES["note"], WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.italic = True
    note.font.color.rgb = RGBColor(0x7F, 0x3F, 0x00)
    section = doc.sections[0]
    section.header.paragraphs[0].text = header
    footer_p = section.footer.paragraphs[0]
    footer_p.text = footer
    _field(footer_p, "PAGE", "1")
    doc.core_properties.language = "nl-NL"
    doc.settings.element.append(parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>'))
    return doc


def make_pilot_template(path: Path) -> Path:
    doc = _base("Gemeente {{ gemeente }} · {{ editie }}",
                "Bijlage {{ bijlage_nummer }}. {{ titel }} · pagina ")
    doc.add_paragraph("Bijlage {{ bijlage_nummer }}. {{ titel }}", style="Title")
    doc.add_paragraph("Gemeente {{ gemeente }} · {{ editie }}", style="Subtitle")
    toc = doc.add_paragraph()
    _field(toc, 'TOC \\o "1-1" \\h \\z \\u', "Inhoudsopgave: wordt bijgewerkt bij het openen.")
    doc.add_paragraph("Inleiding", style="Heading 1")
    doc.add_paragraph("{{ inleiding }}")
    doc.add_paragraph("{{ wijzigingen }}")
    doc.add_paragraph("{{ pilotkaarten }}")
    doc.core_properties.title = "Bijlage Monitoring evaluatie pilots"
    doc.save(path)
    return path


def make_actions_template(path: Path) -> Path:
    doc = _base("Gemeente {{ gemeente }} · {{ actieprogramma }} · {{ editie }}",
                "{{ actieprogramma }} · pagina ")
    doc.add_paragraph("{{ actieprogramma }}: stand van de uitvoeringsplannen", style="Title")
    doc.add_paragraph("Gemeente {{ gemeente }} · {{ editie }} · peildatum {{ peildatum }}",
                      style="Subtitle")
    toc = doc.add_paragraph()
    _field(toc, 'TOC \\o "1-2" \\h \\z \\u', "Inhoudsopgave: wordt bijgewerkt bij het openen.")
    doc.add_paragraph("{{ opgaven }}")
    doc.core_properties.title = "Statusbijlagen actieprogramma"
    doc.save(path)
    return path


if __name__ == "__main__":  # pragma: no cover
    make_pilot_template(ROOT / "templates" / "bijlage.docx")
    make_actions_template(ROOT / "templates" / "acties.docx")
    print("Sjablonen geschreven in templates/.")
