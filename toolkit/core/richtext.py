"""Cell text as a small document: paragraphs, lists, bold/italic and line breaks.

Officers write Alt+Enter lines and "•", "-", "1)" bullets, and paste HTML fragments
from the CMS. The Word build needs real paragraphs and lists for all of these, and the
validator needs to know what could not be understood, so both read this one model.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Literal, NamedTuple

ListKind = Literal["bullet", "number"] | None

#: Tags whose meaning is kept; any other tag keeps its text and is reported.
SUPPORTED_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "ul",
        "ol",
        "li",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "sup",
        "sub",
        "span",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
    }
)
_TABLE_TAGS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th"})
#: the deepest list level an annex shows (Word's List Bullet 2); deeper items go there too
MAX_LEVEL = 1
_HTML_HINT = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)(\s[^<>]*)?/?>")
_UNKNOWN_TAG = re.compile(
    r"</?(?!(?:" + "|".join(sorted(SUPPORTED_TAGS, key=len, reverse=True)) + r")(?![a-zA-Z0-9]))"
    r"[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_TAG_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)(?:\s[^<>]*)?/?>")
ILLEGAL_CHARS = _ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_ILLEGAL_BETWEEN_WORDS = re.compile(f"(?<=\\S){ILLEGAL_CHARS.pattern}+(?=\\S)")


def without_controls(text: str) -> str:
    """Control characters left out; between two words a space, so 'regel\x07uit' does
    not become the one word 'regeluit' in the annex."""
    return _ILLEGAL.sub("", _ILLEGAL_BETWEEN_WORDS.sub(" ", text))


#: bidirectional overrides and isolates: they can show a council annex's text reversed
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_SUSPECT_CHAR = re.compile(f"{ILLEGAL_CHARS.pattern[:-1]}{BIDI_CONTROLS.pattern[1:]}")
SOFT_BREAK = "\x0b"  # vertical tab: how Word's Shift+Enter arrives in a cell
_XML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
#: private-use characters: how Word's Symbol and Wingdings bullets (U+F0B7, U+F0A7,
#: U+F0FC, U+F076, U+F0D8 …) arrive when a list is pasted; no document font has them
PRIVATE_USE = "\ue000-\uf8ff"
#: a bullet line: a typed marker and a space, a Word bullet (private-use, then any space),
#: or Word's plain-text markers for the second and third level ("o" and "§", then a tab)
_BULLET_LINE = re.compile(
    r"^\s*(?:([•·▪◦●○■\-–*])\s+|([" + PRIVATE_USE + r"])\s*|([o§])\t\s*)"
    r"(.*)$"
)
_NUMBER_LINE = re.compile(r"^\s*(\d{1,2}|[a-zA-Z])([).])\s+(.*)$")
#: how deep a marker sits in Word's (and Google Docs') default multi-level bullets; the
#: levels of a cell are the ranks it uses, in order ("-" and "o": levels 1 and 2)
_MARKER_RANK = {"o": 2, "◦": 2, "○": 2, "§": 3, "▪": 3, "■": 3, "\uf0a7": 3}
#: Markdown's **bold** and *italic*: a pair of asterisks around text, not inside a word
_EMPHASIS = re.compile(r"(?<![\w*])(\*\*|\*)(?![\s*])(.+?)(?<![\s*])\1(?![\w*])")
_MARKDOWN_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+\S", re.MULTILINE)
#: characters the annex's fonts (Calibri, Carlito) lack: private-use symbols, emoji and
#: other pictographs (astral plane, U+2600-U+27BF, U+2B00-U+2BFF) and emoji's U+FE0F
NO_GLYPH = re.compile("[" + PRIVATE_USE + "\U00010000-\U0010ffff\u2600-\u27bf\u2b00-\u2bff\ufe0f]")
#: the characters text_issues looks for (with "_x", "#" and "o\t", searched as text): one
#: character class, which re scans much faster than an alternation of patterns
_WORTH_A_LOOK = re.compile(
    "[<\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff"
    "\u202a-\u202e\u2066-\u2069" + PRIVATE_USE + "\U00010000-\U0010ffff\u2600-\u27bf\u2b00-\u2bff\ufe0f▪◦○■§]"
)
#: what a cell of only "<p>…</p>" paragraphs can still hold that text_issues names
_ODD_CHAR = re.compile(f"{_SUSPECT_CHAR.pattern[:-1]}{NO_GLYPH.pattern[1:]}")
_PLAIN_PARAGRAPHS = re.compile(r"^\s*(?:<p>[^<&]*</p>\s*)+$")
_P_BODY = re.compile(r"<p>([^<&]*)</p>")
_LEADING_BULLET = re.compile(r"^(?:[•·▪◦●○■\-–*]\s+|[" + PRIVATE_USE + r"]\s*)")
_INLINE_ITEM = re.compile(r"\s*(•|(?<![\d/])\d{1,2}\))\s*")
# HTML that html.parser and a plain regex tokenizer read alike: simple tag names,
# attributes whose quotes hold no "<" or ">", complete entities, no comments, no stray
# "<" and no script/style (whose content html.parser treats as raw text). Anything else
# is a "rest" token, and html.parser reads the cell instead.
_ATTRS = r"""(?:[ \t\n\r\f](?:[^<>"']|"[^<>"]*"|'[^<>']*')*)?"""
_HTML_TOKEN = re.compile(
    r"<([a-zA-Z][a-zA-Z0-9]*)(" + _ATTRS + r")(/?)>"  # start tag, its attributes, self-closing
    r"|</([a-zA-Z][a-zA-Z0-9]*)[ \t\n\r\f]*>"  # end tag
    r"|((?:[^<&]+|&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#[xX][0-9a-fA-F]+);)+)"  # text
    r"|(.)",
    re.DOTALL,
)  # the rest
_RAW_TEXT_TAGS = frozenset({"script", "style"})
#: the attributes the builder reads (<ol type="a" start="3">, <td colspan="2">): a tag
#: that may have one is read by html.parser (the CMS's style="…" is not)
_READ_ATTRIBUTE = re.compile(r"(?:^|\s)(?:type|start|colspan|rowspan)\s*=", re.IGNORECASE)


#: Excel keeps 15 significant digits; a whole number beyond this is not a count or a year
EXACT_LIMIT = 1e15
NOT_A_NUMBER = "#GETAL!"  # what a Dutch Excel shows for a number it cannot hold


def excel_general(value: float) -> str:
    """A number as Excel's General format shows it in a Dutch Excel: '12,5', '2024',
    '1,5E+300' (never 301 digits), up to ten significant digits."""
    if not math.isfinite(value):
        return NOT_A_NUMBER
    size = abs(value)
    if size == 0:
        return "0"
    if size >= 1e11 or size < 1e-4:
        mantissa, exponent = f"{value:.5E}".split("E")
        mantissa = mantissa.rstrip("0").rstrip(".").replace(".", ",")
        power = int(exponent)
        return f"{mantissa}E{'+' if power >= 0 else '-'}{abs(power):02d}"
    decimals = max(0, 9 - math.floor(math.log10(size)))
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


class Run(NamedTuple):
    """A piece of text with one formatting (a tuple: cells hold thousands of these)."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    vertical: Literal["superscript", "subscript"] | None = None


@dataclass
class Paragraph:
    runs: list[Run] = field(default_factory=list)
    list_kind: ListKind = None
    level: int = 0

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class TextIssue:
    """Something in the cell the reader could not fully honour."""

    code: str  # "html-onbekend", "teken-ongeldig", "html-tabel", … (toolkit.declarations.findings)
    detail: str


@dataclass
class RichText:
    paragraphs: list[Paragraph] = field(default_factory=list)
    source: str = ""
    #: what reading the structure could not keep as it was (a table printed as lines)
    notes: list[TextIssue] = field(default_factory=list)

    @property
    def issues(self) -> list[TextIssue]:
        """Looked up only when asked: the build reads thousands of cells and never asks."""
        return text_issues(self.source)

    @property
    def plain(self) -> str:
        """The visible text, one line per paragraph; what a reader of the cell sees."""
        lines = []
        for p in self.paragraphs:
            prefix = "• " if p.list_kind == "bullet" else ""
            lines.append(prefix + p.text)
        return "\n".join(lines)


def clean_text(text: str) -> tuple[str, list[TextIssue]]:
    """Undo Excel's _xHHHH_ escapes and drop characters that would corrupt a document."""
    issues: list[TextIssue] = []
    if "_x" in text:
        text = _XML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if SOFT_BREAK in text:  # Shift+Enter pasted from Word: a line break like Alt+Enter
        text = text.replace(SOFT_BREAK, "\n")
    if _ILLEGAL.search(text):
        codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in _ILLEGAL.findall(text)}))
        issues.append(TextIssue("teken-ongeldig", codes))
        text = without_controls(text)
    return text, issues


