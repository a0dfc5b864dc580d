"""`toolkit build`: validate, then fill the Word templates with the register.

docxtpl fills the template's own tags (title, gemeente, editie, header and footer) in a
sandboxed, autoescaping Jinja environment; the repeated body (pilot cards, action
tables) is generated as WordprocessingML in the template's styles and put where the
template has its block tag. The result is byte-identical for the same input.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, schema, wordxml
from .errors import OutputError, TemplateError
from .findings import summary
from .output import atomic_write, ensure_dir
from .register import Record, Register
from .richtext import parse_rich
from .validate import ValidationResult, validate_register

if TYPE_CHECKING:
    from .diff import DiffResult

ROOT = Path(__file__).resolve().parent.parent
PILOT_TEMPLATE = ROOT / "templates" / "bijlage.docx"
ACTIONS_TEMPLATE = ROOT / "templates" / "acties.docx"
FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
COMPRESS_LEVEL = 3  # level 6 costs twice the time for a few percent smaller files
HEADER_FILL = "D9E2F3"
NEW_NOTE = "Nieuw in deze editie."
CHANGES_HEADING = "Wijzigingen sinds de vorige editie"
LAST_TIME_NOTE = ("Deze pilot wordt voor het laatst in deze bijlage opgenomen; daarna wordt er "
                  "niet meer over gerapporteerd.")


@dataclass(frozen=True)
class Tag:
    name: str
    help: str
    block: bool = False  # stands alone in a paragraph; replaced by generated paragraphs


TAGS: tuple[Tag, ...] = (
    Tag("gemeente", "Naam van de gemeente (Instellingen)."),
    Tag("editie", "De editie, bijvoorbeeld 'Programmabegroting 2025' (Instellingen)."),
    Tag("peildatum", "De peildatum in het Nederlands, bijvoorbeeld '1 april 2024'."),
    Tag("titel", "Titel van de pilotbijlage (Instellingen)."),
    Tag("bijlage_nummer", "Nummer van de pilotbijlage (Instellingen)."),
    Tag("actieprogramma", "Naam van het actieprogramma (Instellingen)."),
    Tag("aantal_pilots", "Aantal pilots in de bijlage."),
    Tag("aantal_acties", "Aantal acties in de statusbijlagen."),
    Tag("inleiding", "De inleiding (Instellingen) als alinea's.", block=True),
    Tag("wijzigingen", "Overzicht van nieuwe, vervallen en gewijzigde pilots sinds de vorige "
        "editie; alleen met 'toolkit build --previous', anders leeg.", block=True),
    Tag("pilotkaarten", "Alle pilotkaarten, in de volgorde van het register.", block=True),
    Tag("opgaven", "Per opgave een bijlage met statusoverzicht en tabellen per doel.",
        block=True),
)
TEMPLATE_TAGS = {
    "bijlage": {t.name for t in TAGS if t.name != "opgaven"},
    "acties": {t.name for t in TAGS if t.name not in ("pilotkaarten", "inleiding",
                                                        "wijzigingen")},
}


@dataclass
class BuildResult:
    validation: ValidationResult
    documents: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    manifest: Path | None = None


def _styles(document) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Style ids by role; a coordinator who deleted a style gets told which."""
    ids = {}
    for role, name in schema.STYLE_NAMES.items():
        try:
            ids[role] = document.styles[name].style_id
        except KeyError as exc:
            raise TemplateError(
                f"Het Word-sjabloon mist de stijl '{name}'. Voeg die stijl weer toe in Word "
                f"(Start > Stijlen) of gebruik het standaardsjabloon uit templates/."
            ) from exc
    return ids


def _rich(value: object, styles: dict[str, str], style: str | None = None) -> str:
    return wordxml.rich_paragraphs(parse_rich(value), styles, style)


