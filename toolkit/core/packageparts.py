"""What the parts of an Office package are, judged on their content, never their spelling.

A template is checked for anything Word or LibreOffice would fetch from elsewhere or run:
an external relationship that is not a hyperlink a reader clicks, a field that includes
a file or address, a macro. The decision rests on what the package says a part is (its
content type in [Content_Types].xml, the exact relationship type, the parsed XML, the
field code assembled across runs), so a header not named .xml, an image relationship
whose type merely ends in /hyperlink, INCLUDEPICTURE split over runs or spelled with a
character reference, are all seen for what they are.

A register may carry macros too; `strip_macros` takes them out of the annotated copy
(and makes the content types consistent), so nothing the toolkit writes carries one.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
#: the relationships namespace and its Strict spelling: attributes such as r:id, r:embed
REL_NAMESPACES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
HYPERLINK_TYPES = frozenset(ns + "/hyperlink" for ns in REL_NAMESPACES)
RELS_CT = "application/vnd.openxmlformats-package.relationships+xml"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
#: the Word parts that hold text a reader sees, where a hyperlink makes sense
STORY_TYPES = frozenset(
    _WML + kind + "+xml"
    for kind in (
        "document.main",
        "template.main",
        "document.glossary",
        "header",
        "footer",
        "footnotes",
        "endnotes",
        "comments",
    )
)
#: elements that use a relationship as a hyperlink (w:hyperlink, a:hlinkClick, …)
_HYPERLINK_ELEMENTS = frozenset({"hyperlink", "hlinkClick", "hlinkHover", "hlinkMouseOver"})
#: fields that include a file or fetch an address, by their (case-insensitive) name
FETCHING_FIELDS = frozenset(
    {"INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "IMPORT", "LINK", "DDE", "DDEAUTO", "DATABASE", "RD"}
)
#: content types and relationship types of macros and what runs them (lower case)
_MACRO_MARKS = (
    "macroenabled",
    "vbaproject",
    "vbadata",
    "activex",
    "keymapcustomizations",
    "attachedtoolbars",
    "macrosheet",
    "ms-excel.intlmacrosheet",
)
_MACRO_PART = re.compile(r"(^|/)(vba[^/]*\.bin|vbadata\.xml|activex/[^/]*)$", re.IGNORECASE)
_SCHEME = re.compile(r"^\s*(?:[A-Za-z][A-Za-z0-9+.\-]*:|//|\\\\)")
_EXTERNAL_KINDS = {
    "image": "een afbeelding",
    "oleObject": "een ingesloten object",
    "attachedTemplate": "een gekoppelde Word-sjabloon",
    "frame": "een frame",
    "subDocument": "een subdocument",
    "package": "een ingesloten bestand",
    "video": "een video",
    "audio": "geluid",
    "media": "media",
    "hyperlink": "iets (een relatie van het soort hyperlink die niet als link wordt gebruikt)",
    "aFChunk": "een ingevoegd stuk tekst of HTML (altChunk)",
    "mailMergeSource": "een bron voor samenvoegen",
    "mailMergeHeaderSource": "een bron voor samenvoegen",
}


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _namespace(tag: object) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _parser():  # type: ignore[no-untyped-def]
    """lxml without entities, DTDs or network; the file check refused DTDs already."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


@dataclass(frozen=True)
class Relationship:
    source: str  # the part it belongs to ("" for the package itself)
    rels: str  # the .rels part it is written in
    id: str
    type: str
    target: str
    external: bool

    @property
    def kind(self) -> str:
        return self.type.strip().rsplit("/", 1)[-1]

    @property
    def part(self) -> str:
        """The part an internal relationship points at, as a zip member name."""
        target = self.target.split("#", 1)[0]
        if target.startswith("/"):
            return posixpath.normpath(target.lstrip("/"))
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.source), target))


