"""What the cell values alone do not tell, read from the sheets' XML.

Both readers give values only: not that a row or column is hidden (a filter left on),
not that a formula was never calculated (a script wrote it; the value is missing, not
empty); calamine reads a cell that shows an Excel error (#NAME?) as empty, and a
shared-string reference that is not a number as the first string. This module looks at
the bytes: plain searches first, which find nothing in an ordinary register, and a closer
look at one kind of element only where they do. Every pattern stops at the next "<", so
the cost stays linear in the size of the sheet.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from xlsxwriter.utility import xl_col_to_name

from toolkit.core.errors import RegisterUnreadable
from toolkit.declarations import schema


@dataclass
class SheetFacts:
    """One sheet's hidden rows and columns and its formula cells without a value."""

    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[str] = field(default_factory=list)  # letters, left to right
    uncalculated: set[str] = field(default_factory=set)  # cell references, "B2"
    #: cells that show an Excel error: "B2" -> "#NAME?" (a line typed as "-tekst" was
    #: taken for a formula); both readers give them as empty
    errors: dict[str, str] = field(default_factory=dict)
    hidden_sheet: bool = False  # the whole tab hidden (Blad verbergen)


def _patterns(prefix: bytes) -> dict[str, re.Pattern[bytes]]:
    p = prefix
    end_c = rb"/" + p + rb"c\s*>"
    return {
        "odd_value": re.compile(rb"<" + p + rb"v\s*(?:/>|>(?![0-9]+</))"),
        "formula": re.compile(rb"<" + p + rb"f[\s/>]"),
        "error": re.compile(rb"""t\s*=\s*["']e["']"""),  # an attribute t: see _attribute_found
        # a cell's content ends at its </c> and never runs into the next cell
        "cell": re.compile(
            rb"<"
            + p
            + rb"c(?:\s([^<>]*?))?(?:/>|>((?:[^<]|<(?!"
            + p
            + rb"c[\s/>]|"
            + end_c
            + rb"))*)<"
            + end_c
            + rb")"
        ),
        "value": re.compile(rb"<" + p + rb"v\s*(?:/>|>(.*?)</" + p + rb"v\s*>)", re.DOTALL),
        "row": re.compile(rb"<" + p + rb"row\s([^<>]*)>"),
        "col": re.compile(rb"<" + p + rb"col\s([^<>]*)>"),
    }