def _label_table(rows: list[tuple[str, str]], styles: dict[str, str], caption: str) -> str:
    out = []
    for label, content in rows:
        out.append(wordxml.row([
            wordxml.cell(wordxml.text_paragraph(label, styles["label"]), 3000),
            wordxml.cell(content, 6000),
        ]))
    return wordxml.table(out, [3000, 6000], styles["table"], caption)


def _value_xml(record: Record, key: str, styles: dict[str, str]) -> str:
    """Rich columns become paragraphs and lists; names, choices and dates print as written."""
    if record.sheet.column(key).kind is schema.Kind.RICH:
        return _rich(record.values.get(key), styles)
    return wordxml.text_paragraph(record.text(key))


def _header(cells: list[tuple[str, int]]) -> str:
    return wordxml.row([wordxml.cell(wordxml.paragraph(wordxml.run(text, bold=True)), width,
                                     HEADER_FILL) for text, width in cells], header=True)


def changes_xml(changes: DiffResult | None, styles: dict[str, str]) -> str:
    """The short overview of what changed in the pilots since the previous edition."""
    if changes is None:
        return ""
    parts = [wordxml.text_paragraph(CHANGES_HEADING, styles["heading1"], keep_next=True)]
    groups = (
        ("Nieuw", changes.of("nieuw", schema.PILOTS.name), None),
        ("Niet meer opgenomen", changes.of("vervallen", schema.PILOTS.name), None),
        ("Gewijzigd", changes.of("gewijzigd", schema.PILOTS.name), "fields"),
    )
    for title, items, with_fields in groups:
        parts.append(wordxml.text_paragraph(f"{title} ({len(items)})", styles["label"],
                                            keep_next=bool(items)))
        for change in items:
            text = change.name
            if with_fields:
                text += ": " + ", ".join(f.label for f in change.fields)
            parts.append(wordxml.text_paragraph(text, styles["bullet"]))
    return "".join(parts)


def pilot_cards_xml(pilots: list[Record], styles: dict[str, str],
                    new_rows: frozenset[int] = frozenset()) -> str:
    parts: list[str] = []
    for pilot in pilots:
        name = pilot.text("naam")
        parts.append(wordxml.text_paragraph(name, styles["heading1"], keep_next=True))
        if schema.normalise(pilot.text("opnemen")) == "laatste keer":
            parts.append(wordxml.text_paragraph(LAST_TIME_NOTE, styles["note"]))
        if pilot.row in new_rows:
            parts.append(wordxml.text_paragraph(NEW_NOTE, styles["note"]))
        for section, fields in schema.CARD_SECTIONS:
            if not fields:
                if pilot.text("omschrijving").strip():
                    parts.append(wordxml.text_paragraph(section, styles["heading2"], keep_next=True))
                    parts.append(_rich(pilot.values.get("omschrijving"), styles))
                continue
            rows = [(label, _value_xml(pilot, key, styles))
                    for label, key in fields if pilot.text(key).strip()]
            if rows:
                parts.append(wordxml.text_paragraph(section, styles["heading2"], keep_next=True))
                parts.append(_label_table(rows, styles, f"{section}: {name}"))
    return "".join(parts)


def _merge_continuations(actions: list[Record]) -> list[tuple[Record, list[object]]]:
    """Rows that only continue the previous Resultaat are printed as part of it."""
    merged: list[tuple[Record, list[object]]] = []
    for action in actions:
        continues = not action.text("activiteit").strip() and not action.text("status").strip() \
            and not action.text("toelichting_status").strip()
        if continues and merged:
            merged[-1][1].append(action.values.get("resultaat"))
        else:
            merged.append((action, [action.values.get("resultaat")]))
    return merged


def _status_cell(action: Record, styles: dict[str, str]) -> str:
    status = action.text("status")
    fill = schema.STATUS_COLOURS.get(status, schema.UNLISTED_STATUS_COLOUR)
    content = wordxml.paragraph(wordxml.run(status, bold=True)) if status else ""
    note = action.values.get("toelichting_status")
    if note:
        content += _rich(note, styles)
    return wordxml.cell(content or wordxml.paragraph(""), 2000, fill)


