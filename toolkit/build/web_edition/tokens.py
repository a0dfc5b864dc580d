"""The organisation's look for the web edition, from the same Word template as its annex.

The coordinator sets the house style once, in Word: the colour of Heading 1 and the font
of Normal become the design tokens of the pages (NL Design System-style custom
properties), and a logo.png or logo.svg beside the templates becomes the pages' logo.
A colour too light to read on white is darkened until it reaches 4.5:1, so a template's
pale accent never makes a link unreadable. Fonts are named, never downloaded: the
reader's own copy is used, or the metric-compatible one, or the generic family.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
DEFAULT_COLOUR = "1f4e79"
DEFAULT_FONT = "Calibri"
#: fonts the reader may have instead (metric-compatible first), and the generic family
FONT_FALLBACKS: dict[str, tuple[tuple[str, ...], str]] = {
    "calibri": (("Carlito",), "sans-serif"),
    "cambria": (("Caladea",), "serif"),
    "arial": (("Liberation Sans", "Arimo", "Helvetica"), "sans-serif"),
    "helvetica": (("Liberation Sans", "Arimo", "Arial"), "sans-serif"),
    "times new roman": (("Liberation Serif", "Tinos", "Times"), "serif"),
    "courier new": (("Liberation Mono", "Cousine"), "monospace"),
    "verdana": (("DejaVu Sans",), "sans-serif"),
    "georgia": (("Gelasio", "DejaVu Serif"), "serif"),
    "segoe ui": (("Selawik",), "sans-serif"),
}
LOGO_NAMES = ("logo.svg", "logo.png")
MAX_LOGO_BYTES = 1024 * 1024
_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")
_FONT_NAME = re.compile(r"[^A-Za-z0-9 \-]")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


@dataclass(frozen=True)
class Tokens:
    """The pages' design tokens: a primary colour and a font stack (CSS text, checked)."""

    primary: str = DEFAULT_COLOUR
    font: str = DEFAULT_FONT
    heading_font: str = DEFAULT_FONT

    @property
    def font_stack(self) -> str:
        return font_stack(self.font)

    @property
    def heading_stack(self) -> str:
        return font_stack(self.heading_font)

    @property
    def tint(self) -> str:
        """A pale version of the primary colour, for table headers and highlights."""
        return mix(self.primary, "ffffff", 0.88)

    @property
    def readable(self) -> str:
        """The primary colour, darkened where needed to 4.5:1 on white and on the tint."""
        colour = self.primary
        for _ in range(40):
            if contrast(colour, "ffffff") >= 4.6 and contrast(colour, self.tint) >= 4.5:
                break
            colour = mix(colour, "000000", 0.1)
        return colour


def font_stack(name: str) -> str:
    clean = " ".join(_FONT_NAME.sub("", name).split()) or DEFAULT_FONT
    others, generic = FONT_FALLBACKS.get(clean.casefold(), ((), "sans-serif"))
    return ", ".join([f'"{clean}"', *(f'"{o}"' for o in others), generic])


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours (hex without #)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def mix(a: str, b: str, amount: float) -> str:
    """a moved amount of the way towards b."""
    out = []
    for i in (0, 2, 4):
        x, y = int(a[i : i + 2], 16), int(b[i : i + 2], 16)
        out.append(round(x + (y - x) * amount))
    return "".join(f"{v:02x}" for v in out)


def text_on(background: str) -> str:
    """Black or white text, whichever reads better on a fill (a status colour)."""
    return "1a1a1a" if contrast("1a1a1a", background) >= contrast("ffffff", background) else "ffffff"


def read_tokens(template: Path) -> Tokens:
    """Heading 1's colour and Normal's font from a Word template; the defaults where the
    template does not say (or cannot be read: the build has already checked it)."""
    try:
        with zipfile.ZipFile(template) as archive:
            styles = etree.fromstring(archive.read("word/styles.xml"), _PARSER)
            names = archive.namelist()
            theme = (
                etree.fromstring(archive.read("word/theme/theme1.xml"), _PARSER)
                if "word/theme/theme1.xml" in names
                else None
            )
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return Tokens()
    by_name = {}
    for style in styles.iter(W + "style"):
        name = style.find(W + "name")
        if name is not None:
            by_name[(name.get(W + "val") or "").casefold()] = style
    by_id = {s.get(W + "styleId"): s for s in styles.iter(W + "style")}

    def chain(name: str) -> list[etree._Element]:
        out: list[etree._Element] = []
        style = by_name.get(name)
        while style is not None and len(out) < 10:
            out.append(style)
            based = style.find(W + "basedOn")
            style = by_id.get(based.get(W + "val")) if based is not None else None
        return out

    def colour(name: str) -> str | None:
        for style in chain(name):
            found = style.find(f"{W}rPr/{W}color")
            value = found.get(W + "val") if found is not None else None
            if value and _HEX.match(value):
                return value.lower()
        return None

    def font(name: str) -> str | None:
        for style in [*chain(name), *styles.iterfind(f"{W}docDefaults/{W}rPrDefault")]:
            fonts = style.find(f"{W}rPr/{W}rFonts")
            if fonts is None:
                continue
            if fonts.get(W + "ascii"):
                return str(fonts.get(W + "ascii"))
            themed = fonts.get(W + "asciiTheme")
            if themed and theme is not None:
                which = "majorFont" if themed.startswith("major") else "minorFont"
                latin = theme.find(f".//{A}{which}/{A}latin")
                if latin is not None and latin.get("typeface"):
                    return str(latin.get("typeface"))
        return None

    body = font("normal") or DEFAULT_FONT
    return Tokens(colour("heading 1") or DEFAULT_COLOUR, body, font("heading 1") or body)


def find_logo(folders: list[Path]) -> Path | None:
    """logo.svg or logo.png in the first template folder that has one (at most 1 MB)."""
    for folder in folders:
        for name in LOGO_NAMES:
            path = folder / name
            try:
                if path.is_file() and not path.is_symlink() and path.stat().st_size <= MAX_LOGO_BYTES:
                    return path
            except OSError:
                continue
    return None