@dataclass
class Package:
    """The members of an Office package, their content types and relationships."""

    names: list[str]
    defaults: dict[str, str] = field(default_factory=dict)  # extension (lower) -> type
    overrides: dict[str, str] = field(default_factory=dict)  # part name (lower) -> type
    relationships: list[Relationship] = field(default_factory=list)

    def content_type(self, name: str) -> str:
        override = self.overrides.get("/" + name.lower())
        if override is not None:
            return override
        extension = name.rsplit(".", 1)[-1].lower() if "." in posixpath.basename(name) else ""
        return self.defaults.get(extension, "")

    def is_relationships(self, name: str) -> bool:
        return (
            self.content_type(name) == RELS_CT
            or name.lower().endswith(".rels")
            or "/_rels/" in "/" + name.lower()
        )


class Refused(Exception):
    """What a package may not hold, in Dutch; the caller names the file."""


def _source_of(rels: str) -> str:
    """The part a relationships part belongs to: word/_rels/document.xml.rels -> word/document.xml."""
    folder, name = posixpath.split(rels)
    parent = posixpath.dirname(folder) if posixpath.basename(folder).lower() == "_rels" else folder
    base = name[:-5] if name.lower().endswith(".rels") else name
    return posixpath.join(parent, base) if base else ""


def read_package(archive: zipfile.ZipFile, broken: Callable[[str], Exception]) -> Package:
    """Content types and every relationship, parsed (defusedxml: no DTDs, no entities)."""
    from defusedxml.ElementTree import fromstring

    names = [info.filename for info in archive.infolist() if not info.is_dir()]
    package = Package(names)

    def parse(member: str):  # type: ignore[no-untyped-def]
        try:
            return fromstring(archive.read(member))
        except Exception as exc:  # noqa: BLE001 - defusedxml or a parse error
            raise broken(member) from exc

    types = next((n for n in names if n.lower() == "[content_types].xml"), None)
    if types is not None:
        for element in parse(types):
            kind = element.get("ContentType") or ""
            if _local(element.tag) == "Default":
                package.defaults[(element.get("Extension") or "").lower()] = kind.strip().lower()
            elif _local(element.tag) == "Override":
                package.overrides[(element.get("PartName") or "").lower()] = kind.strip().lower()
    for member in names:
        if not package.is_relationships(member):
            continue
        source = _source_of(member)
        for element in parse(member).iter():
            if _local(element.tag) != "Relationship":
                continue
            target = element.get("Target") or ""
            mode = (element.get("TargetMode") or "").strip().lower()
            package.relationships.append(
                Relationship(
                    source,
                    member,
                    element.get("Id") or "",
                    element.get("Type") or "",
                    target,
                    mode == "external" or bool(_SCHEME.match(target)),
                )
            )
    return package


def macro_parts(package: Package) -> list[tuple[str, str]]:
    """Parts that are macros or run them: (part, what gives it away)."""
    found: list[tuple[str, str]] = []
    for name in package.names:
        kind = package.content_type(name)
        if any(mark in kind for mark in _MACRO_MARKS):
            found.append((name, kind))
        elif _MACRO_PART.search(name):
            found.append((name, "naam"))
    for rel in package.relationships:
        if any(mark in rel.type.lower() for mark in _MACRO_MARKS):
            found.append((rel.part if not rel.external else rel.target, rel.kind))
    for kind in (*package.defaults.values(), *package.overrides.values()):
        if any(mark in kind for mark in _MACRO_MARKS) and not any(k == kind for _, k in found):
            found.append(("[Content_Types].xml", kind))
    return found


def _uses(data: bytes) -> dict[str, set[str]]:
    """Per relationship id, the local names of the elements that use it in a part."""
    from lxml import etree

    uses: dict[str, set[str]] = {}
    for event, element in etree.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
    ):
        if event == "end":
            if _local(element.tag) in ("p", "tbl"):
                element.clear()  # keep memory flat on a large part
            continue
        for name, value in element.attrib.items():
            if _namespace(name) in REL_NAMESPACES:
                uses.setdefault(value.strip(), set()).add(_local(element.tag))
    return uses