def _ordered(values: list[str], preferred: list[str]) -> list[str]:
    known = [v for v in preferred if v in values]
    return known + [v for v in dict.fromkeys(values) if v not in known]


def action_sections_xml(register: Register, styles: dict[str, str]) -> str:
    first = _int(register.setting_text("bijlage_acties_eerste_nummer"), 2)
    title = register.setting_text("bijlage_acties_titel") or "Uitvoeringsplan"
    opgaven = _ordered([a.text("opgave") for a in register.actions],
                       register.lists.get("opgave", []))
    statuses = register.lists.get("status", list(schema.vocabulary("status").values))
    parts: list[str] = []
    by_opgave: dict[str, list[Record]] = {}
    for action in register.actions:
        by_opgave.setdefault(action.text("opgave"), []).append(action)
    for index, opgave in enumerate(opgaven):
        merged = _merge_continuations(by_opgave[opgave])
        by_doel: dict[str, list[tuple[Record, list[object]]]] = {}
        for action, results in merged:
            by_doel.setdefault(action.text("doel"), []).append((action, results))
        heading = f"Bijlage {first + index} {title} {opgave}"
        parts.append(wordxml.text_paragraph(heading, styles["heading1"], page_break=index > 0))
        counts = Counter(a.text("status") or "Geen status" for a, _ in merged)
        parts.append(wordxml.text_paragraph("Overzicht statussen", styles["heading2"],
                                            keep_next=True))
        rows = [_header([("Status", 4000), ("Aantal acties", 1800), ("Aandeel", 3200)])]
        total = sum(counts.values())
        for status in _ordered(list(counts), statuses):
            n = counts[status]
            share = round(100 * n / total)
            rows.append(wordxml.row([
                wordxml.cell(wordxml.paragraph(wordxml.run(status, bold=True)), 4000,
                             schema.STATUS_COLOURS.get(status, schema.UNLISTED_STATUS_COLOUR)),
                wordxml.cell(wordxml.text_paragraph(str(n)), 1800),
                wordxml.cell(wordxml.text_paragraph(f"{'█' * max(1, share // 5)} {share}%"),
                             3200),
            ]))
        rows.append(wordxml.row([
            wordxml.cell(wordxml.paragraph(wordxml.run("Totaal", bold=True)), 4000),
            wordxml.cell(wordxml.paragraph(wordxml.run(str(total), bold=True)), 1800),
            wordxml.cell(wordxml.text_paragraph(""), 3200),
        ]))
        parts.append(wordxml.table(rows, [4000, 1800, 3200], styles["table"],
                                   f"Overzicht statussen {opgave}"))
        for doel, items in by_doel.items():
            label = doel if doel.lower().startswith("doel") or not doel else f"Doel: {doel}"
            parts.append(wordxml.text_paragraph(label, styles["heading2"], keep_next=True))
            rows = [_header([("Activiteit", 3000), ("Resultaat", 4200), ("Status", 2000)])]
            for action, results in items:
                result_xml = "".join(_rich(r, styles) for r in results if r) or \
                    wordxml.paragraph("")
                rows.append(wordxml.row([
                    wordxml.cell(_rich(action.values.get("activiteit"), styles), 3000),
                    wordxml.cell(result_xml, 4200),
                    _status_cell(action, styles),
                ]))
            parts.append(wordxml.table(rows, [3000, 4200, 2000], styles["table"], label))
    return "".join(parts)


def _int(text: str, default: int) -> int:
    try:
        return int(float(text))
    except ValueError:
        return default


def published_pilots(register: Register) -> list[Record]:
    """Pilots marked Ja or Laatste keer, in register order (a stable order)."""
    return [p for p in register.pilots
            if schema.normalise(p.text("opnemen")) in ("ja", "laatste keer")]