def text_issues(text: str, rich: bool = True) -> list[TextIssue]:
    """What is wrong with a cell's text, found without building its document.

    The validator asks this for every cell, so the usual answer (nothing) is reached
    with a few regular-expression searches; RichText.issues gives the same answer.
    rich: the cell is read as rich text (bullets, tables, nested lists become structure);
    in a plain-text column every character the fonts lack is named, a bullet too.
    """
    if not (_WORTH_A_LOOK.search(text) or "_x" in text or "#" in text or "o\t" in text):
        return []
    if "<p>" in text and "_x" not in text and _PLAIN_PARAGRAPHS.match(text) and not _ODD_CHAR.search(text):
        return []  # the CMS's plain paragraphs: no tag, list, table or character to name
    if "_x" in text:
        text = _XML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if SOFT_BREAK in text:
        text = text.replace(SOFT_BREAK, "\n")
    issues = []
    if _SUSPECT_CHAR.search(text):  # one search for both kinds: most cells have neither
        if _ILLEGAL.search(text):
            codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in _ILLEGAL.findall(text)}))
            issues.append(TextIssue("teken-ongeldig", codes))
            text = without_controls(text)
        if BIDI_CONTROLS.search(text):
            issues.append(TextIssue("teken-richting", direction_chars(text)))
    html_like = "<" in text and looks_like_html(text)
    if html_like and _UNKNOWN_TAG.search(text):
        unknown = dict.fromkeys(t.lower() for t in _TAG_NAME.findall(text) if t.lower() not in SUPPORTED_TAGS)
        issues += [TextIssue("html-onbekend", f"<{tag}>") for tag in unknown]
    return issues + _structure_issues(text, rich, html_like)