def check_relationships(archive: zipfile.ZipFile, package: Package) -> None:
    """An external relationship stays only as a real hyperlink, from a part with text."""
    uses_of: dict[str, dict[str, set[str]]] = {}
    for rel in package.relationships:
        if rel.kind == "aFChunk":
            raise Refused(_refusal(rel, "aFChunk"))
        if not rel.external:
            continue
        fine = rel.type in HYPERLINK_TYPES and package.content_type(rel.source) in STORY_TYPES
        if fine:
            if rel.source not in uses_of:
                try:
                    uses_of[rel.source] = _uses(archive.read(rel.source))
                except KeyError:
                    uses_of[rel.source] = {}
            users = uses_of[rel.source].get(rel.id.strip(), set())
            fine = users <= _HYPERLINK_ELEMENTS
        if not fine:
            raise Refused(_refusal(rel, rel.kind))


def _refusal(rel: Relationship, kind: str) -> str:
    what = _EXTERNAL_KINDS.get(kind, f"een gekoppeld onderdeel ({kind})")
    return (
        f"haalt {what} van buiten het bestand: '{rel.target[:120]}' (relatie {kind} in "
        f"'{rel.rels}'). Bij het maken van de bijlagen en de PDF zou dat van het netwerk "
        f"worden gehaald, en de koppeling zou in elke bijlage meegaan. Voeg de afbeelding "
        f"of het onderdeel in het sjabloon zelf in (in Word: Invoegen > Afbeeldingen > Dit "
        f"apparaat, zonder 'Koppelen') of verwijder de koppeling."
    )


@dataclass
class _Field:
    code: list[str] = field(default_factory=list)
    in_code: bool = True
    named_by_field: bool = False  # a nested field stood before the field's name

    def name(self) -> str:
        words = "".join(self.code).split()
        return _field_name(words[0]) if words else ""


def _field_name(word: str) -> str:
    return word.strip("\"'\u201c\u201d\u2018\u2019\\").upper()


def field_codes(data: bytes) -> Iterator[tuple[str, bool]]:
    """Every field's name in a WordprocessingML part, assembled across runs and nesting.

    Yields (name, named_by_field): the second is True when a nested field stands where
    the name should be (Word would then take the name from that field's result).
    """
    from lxml import etree

    stack: list[_Field] = []
    for _, element in etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
    ):
        local = _local(element.tag)
        if local == "fldSimple":
            instr = next((v for k, v in element.attrib.items() if _local(k) == "instr"), "")
            words = instr.split()
            yield (_field_name(words[0]) if words else ""), False
        elif local in ("instrText", "delInstrText"):
            if stack and stack[-1].in_code:
                stack[-1].code.append(element.text or "")
            else:
                words = (element.text or "").split()
                if words:
                    yield _field_name(words[0]), False
        elif local == "fldChar":
            kind = next((v for k, v in element.attrib.items() if _local(k) == "fldCharType"), "")
            kind = kind.strip()
            if kind == "begin":
                if stack and stack[-1].in_code and not "".join(stack[-1].code).strip():
                    stack[-1].named_by_field = True
                stack.append(_Field())
            elif kind == "separate" and stack:
                if stack[-1].in_code:
                    yield stack[-1].name(), stack[-1].named_by_field
                stack[-1].in_code = False
            elif kind == "end" and stack:
                done = stack.pop()
                if done.in_code:
                    yield done.name(), done.named_by_field
        if local in ("p", "tbl", "hdr", "ftr", "footnote", "endnote", "comment"):
            element.clear()  # keep memory flat on a large part; its fields are read
    for unfinished in stack:
        if unfinished.in_code:
            yield unfinished.name(), unfinished.named_by_field


_XML_START = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"<")


def _looks_like_xml(archive: zipfile.ZipFile, name: str) -> bool:
    with archive.open(name) as stream:
        head = stream.read(64)
    return head.lstrip(b" \t\r\n").startswith(_XML_START)