def _context(register: Register, peildatum: date | None) -> dict[str, str]:
    from .dates import format_dutch

    return {
        "gemeente": register.setting_text("gemeente"),
        "editie": register.setting_text("editie"),
        "peildatum": format_dutch(peildatum) if peildatum else "",
        "titel": register.setting_text("bijlage_pilots_titel") or "Monitoring evaluatie pilots",
        "bijlage_nummer": register.setting_text("bijlage_pilots_nummer"),
        "actieprogramma": register.setting_text("actieprogramma"),
        "aantal_pilots": str(len(published_pilots(register))),
        "aantal_acties": str(len(register.actions)),
    }


def _marker(name: str) -> str:
    return f"TOOLKITBLOK{name}TOOLKITBLOK"


def render_template(
    template: Path, kind: str, context: dict[str, str], blocks: dict[str, Callable[[dict], str]],
    properties: dict[str, str], stamp: datetime,
) -> bytes:
    """Fill one template; blocks get the template's style ids and return body XML."""
    from docxtpl import DocxTemplate
    from jinja2.sandbox import SandboxedEnvironment

    if not template.exists():
        raise TemplateError(f"Het Word-sjabloon '{template}' ontbreekt.")
    try:
        tpl = DocxTemplate(str(template))
        env = SandboxedEnvironment(autoescape=True)
        used = tpl.get_undeclared_template_variables(env)
    except TemplateError:
        raise
    except Exception as exc:
        raise TemplateError(
            f"Het Word-sjabloon '{template.name}' kan niet worden gelezen ({exc}). Controleer "
            f"de tags: elke tag staat tussen {{{{ en }}}}."
        ) from exc
    unknown = sorted(used - TEMPLATE_TAGS[kind])
    if unknown:
        names = ", ".join(f"'{{{{ {u} }}}}'" for u in unknown)
        raise TemplateError(
            f"Het Word-sjabloon '{template.name}' gebruikt onbekende tags: {names}. "
            f"Toegestaan zijn: {', '.join(sorted(TEMPLATE_TAGS[kind]))} (zie docs/sjablonen.md)."
        )
    values = {**context, **{name: _marker(name) for name in blocks}}
    tpl.render(values, env, autoescape=True)
    document = tpl.docx
    styles = _styles(document)
    generated = {name: make(styles) for name, make in blocks.items()}
    _publishing_properties(document, properties, stamp)
    buffer = io.BytesIO()
    document.save(buffer)
    return _deterministic_zip(buffer.getvalue(),
                              {"word/document.xml": lambda xml: _fill_blocks(xml, generated)})


def _fill_blocks(xml: bytes, generated: dict[str, str]) -> bytes:
    """Put each block's body XML where its tag's paragraph stands.

    Done on the serialised document.xml: inserting thousands of elements into the
    parsed tree one by one is quadratic in lxml, a text splice is linear.
    """
    for name, body in generated.items():
        marker = _marker(name).encode()
        at = xml.find(marker)
        if at < 0:
            continue
        start = max(xml.rfind(b"<w:p>", 0, at), xml.rfind(b"<w:p ", 0, at))
        end = xml.index(b"</w:p>", at) + len(b"</w:p>")
        xml = xml[:start] + body.encode("utf-8") + xml[end:]
    return xml


def _publishing_properties(document, properties: dict[str, str], stamp: datetime) -> None:  # type: ignore[no-untyped-def]
    """Title, subject and Dutch language for accessible publishing; fixed dates."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    core = document.core_properties
    core.title = properties["title"]
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
    rpr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="nl-NL" w:eastAsia="nl-NL" '
                         f'w:bidi="ar-SA"/>'))
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        settings.append(parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>'))


def _deterministic_zip(data: bytes,
                       transforms: dict[str, Callable[[bytes], bytes]] | None = None) -> bytes:
    """Same entries, fixed timestamps: the same input gives byte-identical files."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    transforms = transforms or {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            content = source.read(item.filename)
            if item.filename in transforms:
                content = transforms[item.filename](content)
            target.writestr(info, content, compresslevel=COMPRESS_LEVEL)
    return out.getvalue()