def _structure_issues(text: str, rich: bool, html_like: bool) -> list[TextIssue]:
    """Pasted structure the annex cannot show as it was: a table that is not 'label:
    value', lists more than two deep, a Markdown heading, characters no font has.

    The cell is read (parse_rich) only where a quick look says one of these may be in it.
    """
    lower = text.lower() if html_like else ""
    deep = (
        (lower.count("<ul") + lower.count("<ol") >= 3)
        if html_like
        else rich and "\n" in text and len({_MARKER_RANK.get(m, 1) for m in _bullet_markers(text)}) > 2
    )
    doc = None
    glyphless = rich and NO_GLYPH.search(text) is not None
    if (html_like and "<table" in lower) or deep or glyphless:
        doc = _read(text) if rich else _parse_html(text)
    issues = list(doc.notes) if doc is not None else []
    if doc is not None and any(p.level > MAX_LEVEL for p in doc.paragraphs):
        issues.append(TextIssue("opsomming-niveau", str(max(p.level for p in doc.paragraphs) + 1)))
    if not html_like and "#" in text and _MARKDOWN_HEADING.search(text):
        heading = _MARKDOWN_HEADING.search(text)
        line = text[heading.start() :].split("\n", 1)[0].strip()  # type: ignore[union-attr]
        issues.append(TextIssue("markdown-kop", line if len(line) <= 60 else line[:59] + "…"))
    if doc is None and rich and not glyphless:
        return issues  # the text was searched for such characters above
    shown = "\n".join(p.text for p in doc.paragraphs) if doc is not None and rich else text
    if NO_GLYPH.search(shown):
        issues.append(TextIssue("teken-emoji", missing_glyphs(shown)))
    return issues