def check_fields(archive: zipfile.ZipFile, package: Package) -> None:
    """No field in any part includes a file or fetches an address.

    Every XML part is read, whatever its name or content type says: a field is found by
    its element names in the parsed XML (any prefix, character references resolved)."""
    from lxml import etree

    for name in package.names:
        if package.is_relationships(name) or not _looks_like_xml(archive, name):
            continue
        try:
            for field_name, named_by_field in field_codes(archive.read(name)):
                if named_by_field:
                    raise Refused(
                        f"bevat een veld waarvan de naam uit een ander veld komt (in '{name}'); "
                        f"zo'n veld kan een bestand of adres van buiten het sjabloon ophalen. "
                        f"Verwijder het veld (Alt+F9 toont veldcodes)."
                    )
                if field_name in FETCHING_FIELDS:
                    raise Refused(
                        f"bevat een veld {field_name} (in '{name}') dat een bestand of adres "
                        f"van buiten het sjabloon ophaalt. Verwijder het veld (Alt+F9 toont "
                        f"veldcodes) en voeg de inhoud zelf in."
                    )
        except etree.XMLSyntaxError as exc:
            if not package.content_type(name).startswith(_WML):
                continue  # not Word text (a drawing in loose XML): nothing reads fields there
            raise Refused(
                f"is beschadigd (onderdeel '{name}' is geen leesbare XML). Sla het opnieuw op in Word."
            ) from exc


def check_office_package(archive: zipfile.ZipFile, broken: Callable[[str], Exception]) -> None:
    """Nothing fetched, nothing run: no macros, no external relationship other than a real
    hyperlink, no fetching field. Raises Refused with the reason (to follow the name)."""
    package = read_package(archive, broken)
    macros = macro_parts(package)
    if macros:
        part, kind = macros[0]
        raise Refused(
            f"bevat een macro of iets dat macro's uitvoert ('{part}', {kind}). Een bijlage "
            f"voor de raad bevat nooit macro's. Sla het sjabloon in Word op als "
            f"Word-document (*.docx), niet als document met macro's (*.docm), en verwijder "
            f"ActiveX-besturingselementen."
        )
    check_relationships(archive, package)
    check_fields(archive, package)


# -- taking macros out of a copy -------------------------------------------------------