def _safe_name(text: str) -> str:
    cleaned = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "", text)
    return " ".join(cleaned.split()).strip(" .") or "bijlage"


def document_names(register: Register) -> tuple[str, str]:
    editie = register.setting_text("editie")
    number = register.setting_text("bijlage_pilots_nummer")
    title = register.setting_text("bijlage_pilots_titel") or "Monitoring evaluatie pilots"
    programme = register.setting_text("actieprogramma") or "actieprogramma"
    suffix = f" - {editie}" if editie else ""
    return (_safe_name(f"Bijlage {number} {title}{suffix}") + ".docx",
            _safe_name(f"Bijlagen {programme}{suffix}") + ".docx")


def build_documents(
    register: Register, out_dir: Path, peildatum: date | None = None,
    progress: Callable[[str], None] = lambda _: None, previous: Register | None = None,
) -> BuildResult:
    """Validate, and without errors write both annexes and a manifest into out_dir.

    With the previous edition's register, new pilots are marked and the {{ wijzigingen }}
    tag gets an overview of what changed.
    """
    from .report import write_reports

    validation = validate_register(register, peildatum)
    result = BuildResult(validation)
    ensure_dir(out_dir)
    write_reports(validation, out_dir / "validatie", excel=bool(validation.errors))
    progress(f"Validatie: {summary(validation.counts)}.")
    if validation.errors:
        return result
    peil = validation.peildatum
    stamp = datetime(peil.year, peil.month, peil.day) if peil else datetime(2000, 1, 1)
    context = _context(register, peil)
    author = f"Gemeente {context['gemeente']}".strip()
    pilot_name, actions_name = document_names(register)
    pilots = published_pilots(register)
    changes = None
    if previous is not None:
        from .diff import compare

        changes = compare(previous, register)
    new_rows = frozenset(c.new.row for c in (changes.of("nieuw", schema.PILOTS.name)
                                             if changes else []) if c.new)

    def write(template: Path, kind: str, name: str, blocks: dict, title: str) -> Path:  # type: ignore[type-arg]
        document = render_template(template, kind, context, blocks, {
            "title": title, "subject": f"{context['gemeente']} · {context['editie']}",
            "author": author}, stamp)
        target = atomic_write(out_dir / name, lambda tmp: tmp.write_bytes(document),
                              protect=(register.path,))
        result.documents.append(target)
        return target

    target = write(PILOT_TEMPLATE, "bijlage", pilot_name, {
        "inleiding": lambda st: _rich(register.settings.get("inleiding"), st),
        "wijzigingen": lambda st: changes_xml(changes, st),
        "pilotkaarten": lambda st: pilot_cards_xml(pilots, st, new_rows),
    }, f"Bijlage {context['bijlage_nummer']}. {context['titel']}")
    progress(f"Geschreven: {target} ({len(pilots)} pilots)")
    if register.actions:
        target = write(ACTIONS_TEMPLATE, "acties", actions_name,
                       {"opgaven": lambda st: action_sections_xml(register, st)},
                       f"{context['actieprogramma']}: statusbijlagen")
        progress(f"Geschreven: {target} ({len(register.actions)} acties)")
    result.manifest = _write_manifest(register, validation, result.documents, out_dir)
    return result