_MARKER_AT_LINE_START = re.compile(r"^[ \t]*([•·▪◦●○■\-–*o§" + PRIVATE_USE + r"])", re.MULTILINE)


def _bullet_markers(text: str) -> list[str]:
    """The marker of every line that _bullet reads as a list item (a quick look)."""
    return (
        [b[0] for line in text.split("\n") if (b := _bullet(line)) is not None]
        if _MARKER_AT_LINE_START.search(text)
        else []
    )


def missing_glyphs(text: str) -> str:
    """'👍 (U+1F44D), U+F0FC': each character the fonts lack, once; shown where a report can
    show it, and by its code only where it would itself be a box or invisible."""
    found = []
    for char in dict.fromkeys(NO_GLYPH.findall(text)):
        code = f"U+{ord(char):04X}"
        found.append(code if char == "\ufe0f" or "\ue000" <= char <= "\uf8ff" else f"{char} ({code})")
    return ", ".join(found[:10]) + (", …" if len(found) > 10 else "")


def tags_in(text: str) -> str:
    """'<span>, <b>': the HTML tags in a field that holds plain text, else ''."""
    if "<" not in text or not _HTML_HINT.search(text):
        return ""
    return ", ".join(dict.fromkeys(f"<{t.lower()}>" for t in _TAG_NAME.findall(text)))


def plain_line(text: str) -> str:
    """A plain-text field (a name, a goal) as it is published: in text that holds HTML
    (a tag rich text knows, like <span> or <b>) the tags are left out and their text
    kept, and "&amp;" becomes "&". Anything else, "<c>" too, is printed as typed."""
    if "<" not in text or not looks_like_html(text):
        return text
    doc = _parse_html(text)
    lines = (" ".join(line.split()) for p in doc.paragraphs for line in p.text.split("\n"))
    return "\n".join(line for line in lines if line)


def direction_chars(text: str) -> str:
    """'U+202E' for each kind of direction override or isolate in the text, else ''."""
    if not BIDI_CONTROLS.search(text):
        return ""
    return ", ".join(sorted({f"U+{ord(c):04X}" for c in BIDI_CONTROLS.findall(text)}))


_ID_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
_ODD_SPACE = re.compile(r"[^\S ]|  ")  # any space but a single plain one (tabs, nbsp, …)


def id_oddities(text: str) -> str:
    """What makes an ID look like another one while it is not: invisible characters,
    odd or surrounding spaces, and letters that fold to others (full-width 'Ｐ')."""
    if text.isascii() and text == text.strip() and not _ODD_SPACE.search(text):
        return ""  # nearly every ID
    found = []
    if _ID_INVISIBLE.search(text):
        found.append(
            "onzichtbare tekens ("
            + ", ".join(sorted({f"U+{ord(c):04X}" for c in _ID_INVISIBLE.findall(text)}))
            + ")"
        )
    if _ODD_SPACE.search(text.strip()):
        found.append("bijzondere spaties of regeleinden")
    if text != text.strip():
        found.append("een spatie aan het begin of eind")
    compact = "".join(text.split())  # spaces are named above
    if unicodedata.normalize("NFKC", compact) != compact:
        found.append("tekens in een andere vorm (zoals volle breedte)")
    return ", ".join(found)


def column_text_issues(texts: list[str], rich: bool = True) -> dict[int, list[TextIssue]]:
    """text_issues for a whole column: the positions of the cells with something to report.

    The validator's loop over hundreds of thousands of cells; the quick proof of
    text_issues is made here inline, so the usual clean cell costs no call.
    """
    found = {}
    for index, text in enumerate(texts):
        if text and (
            "<" in text or "_x" in text or "#" in text or not text.isascii() or not text.isprintable()
        ):
            issues = text_issues(text, rich)
            if issues:
                found[index] = issues
    return found


def looks_like_html(text: str) -> bool:
    return any(m.group(1).lower() in SUPPORTED_TAGS for m in _HTML_HINT.finditer(text))


