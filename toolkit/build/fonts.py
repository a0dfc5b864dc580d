"""Which fonts an annex is set in, and whether LibreOffice has them for the PDF.

Word and LibreOffice lay out a page with the widths of the font the style names. Where a
font is missing, LibreOffice silently takes another one (DejaVu Sans), the lines get
longer and the PDF paginates differently from the Word file the coordinator checked.
Metric-compatible fonts (Carlito for Calibri, Liberation Sans for Arial, ...) have the
same widths; fontconfig (fc-match) says which font LibreOffice will use.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"

#: a font -> (its metric-compatible free clone, the Debian package that has it)
METRIC_CLONES = {
    "calibri": ("Carlito", "fonts-crosextra-carlito"),
    "cambria": ("Caladea", "fonts-crosextra-caladea"),
    "arial": ("Liberation Sans", "fonts-liberation2"),
    "helvetica": ("Liberation Sans", "fonts-liberation2"),
    "arial narrow": ("Liberation Sans Narrow", "fonts-liberation"),
    "times new roman": ("Liberation Serif", "fonts-liberation2"),
    "times": ("Liberation Serif", "fonts-liberation2"),
    "courier new": ("Liberation Mono", "fonts-liberation2"),
    "courier": ("Liberation Mono", "fonts-liberation2"),
}
#: bullet and symbol fonts: LibreOffice maps their characters to OpenSymbol itself
SYMBOL_FONTS = frozenset({"symbol", "wingdings", "wingdings 2", "wingdings 3", "webdings", "opensymbol"})
_PARTS = ("word/document.xml", "word/header", "word/footer")


def fonts_used(document: Path) -> set[str]:
    """The fonts the text of a .docx is set in: the fonts of the styles its paragraphs,
    runs and tables use (through their basedOn chain, a theme font as the theme names
    it) and fonts set directly on runs."""
    with zipfile.ZipFile(document) as docx:
        names = docx.namelist()
        styles = _parse(docx, "word/styles.xml")
        theme = _parse(docx, next((n for n in names if n.startswith("word/theme/")), ""))
        parts = [_parse(docx, n) for n in names if n.startswith(_PARTS) and n.endswith(".xml")]
    themes = _theme_fonts(theme)
    by_id = {s.get(W + "styleId"): s for s in styles.iter(W + "style")} if styles is not None else {}
    used_styles = {
        s.get(W + "styleId")
        for s in by_id.values()
        if s.get(W + "default") == "1" and s.get(W + "type") == "paragraph"
    }
    other_styles: set[str | None] = set()  # character and table styles: no default font
    fonts: set[str] = set()
    for part in parts:
        if part is None:
            continue
        for element in part.iter(W + "pStyle"):
            used_styles.add(element.get(W + "val"))
        for element in part.iter(W + "rStyle", W + "tblStyle"):
            other_styles.add(element.get(W + "val"))
        for rfonts in part.iter(W + "rFonts"):
            fonts.add(_font(rfonts, themes) or "")
    default = None
    if styles is not None:
        defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
        default = _font(defaults, themes) if defaults is not None else None
    for style_id in used_styles:
        fonts.add(_style_font(by_id, style_id, themes) or default or "")
    for style_id in other_styles:
        fonts.add(_style_font(by_id, style_id, themes) or "")
    return {f for f in fonts if f and f.casefold() not in SYMBOL_FONTS}


def _parse(docx: zipfile.ZipFile, name: str) -> etree._Element | None:
    if not name:
        return None
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        return etree.fromstring(docx.read(name), parser)
    except (KeyError, etree.XMLSyntaxError):
        return None


def _theme_fonts(theme: etree._Element | None) -> dict[str, str]:
    fonts = {}
    if theme is not None:
        for kind in ("major", "minor"):
            latin = theme.find(f".//{A}{kind}Font/{A}latin")
            if latin is not None and latin.get("typeface"):
                fonts[kind] = latin.get("typeface", "")
    return fonts


def _font(rfonts: etree._Element, themes: dict[str, str]) -> str | None:
    """The Latin font of a w:rFonts; a theme font wins over the named one, as in Word."""
    theme = rfonts.get(W + "asciiTheme")
    if theme:
        return themes.get("major" if theme.startswith("major") else "minor")
    return rfonts.get(W + "ascii") or rfonts.get(W + "hAnsi")


def _style_font(
    by_id: dict[str | None, etree._Element], style_id: str | None, themes: dict[str, str]
) -> str | None:
    seen = set()
    while style_id and style_id not in seen:
        seen.add(style_id)
        style = by_id.get(style_id)
        if style is None:
            return None
        rfonts = style.find(f"{W}rPr/{W}rFonts")
        if rfonts is not None:
            found = _font(rfonts, themes)
            if found:
                return found
        based = style.find(W + "basedOn")
        style_id = based.get(W + "val") if based is not None else None
    return None


def substitute(font: str) -> str | None:
    """The font LibreOffice will use for font (fontconfig), None when fontconfig is not
    there to ask (Windows, macOS: LibreOffice uses the system's fonts)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    try:
        found = subprocess.run(
            [fc_match, "-f", "%{family}", font], capture_output=True, text=True, timeout=30
        ).stdout
    except (subprocess.SubprocessError, OSError):
        return None
    return found.split(",")[0].strip() or None


def font_warnings(documents: list[Path]) -> list[str]:
    """A Dutch warning per font that the documents name but LibreOffice will replace by a
    font with other widths: the PDF's pages then fall differently from Word's."""
    fonts: set[str] = set()
    for document in documents:
        try:
            fonts |= fonts_used(document)
        except (OSError, zipfile.BadZipFile):
            continue
    warnings = []
    for font in sorted(fonts, key=str.casefold):
        used = substitute(font)
        if used is None or used.casefold() == font.casefold():
            continue
        clone, package = METRIC_CLONES.get(font.casefold(), (None, None))
        if clone is not None and used.casefold() == clone.casefold():
            continue  # the same widths: the pages fall as in Word
        if clone is not None:
            advice = (
                f"Installeer {clone}, dat dezelfde maten heeft (Debian/Ubuntu: "
                f"'apt-get install {package}'), of het lettertype {font} zelf."
            )
        else:
            advice = (
                f"Er is geen vrij lettertype met dezelfde maten; installeer {font} "
                f"zelf op deze computer (met de licentie van de gemeente), of kies in "
                f"het sjabloon een lettertype dat er wel is."
            )
        warnings.append(
            f"Let op: het lettertype {font} uit het sjabloon ontbreekt op deze "
            f"computer. LibreOffice zet de PDF in {used}; de pagina's kunnen dan "
            f"anders vallen dan in Word. {advice}"
        )
    return warnings