_MAIN_TYPES = {
    "application/vnd.ms-excel.sheet.macroenabled.main+xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.ms-excel.template.macroenabled.main+xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.ms-excel.addin.macroenabled.main+xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}


def strip_macros(data: bytes) -> tuple[bytes, list[str]]:
    """The workbook without its macros: VBA project, macro sheets, ActiveX controls; the
    relationships to them and their content types gone, and the workbook's own content
    type that of a plain .xlsx. Returns the new bytes and the parts taken out."""
    from lxml import etree

    source = zipfile.ZipFile(io.BytesIO(data))
    package = read_package(source, lambda member: ValueError(member))
    found = macro_parts(package)
    main_fix = any(kind in _MAIN_TYPES for kind in package.overrides.values())
    if not found and not main_fix:
        return data, []
    # the workbook itself stays, with a plain workbook's content type
    removed = {
        part for part, _ in found if part in package.names and package.content_type(part) not in _MAIN_TYPES
    }
    # the parts only a removed part points at go too (a VBA project's signature, a
    # control's binary), found by following relationships from what is removed
    grew = True
    while grew:
        grew = False
        for rel in package.relationships:
            if (
                rel.source in removed
                and not rel.external
                and rel.part in package.names
                and rel.part not in removed
            ):
                removed.add(rel.part)
                grew = True
    removed |= {n for n in package.names if package.is_relationships(n) and _source_of(n) in removed}
    dropped_ids: dict[str, set[str]] = {}  # part -> relationship ids that pointed at removed parts
    for rel in package.relationships:
        if not rel.external and rel.part in removed or any(mark in rel.type.lower() for mark in _MACRO_MARKS):
            dropped_ids.setdefault(rel.source, set()).add(rel.id)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            name = info.filename
            if name in removed:
                continue
            content = source.read(name)
            if name.lower() == "[content_types].xml":
                content = _clean_content_types(content, removed)
            elif package.is_relationships(name) and _source_of(name) in dropped_ids:
                root = etree.fromstring(content, _parser())
                for element in list(root):
                    if element.get("Id") in dropped_ids[_source_of(name)]:
                        root.remove(element)
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif name in dropped_ids:
                content = _drop_sheet_entries(content, dropped_ids[name])
            target.writestr(info, content)
    return out.getvalue(), sorted(removed)


def macro_sheets(data: bytes) -> set[str]:
    """The titles of a workbook's macro sheets (Excel 4 macros, dialog sheets with code):
    the annotated copy leaves them out on purpose."""
    from defusedxml.ElementTree import fromstring

    with zipfile.ZipFile(io.BytesIO(data)) as source:
        package = read_package(source, lambda member: ValueError(member))
        book = next(
            (r.part for r in package.relationships if r.source == "" and r.kind == "officeDocument"), None
        )
        if book is None or book not in package.names:
            return set()
        by_id = {r.id: r for r in package.relationships if r.source == book}
        titles = set()
        for element in fromstring(source.read(book)).iter():
            if _local(element.tag) != "sheet":
                continue
            rid = next((v for k, v in element.attrib.items() if _namespace(k) in REL_NAMESPACES), "")
            rel = by_id.get(rid)
            if rel is not None and any(
                mark in (rel.type.lower() + package.content_type(rel.part)) for mark in _MACRO_MARKS
            ):
                titles.add(element.get("name") or "")
    return titles


def _clean_content_types(content: bytes, removed: set[str]) -> bytes:
    from lxml import etree

    root = etree.fromstring(content, _parser())
    gone = {"/" + name.lower() for name in removed}
    for element in list(root):
        kind = (element.get("ContentType") or "").lower()
        if _local(element.tag) == "Override":
            if (element.get("PartName") or "").lower() in gone:
                root.remove(element)
            elif kind in _MAIN_TYPES:
                element.set("ContentType", _MAIN_TYPES[kind])
        elif _local(element.tag) == "Default" and any(m in kind for m in _MACRO_MARKS):
            root.remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop_sheet_entries(content: bytes, ids: set[str]) -> bytes:
    """A workbook without the <sheet> entries of removed macro sheets (and the defined
    names local to them); any other part is kept as it is."""
    from lxml import etree

    root = etree.fromstring(content, _parser())
    if _local(root.tag) != "workbook":
        return _drop_elements_using(root, ids) if _uses_any(root, ids) else content
    sheets = next((el for el in root if _local(el.tag) == "sheets"), None)
    positions: list[int] = []
    titles: list[str] = []
    if sheets is not None:
        for position, sheet in enumerate(list(sheets)):
            if any(_namespace(k) in REL_NAMESPACES and v in ids for k, v in sheet.attrib.items()):
                positions.append(position)
                titles.append(sheet.get("name") or "")
                sheets.remove(sheet)
    names = next((el for el in root if _local(el.tag) == "definedNames"), None)
    if names is not None and positions:
        pointing = tuple(f"{t}!" for t in titles) + tuple("'" + t.replace("'", "''") + "'!" for t in titles)
        for name in list(names):
            if any(p in (name.text or "") for p in pointing):  # Auto_Open = Macro1!$A$1
                names.remove(name)
                continue
            local = name.get("localSheetId")
            if local is None or not local.isdigit():
                continue
            number = int(local)
            if number in positions:
                names.remove(name)
            else:
                name.set("localSheetId", str(number - sum(p < number for p in positions)))
        if not len(names):
            root.remove(names)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _uses_any(root, ids: set[str]) -> bool:  # type: ignore[no-untyped-def]
    return any(
        _namespace(k) in REL_NAMESPACES and v in ids
        for element in root.iter()
        for k, v in element.attrib.items()
    )


def _drop_elements_using(root, ids: set[str]) -> bytes:  # type: ignore[no-untyped-def]
    """A sheet without the elements (ActiveX controls) that point at removed parts."""
    from lxml import etree

    for element in list(root.iter()):
        if any(_namespace(k) in REL_NAMESPACES and v in ids for k, v in element.attrib.items()):
            control = next((a for a in element.iterancestors() if _local(a.tag) == "control"), element)
            if control.getparent() is not None:
                control.getparent().remove(control)
    emptied = True
    while emptied:  # <controls> and the mc:AlternateContent around it, once empty
        emptied = False
        for element in list(root.iter()):
            if (
                _local(element.tag) in ("controls", "AlternateContent", "Choice", "Fallback")
                and not len(element)
                and element.getparent() is not None
            ):
                element.getparent().remove(element)
                emptied = True
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