def parse_rich(value: object) -> RichText:
    """Read a cell into paragraphs; never raises, never drops visible text."""
    if value is None:
        return RichText()
    raw = excel_general(value) if value.__class__ is float else str(value)  # type: ignore[arg-type]
    lines = simple_paragraphs(raw)
    if lines is not None:
        return RichText([Paragraph([Run(line)]) for line in lines], raw)
    doc = _read(raw)
    doc.source = raw
    return doc


def _read(raw: str) -> RichText:
    """The general reading of a cell: HTML by the builder, anything else line by line."""
    text, _ = clean_text(raw)
    doc = _parse_html(text) if looks_like_html(text) else _parse_lines(text)
    doc.paragraphs = [p for p in doc.paragraphs if p.text.strip()]
    return doc


def simple_paragraphs(value: object) -> list[str] | None:
    """The paragraphs of a cell that is only text, or None when it needs parse_rich.

    Most cells are one plain line or the CMS's "<p>…</p> <p>…</p>"; the build writes
    these straight to Word without building a RichText. Tests prove both paths give
    what the general readers (lines, html.parser) give.
    """
    if value is None:
        return []
    text = (
        value if value.__class__ is str else excel_general(value) if value.__class__ is float else str(value)
    )  # type: ignore[arg-type]
    if "_x" in text or "\r" in text or (not text.isprintable() and _ILLEGAL.search(text)):
        return None  # clean_text would change it (isprintable() is the quick proof it won't)
    if "<" not in text:
        if "\n" in text or "*" in text or _bullet(text) or _NUMBER_LINE.match(text):
            return None
        line = text.strip()
        return [line] if line else []
    if not _PLAIN_PARAGRAPHS.match(text):
        return None
    lines = [" ".join(body.split()) for body in _P_BODY.findall(text)]
    return [line for line in lines if line]


def _bullet(line: str) -> tuple[str, str] | None:
    """(marker, text) of a bullet line: typed ("- ", "• "), pasted from Word (a Symbol or
    Wingdings bullet, "o" and "§" with a tab); None for any other line and for a marker
    without text (that is printed as typed)."""
    match = _BULLET_LINE.match(line)
    if match is None:
        return None
    typed, word, plain = match.group(1), match.group(2), match.group(3)
    body = match.group(4).strip()
    if not body:
        return None
    return typed or word or plain, body


def _parse_lines(text: str) -> RichText:
    doc = RichText()
    ranks: list[tuple[Paragraph, int]] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        bullet = _bullet(line)
        number = _NUMBER_LINE.match(line) if bullet is None else None
        if bullet is not None:
            marker, body = bullet
            paragraph = Paragraph(_inline_runs(body), "bullet")
            ranks.append((paragraph, _MARKER_RANK.get(marker, 1)))
        elif number and len(line) > 4:
            label, mark, body = number.groups()
            paragraph = Paragraph(_inline_runs(f"{label}{mark} {body.strip()}"), "number")
            ranks.append((paragraph, 2 if label.islower() else 1))
        else:
            paragraph = Paragraph(_inline_runs(line.strip()))
        doc.paragraphs.append(paragraph)
    for kind in ("bullet", "number"):  # the ranks a cell uses are its levels, in order
        used = sorted({rank for p, rank in ranks if p.list_kind == kind})
        for p, rank in ranks:
            if p.list_kind == kind:
                p.level = used.index(rank)
    return doc


def _inline_runs(text: str) -> list[Run]:
    """Markdown's **bold** and *italic* as the officer meant them; other text as typed."""
    if "*" not in text:
        return [Run(text)]
    runs = []
    position = 0
    for match in _EMPHASIS.finditer(text):
        if match.start() > position:
            runs.append(Run(text[position : match.start()]))
        bold = match.group(1) == "**"
        runs.append(Run(match.group(2), bold=bold, italic=not bold))
        position = match.end()
    if position < len(text):
        runs.append(Run(text[position:]))
    return runs or [Run(text)]


def _collapse(text: str) -> str:
    """Runs of whitespace as one space, as a browser shows them (str.split is C-fast)."""
    words = text.split()
    joined = " ".join(words)
    if not words:
        return " " if text else ""
    if text[0].isspace():
        joined = " " + joined
    if text[-1].isspace():
        joined += " "
    return joined


