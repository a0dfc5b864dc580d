"""Validate every XML part of an OOXML package against the ISO/IEC 29500-4 (transitional)
XSDs, after Markup Compatibility (MCE) preprocessing: elements/attributes in namespaces
listed in mc:Ignorable are dropped, mc:AlternateContent is replaced by its Fallback.

Usage: python validate.py FILE.docx|FILE.xlsx ...   (exit 1 if any part is invalid)
Needs lxml (e.g. uv run --with lxml python ../shared/ooxml/validate.py out.docx).
"""
import sys, zipfile, posixpath
from lxml import etree as ET

from pathlib import Path

BASE = str(Path(__file__).resolve().parent / "schemas") + "/"
ISO = BASE + "ISO-IEC29500-4_2016/"
SCHEMA_FOR_CT = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": ISO + "wml.xsd",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml": ISO + "wml.xsd",
    "application/vnd.ms-word.stylesWithEffects+xml": ISO + "wml.xsd",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml": ISO + "wml.xsd",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml": ISO + "wml.xsd",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml": ISO + "wml.xsd",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.webSettings+xml": ISO + "wml.xsd",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml": ISO + "wml.xsd",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml": ISO + "wml.xsd",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml": ISO + "wml.xsd",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml": ISO + "wml.xsd",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml": ISO + "wml.xsd",
    "application/vnd.openxmlformats-officedocument.theme+xml": ISO + "dml-main.xsd",
    "application/vnd.openxmlformats-package.core-properties+xml": BASE + "ecma/fouth-edition/opc-coreProperties.xsd",
    "application/vnd.openxmlformats-officedocument.extended-properties+xml": ISO + "shared-documentPropertiesExtended.xsd",
    "application/vnd.openxmlformats-officedocument.custom-properties+xml": ISO + "shared-documentPropertiesCustom.xsd",
    "application/vnd.openxmlformats-package.relationships+xml": BASE + "ecma/fouth-edition/opc-relationships.xsd",
    "application/vnd.openxmlformats-officedocument.customXmlProperties+xml": ISO + "shared-customXmlDataProperties.xsd",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": ISO + "sml.xsd",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml": ISO + "sml.xsd",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml": ISO + "sml.xsd",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml": ISO + "sml.xsd",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml": ISO + "sml.xsd",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml": ISO + "sml.xsd",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml": ISO + "sml.xsd",
}
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_cache = {}


def schema(path):
    if path not in _cache:
        _cache[path] = ET.XMLSchema(ET.parse(path))
    return _cache[path]


def mce(root):
    """Markup-compatibility preprocessing, treating every Ignorable namespace as not understood."""
    ignorable = set()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        ig = el.get("{%s}Ignorable" % MC)
        if ig:
            for prefix in ig.split():
                ns = el.nsmap.get(prefix)
                if ns:
                    ignorable.add(ns)
    for alt in list(root.iter("{%s}AlternateContent" % MC)):
        fb = alt.find("{%s}Fallback" % MC)
        parent = alt.getparent()
        idx = parent.index(alt)
        parent.remove(alt)
        if fb is not None:
            for i, child in enumerate(list(fb)):
                parent.insert(idx + i, child)
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        ns = ET.QName(el).namespace
        if ns in ignorable and el.getparent() is not None:
            el.getparent().remove(el)
            continue
        for a in list(el.attrib):
            ans = ET.QName(a).namespace
            if ans in ignorable or ans == MC:
                del el.attrib[a]
    return root


SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def sml_text_space(root):
    """Accept xml:space on SpreadsheetML text (<t>): the XSD types it as a plain string, but
    Excel itself writes <t xml:space="preserve"> for text with leading or trailing spaces
    (ECMA-376 Part 1, 18.4.12), and the Open XML SDK accepts it. (Toolkit copy only.)"""
    for el in root.iter("{%s}t" % SML):
        el.attrib.pop(XML_SPACE, None)
    return root


def content_types(z):
    ct = ET.fromstring(z.read("[Content_Types].xml"))
    ns = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    defaults = {d.get("Extension").lower(): d.get("ContentType") for d in ct.findall(ns + "Default")}
    overrides = {o.get("PartName"): o.get("ContentType") for o in ct.findall(ns + "Override")}
    return defaults, overrides


def validate(path):
    problems = []
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        defaults, overrides = content_types(z)
        for name in names:
            if name.endswith("/"):
                continue
            part = "/" + name
            ext = name.rsplit(".", 1)[-1].lower()
            ctype = overrides.get(part) or defaults.get(ext)
            if name == "[Content_Types].xml":
                ctype = "ct"
            if ctype is None:
                problems.append((name, "-", "no content type (neither Override nor Default) [OPC]"))
                continue
            if ctype == "ct":
                xsd = BASE + "ecma/fouth-edition/opc-contentTypes.xsd"
            else:
                xsd = SCHEMA_FOR_CT.get(ctype)
            if xsd is None:
                if not name.endswith((".xml", ".rels")):
                    continue
                problems.append((name, "-", f"SKIPPED (no schema mapped for {ctype})"))
                continue
            root = ET.fromstring(z.read(name))
            mce(root)
            sml_text_space(root)
            s = schema(xsd)
            if not s.validate(ET.ElementTree(root)):
                for e in s.error_log:
                    problems.append((name, e.line, e.message))
        # overrides pointing to missing parts
        for p in overrides:
            if p.lstrip("/") not in names:
                problems.append(("[Content_Types].xml", "-", f"Override for missing part {p}"))
        # relationships pointing to missing parts
        for name in names:
            if not name.endswith(".rels"):
                continue
            src_dir = posixpath.dirname(posixpath.dirname(name))
            rels = ET.fromstring(z.read(name))
            ids = set()
            for r in rels:
                rid = r.get("Id")
                if rid in ids:
                    problems.append((name, "-", f"duplicate relationship Id {rid}"))
                ids.add(rid)
                if r.get("TargetMode") == "External":
                    continue
                t = r.get("Target")
                tgt = t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join(src_dir, t))
                if tgt not in names:
                    problems.append((name, "-", f"relationship {rid} -> missing part {tgt}"))
    return problems


if __name__ == "__main__":
    bad = 0
    for f in sys.argv[1:]:
        probs = validate(f)
        print(f"== {f}: {'VALID' if not probs else str(len(probs)) + ' problem(s)'}")
        for name, line, msg in probs:
            print(f"   {name}:{line}: {msg}")
        bad |= bool([p for p in probs if not p[2].startswith("SKIPPED")])
    sys.exit(1 if bad else 0)