_PLAIN = _patterns(b"")
_PREFIXED = _patterns(rb"(?:[A-Za-z_][\w.-]*:)?")
_ATTR = re.compile(rb"""([A-Za-z_:][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TRUE = ("1", "true")
MAX_COLUMNS = 16_384  # Excel's last column, XFD


def _attrs(text: bytes | None) -> dict[str, str]:
    """Attributes as an XML parser reads them: either quote, character references decoded."""
    if not text:
        return {}
    return {
        name.decode("ascii", "replace").split(":")[-1]: html.unescape(
            (double or single).decode("utf-8", "replace")
        )
        for name, double, single in _ATTR.findall(text)
    }


#: a row 0 high or a column 0 wide (not fitToHeight="0" of every register's page setup:
#: see _attribute_found)
_ZERO_SIZE = (
    re.compile(rb"""ht\s*=\s*["']0*(?:\.0*)?["']"""),
    re.compile(rb"""width\s*=\s*["']0*(?:\.0*)?["']"""),
)
_NAME_CHAR = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
_SPACE = frozenset(b" \t\r\n")


def _attribute_found(pattern: re.Pattern[bytes], xml: bytes, after_space: bool = False) -> bool:
    """Whether the pattern matches where an attribute begins (not at the end of a longer
    name, like fitToHeight; after_space: only right after white space, so not after a
    prefix either). Each pattern begins with its name's letters: re then skips to them,
    ten times faster over a sheet of 20 MB than a look-behind or an \\s first."""
    for match in pattern.finditer(xml):
        at = match.start()
        before = xml[at - 1] if at else 32
        if before in _SPACE if after_space else before not in _NAME_CHAR:
            return True
    return False


def _hidden(attrs: dict[str, str], size: str) -> bool:
    """Hidden, or made as small as nothing (a row 0 high, a column 0 wide)."""
    if attrs.get("hidden", "").strip() in _TRUE:
        return True
    try:
        return float(attrs.get(size, "") or "nan") == 0
    except ValueError:
        return False


def _text(raw: bytes | None) -> str:
    """An element's text as an XML parser reads it (CDATA and references decoded)."""
    text = (raw or b"").decode("utf-8", "replace")
    if "<![CDATA[" in text:
        text = re.sub(r"<!\[CDATA\[(.*?)\]\]>", lambda m: html.escape(m.group(1)), text, flags=re.DOTALL)
    return html.unescape(text)


def scan_sheet(xml: bytes, sheet: str, register_name: str) -> SheetFacts:
    """Hidden rows and columns and uncalculated formulas of one sheet.

    Raises RegisterUnreadable for a shared-string reference that is not a plain number:
    a reader would show another cell's text instead.
    """
    patterns = _PLAIN if b"<sheetData" in xml else _PREFIXED
    facts = SheetFacts()
    if patterns["odd_value"].search(xml):  # only numbers with a sign, decimals, exponents
        for match in patterns["cell"].finditer(xml):
            attrs = _attrs(match.group(1))
            if attrs.get("t", "").strip() != "s" or not match.group(2):
                continue
            value = patterns["value"].search(match.group(2))
            if value is None:
                continue  # no reference: an empty cell
            index = _text(value.group(1)).strip()
            if not (index.isascii() and index.isdigit()):
                raise RegisterUnreadable(
                    f"'{register_name}' is beschadigd: cel {sheet}!{attrs.get('r', '?')} "
                    f"verwijst naar tekst nummer '{index[:20]}', die niet bestaat. Open het "
                    f"register in Excel, controleer die cel, sla het op en probeer opnieuw."
                )
    if patterns["formula"].search(xml):
        for match in patterns["cell"].finditer(xml):
            content = match.group(2)
            if not content or not patterns["formula"].search(content):
                continue
            value = patterns["value"].search(content)
            if value is None or not value.group(1):
                ref = _attrs(match.group(1)).get("r", "").strip()
                if ref:  # a cell without a reference cannot be pointed at; it reads as empty
                    facts.uncalculated.add(ref.upper())
    if _attribute_found(patterns["error"], xml, after_space=True):
        for match in patterns["cell"].finditer(xml):
            attrs = _attrs(match.group(1))
            if attrs.get("t", "").strip() != "e":
                continue
            value = patterns["value"].search(match.group(2) or b"")
            ref = attrs.get("r", "").strip().upper()
            if ref and len(ref) <= 10:
                shown = _text(value.group(1) if value else b"").strip()[:20]
                facts.errors[ref] = shown or "#FOUT"
    if b"hidden" in xml or any(_attribute_found(p, xml) for p in _ZERO_SIZE):
        for match in patterns["row"].finditer(xml):
            attrs = _attrs(match.group(1))
            row = attrs.get("r", "").strip()
            if _hidden(attrs, "ht") and row.isascii() and row.isdigit() and len(row) <= 7:
                facts.hidden_rows.append(int(row))
        columns: set[int] = set()  # repeated or overlapping <col> elements count once
        for match in patterns["col"].finditer(xml):
            attrs = _attrs(match.group(1))
            first, last = attrs.get("min", "").strip(), attrs.get("max", "").strip()
            if (
                _hidden(attrs, "width")
                and first.isascii()
                and first.isdigit()
                and last.isascii()
                and last.isdigit()
                and len(first) <= 6
            ):
                last = last if len(last) <= 6 else str(MAX_COLUMNS)
                low, high = max(int(first), 1), min(int(last), MAX_COLUMNS)
                if len(columns) < MAX_COLUMNS:
                    columns.update(range(low, high + 1))
        facts.hidden_columns = [xl_col_to_name(i - 1) for i in sorted(columns)]
    return facts


def _sheet_members(archive: zipfile.ZipFile, hidden: set[str] | None = None) -> dict[str, str]:
    """Sheet title to the zip member holding its XML, from the workbook and its relations.

    The titles of hidden sheets (state hidden or veryHidden) are added to hidden.
    """
    from defusedxml.ElementTree import fromstring

    workbook = fromstring(archive.read("xl/workbook.xml"))
    rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    members = {}
    for element in workbook.iter():
        if element.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
        target = targets.get(rid, "")
        if target:
            member = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
            members[element.get("name", "")] = member
        if hidden is not None and element.get("state", "visible") in ("hidden", "veryHidden"):
            hidden.add(element.get("name", ""))
    return members


def scan_register(path: Path) -> dict[str, SheetFacts]:
    """SheetFacts of every worksheet: Pilots, Acties, Lijsten and Instellingen keyed by the
    schema's names, any other by its title (it may be the sheet of a register's own annex
    type, which the reader knows only later: register._fill renames it).

    Every worksheet is looked at for references that would be read wrongly (the only
    thing this raises RegisterUnreadable for), also when the workbook's list of sheets
    cannot be followed; a file this scan cannot open gives no facts, and the readers
    give the message.
    """
    wanted = (*(sheet.name for sheet in schema.TABLE_SHEETS), schema.LISTS_SHEET, schema.SETTINGS_SHEET)
    facts: dict[str, SheetFacts] = {}
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        return facts
    with archive:
        hidden: set[str] = set()
        try:
            members = _sheet_members(archive, hidden)
        except Exception:  # noqa: BLE001 - the readers say what is wrong with the workbook
            members = {}
        names = {member: title for title, member in members.items()}
        for info in archive.infolist():
            member = info.filename
            if not (member.startswith("xl/worksheets/") and member.endswith(".xml")):
                continue
            title = names.get(member, member)
            try:
                xml = archive.read(info)
            except Exception:  # noqa: BLE001
                continue
            sheet = next((w for w in wanted if schema.normalise(w) == schema.normalise(title)), None)
            found = scan_sheet(xml, sheet or title, path.name)
            found.hidden_sheet = title in hidden
            facts.setdefault(sheet or title, found)  # another sheet may be a declared type's
    return facts