@dataclass
class _OpenList:
    """A <ul> or <ol> being read: whether it had an <li>, its first paragraph, and how it
    counts (<ol type="a" start="3">)."""

    kind: str
    start: int
    saw_li: bool = False
    style: str = "1"
    first: int = 1


@dataclass
class _Table:
    """An HTML table being read: where its paragraphs start and where each cell starts."""

    start: int
    lists: list[_OpenList]  # the lists around the table, set aside inside it
    rows: list[list[int]] = field(default_factory=list)
    headers: list[bool] = field(default_factory=list)  # per row: only <th> cells
    complex: str = ""  # why it cannot be 'label: value' lines


class _Builder(HTMLParser):
    """Turns the CMS's HTML fragments into paragraphs; stdlib parser, no network."""

    _STYLE = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = RichText()
        self.current: Paragraph | None = None
        self.styles: list[str] = []
        self.lists: list[_OpenList] = []
        self.tables: list[_Table] = []

    def _paragraph(self) -> Paragraph:
        if self.current is None:
            kind: ListKind = None
            level = 0
            if self.lists:
                kind = "number" if self.lists[-1].kind == "ol" else "bullet"
                level = len(self.lists) - 1
            self.current = Paragraph(list_kind=kind, level=level)
            self.doc.paragraphs.append(self.current)
        return self.current

    def _close(self) -> None:
        self.current = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SUPPORTED_TAGS:
            return  # its text is kept; text_issues reports the tag
        if tag in ("p", "div", "caption"):
            self._close()
        elif tag == "br":
            if self.current is not None:
                self.current.runs.append(Run("\n"))
        elif tag in ("ul", "ol"):
            self._close()
            given = dict(attrs)
            self.lists.append(
                _OpenList(
                    tag,
                    len(self.doc.paragraphs),
                    style=(given.get("type") or "1").strip(),
                    first=_whole(given.get("start"), 1),
                )
            )
        elif tag == "li":
            self._close()
            if self.lists:
                self.lists[-1].saw_li = True
            self._paragraph()
        elif tag in self._STYLE or tag in ("sup", "sub"):
            self.styles.append(tag)
        elif tag in _TABLE_TAGS:
            self._table_start(tag, dict(attrs))

    def _table_start(self, tag: str, attrs: dict[str, str | None]) -> None:
        """<table>, <tr>, <td>/<th>: every cell its own paragraphs, never glued together."""
        self._close()
        if tag == "table":
            if self.tables:
                self.tables[-1].complex = "een tabel in een tabel"
            self.tables.append(_Table(len(self.doc.paragraphs), self.lists))
            self.lists = []
            return
        if not self.tables:
            return
        table = self.tables[-1]
        if tag == "tr":
            table.rows.append([])
            table.headers.append(True)
        elif tag in ("td", "th"):
            if not table.rows:
                table.rows.append([])
                table.headers.append(True)
            table.rows[-1].append(len(self.doc.paragraphs))
            table.headers[-1] = table.headers[-1] and tag == "th"
            if _whole(attrs.get("colspan"), 1) > 1 or _whole(attrs.get("rowspan"), 1) > 1:
                table.complex = table.complex or "samengevoegde cellen"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in SUPPORTED_TAGS:
            return
        if tag in ("p", "div", "li", "caption", "td", "th", "tr", "thead", "tbody", "tfoot"):
            self._close()
        elif tag in ("ul", "ol") and self.lists:
            info = self.lists.pop()
            self._close()
            if not info.saw_li:
                self._split_inline_items(info.start, info.kind)
            elif info.kind == "ol":
                self._number_items(info, len(self.lists))
        elif tag == "table" and self.tables:
            self._table_end()
        elif tag in self.styles:
            # close the innermost matching style
            index = len(self.styles) - 1 - self.styles[::-1].index(tag)
            del self.styles[index]

    def _table_end(self) -> None:
        """A simple table (rows of at most two cells, one line each) as 'label: value'
        lines; any other as one line per row, the cells between ' | ', and a note."""
        while self.lists:  # a list left open in a cell ends with its table
            self.handle_endtag(self.lists[-1].kind)
        self._close()
        table = self.tables.pop()
        self.lists = table.lists
        paragraphs = self.doc.paragraphs
        starts = [start for row in table.rows for start in row]
        ends = iter(starts[1:] + [len(paragraphs)])  # an empty cell ends where it starts
        rows = [
            [[p for p in paragraphs[start : next(ends)] if p.text.strip()] for start in row]
            for row in table.rows
        ]
        kept = [(row, header) for row, header in zip(rows, table.headers, strict=True) if any(row)]
        reason = table.complex
        if not reason and any(len(row) > 2 for row, _ in kept):
            reason = f"{max(len(row) for row, _ in kept)} kolommen"
        if not reason and any(header and len(row) > 1 for row, header in kept):
            reason = "een kopregel"
        if not reason and any(len(cell) > 1 or cell[0].list_kind for row, _ in kept for cell in row if cell):
            reason = "alinea's of opsommingen in een cel"
        out = [
            p for p in paragraphs[table.start : starts[0] if starts else len(paragraphs)] if p.text.strip()
        ]  # a caption, or text before the first cell
        for row, _ in kept:
            texts = [_joined_cell(cell) for cell in row if cell]
            if reason:
                line = _join_runs(texts, " | ")
            elif len(texts) == 2:
                label = texts[0]
                glue = " " if label[-1].text.rstrip().endswith(":") else ": "
                line = label + [Run(glue)] + texts[1]
            else:
                line = texts[0]
            out.append(Paragraph(line, *self._list_place()))
        del paragraphs[table.start :]
        paragraphs.extend(out)
        if reason:
            self.doc.notes.append(TextIssue("html-tabel", reason))

    def _list_place(self) -> tuple[ListKind, int]:
        """The list kind and level a paragraph gets where the builder stands."""
        if not self.lists:
            return None, 0
        return ("number" if self.lists[-1].kind == "ol" else "bullet"), len(self.lists) - 1

    def _split_inline_items(self, start: int, kind: str) -> None:
        """A list without <li> that spells its items as "• …" or "1) …" in one line."""
        paragraphs = self.doc.paragraphs[start:]
        pieces = _INLINE_ITEM.split("".join(p.text for p in paragraphs))
        if len(pieces) < 3:
            for p in paragraphs:
                p.list_kind = None
            return
        items = [Paragraph([Run(pieces[0].strip())])] if pieces[0].strip() else []
        for marker, body in zip(pieces[1::2], pieces[2::2], strict=True):
            if marker == "•":
                items.append(Paragraph([Run(body.strip())], "bullet"))
            else:
                items.append(Paragraph([Run(f"{marker} {body.strip()}")], "number"))
        self.doc.paragraphs[start:] = items

    def _number_items(self, info: _OpenList, level: int) -> None:
        """Spell out <ol> numbers in the text, so every output shows the same numbers;
        in the list's own style (type="a": a., b.) from its start (start="3")."""
        n = info.first
        style = info.style
        for p in self.doc.paragraphs[info.start :]:
            if p.list_kind == "number" and p.level == level and p.runs:
                p.runs.insert(0, Run(f"{_list_number(n, style)}. "))
                n += 1

    def handle_data(self, data: str) -> None:
        text = _collapse(data)
        if not text.strip() and self.current is None:
            return
        paragraph = self._paragraph()
        if not paragraph.runs or paragraph.runs[-1].text.endswith("\n"):
            text = text.lstrip()
        if not self.styles:
            paragraph.runs.append(Run(text))
            return
        styles = set(self.styles)
        vertical = "superscript" if "sup" in styles else "subscript" if "sub" in styles else None
        paragraph.runs.append(
            Run(
                text,
                bold=bool(styles & {"b", "strong"}),
                italic=bool(styles & {"i", "em"}),
                underline="u" in styles,
                vertical=vertical,  # type: ignore[arg-type]
            )
        )