def _write_manifest(register: Register, validation: ValidationResult, documents: list[Path],
                    out_dir: Path) -> Path:
    data = {
        "toolkit": __version__,
        "register": register.path.name,
        "register_sha256": register.sha256,
        "peildatum": validation.peildatum.isoformat() if validation.peildatum else None,
        "editie": register.setting_text("editie"),
        "bestanden": {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in documents},
    }
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return atomic_write(out_dir / "manifest.json",
                        lambda tmp: tmp.write_text(text, encoding="utf-8"))


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(documents: list[Path], out_dir: Path) -> list[Path]:
    """PDFs through LibreOffice headless; a clear message when it is not installed."""
    office = soffice_path()
    if office is None:
        raise OutputError(
            "Voor --pdf is LibreOffice nodig, maar het is niet gevonden. Installeer "
            "LibreOffice (bijvoorbeeld 'apt-get install libreoffice-writer-nogui') of maak "
            "de PDF in Word (Opslaan als > PDF). De Word-bestanden zijn wel gemaakt."
        )
    pdfs = []
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as work:
        for document in documents:
            try:
                subprocess.run(
                    [office, f"-env:UserInstallation=file://{profile}", "--headless",
                     "--convert-to", "pdf", "--outdir", work, str(document)],
                    check=True, capture_output=True, timeout=600,
                )
            except (subprocess.SubprocessError, OSError) as exc:
                raise OutputError(
                    f"LibreOffice kon '{document.name}' niet naar PDF omzetten ({exc})."
                ) from exc
            produced = Path(work) / (document.stem + ".pdf")
            if not produced.exists():
                raise OutputError(f"LibreOffice maakte geen PDF van '{document.name}'.")
            pdfs.append(atomic_write(out_dir / produced.name,
                                     lambda tmp, src=produced: tmp.write_bytes(src.read_bytes())))
    return pdfs


def tags_markdown() -> str:
    """docs/sjablonen.md, generated from TAGS so the docs name every tag there is."""
    lines = [
        "# Word-sjablonen",
        "",
        "De bijlagen worden gemaakt uit twee Word-sjablonen: `templates/bijlage.docx` (de "
        "pilotbijlage) en `templates/acties.docx` (de statusbijlagen). Open ze in Word en "
        "pas lettertype, kleuren, logo, kop- en voettekst aan; de toolkit gebruikt wat u "
        "daar instelt. Deze pagina wordt gemaakt uit `toolkit/build.py` "
        "(`uv run python -m toolkit.build`).",
        "",
        "## Tags",
        "",
        "Een tag staat tussen `{{` en `}}`, bijvoorbeeld `{{ gemeente }}`. Een bloktag moet "
        "alleen in een eigen alinea staan; de toolkit zet er de gegenereerde alinea's en "
        "tabellen. Een sjabloon met een onbekende tag wordt geweigerd met de naam van die tag.",
        "",
        "| tag | soort | bijlage.docx | acties.docx | wat |",
        "|---|---|---|---|---|",
    ]
    for tag in TAGS:
        kind = "blok" if tag.block else "tekst"
        in_p = "ja" if tag.name in TEMPLATE_TAGS["bijlage"] else "nee"
        in_a = "ja" if tag.name in TEMPLATE_TAGS["acties"] else "nee"
        lines.append(f"| `{{{{ {tag.name} }}}}` | {kind} | {in_p} | {in_a} | {tag.help} |")
    lines += [
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
        "heading1": "naam van de pilot; kop van elke statusbijlage",
        "heading2": "onderdelen van de pilotkaart; 'Overzicht statussen' en elk doel",
        "heading3": "(gereserveerd)",
        "bullet": "opsommingen (•, -, <ul>)",
        "number": "genummerde regels (1), <ol>); het nummer staat in de tekst",
        "table": "alle tabellen (kopregel herhaalt op elke pagina)",
        "label": "de linkerkolom van de pilotkaart",
        "note": "de vermelding 'voor het laatst opgenomen'",
    }
    for role, name in schema.STYLE_NAMES.items():
        lines.append(f"| {name} | {uses[role]} |")
    lines += ["", "Statuskleuren (altijd naast de statustekst, nooit alleen):", ""]
    for status, colour in schema.STATUS_COLOURS.items():
        lines.append(f"- {status}: #{colour}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(tags_markdown(), end="")