def _whole(text: str | None, default: int) -> int:
    """An attribute's whole number (start="3", colspan="2"); default when it is none."""
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) <= 6 else default


def _list_number(n: int, style: str) -> str:
    """n as an <ol type> shows it: 3, c, C, iii or III."""
    if style in ("a", "A") and n >= 1:
        letters = ""
        while n > 0:
            n, rest = divmod(n - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters if style == "a" else letters.upper()
    if style in ("i", "I") and 1 <= n < 4000:
        numerals = ""
        for value, numeral in (
            (1000, "m"),
            (900, "cm"),
            (500, "d"),
            (400, "cd"),
            (100, "c"),
            (90, "xc"),
            (50, "l"),
            (40, "xl"),
            (10, "x"),
            (9, "ix"),
            (5, "v"),
            (4, "iv"),
            (1, "i"),
        ):
            count, n = divmod(n, value)
            numerals += numeral * count
        return numerals if style == "i" else numerals.upper()
    return str(n)


def _joined_cell(cell: list[Paragraph]) -> list[Run]:
    """A table cell's paragraphs as one line of runs (a space between them), without the
    spaces around it (they would end up before the ':' or the ' | ')."""
    runs = _join_runs([p.runs for p in cell], " ")
    if runs:
        runs[0] = runs[0]._replace(text=runs[0].text.lstrip())
        runs[-1] = runs[-1]._replace(text=runs[-1].text.rstrip())
    return [r for r in runs if r.text]


def _join_runs(parts: list[list[Run]], glue: str) -> list[Run]:
    out: list[Run] = []
    for index, runs in enumerate(parts):
        if index:
            out.append(Run(glue))
        out.extend(r._replace(text=r.text.replace("\n", " ")) if "\n" in r.text else r for r in runs)
    return out


def _parse_html(text: str) -> RichText:
    builder = _Builder()
    if not _feed_simple(builder, text):
        builder.feed(text)
        builder.close()
    while builder.lists or builder.tables:  # CMS fragments often leave </ul> out
        if builder.lists:
            builder.handle_endtag(builder.lists[-1].kind)
        else:
            builder.handle_endtag("table")
    doc = builder.doc
    for p in doc.paragraphs:
        # trim the paragraph's outer whitespace but keep inner spacing between runs
        if p.runs:
            first = p.runs[0]
            if first.text[:1].isspace():
                p.runs[0] = first._replace(text=first.text.lstrip())
            last = p.runs[-1]  # the same run as first when there is one
            if last.text[-1:].isspace():
                p.runs[-1] = last._replace(text=last.text.rstrip())
            p.runs = [r for r in p.runs if r.text]
            if p.list_kind == "bullet" and p.runs:  # "<li>• tekst</li>": one bullet, not two
                head = p.runs[0]
                stripped = _LEADING_BULLET.sub("", head.text, count=1)
                if stripped != head.text:
                    p.runs[0] = head._replace(text=stripped)
                    p.runs = [r for r in p.runs if r.text]
    return doc


def _feed_simple(builder: _Builder, text: str) -> bool:
    """Drive the builder from one regex pass instead of html.parser's scanner.

    Returns False, before calling the builder, for anything beyond simple HTML; there
    both give the builder the same calls (a property test compares them).
    """
    tokens = _HTML_TOKEN.findall(text)
    for start, attrs, _, _, _, rest in tokens:
        if rest or start.lower() in _RAW_TEXT_TAGS or (attrs and _READ_ATTRIBUTE.search(attrs)):
            return False
    for start, _, closed, end, data, _ in tokens:
        if data:
            builder.handle_data(html.unescape(data) if "&" in data else data)
        elif end:
            builder.handle_endtag(end.lower())
        elif closed:
            builder.handle_startendtag(start.lower(), [])
        else:
            builder.handle_starttag(start.lower(), [])
    return True


def visible_chars(text: str) -> str:
    """The characters a reader sees in a cell, spacing and bullets aside.

    Used to prove that reading rich text lost nothing: compare with
    ``visible_chars(parse_rich(text).plain)``.
    """
    text, _ = clean_text(text)
    if looks_like_html(text):
        text = re.sub(
            r"(<li\b[^>]*>)\s*(?:[•·▪◦●○■\-–*]\s+|[" + PRIVATE_USE + r"])", r"\1", text
        )  # a typed bullet in a list
        text = html.unescape(_HTML_HINT.sub(" ", text))
    return re.sub(r"[\s•]+", "", text)
