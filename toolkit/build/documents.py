"""`toolkit build`: validate, then fill the Word templates with the register.

docxtpl fills the template's own tags (title, gemeente, editie, header and footer) in a
sandboxed, autoescaping Jinja environment; the repeated body (the template's sample card
or row per record, in the declared arrangement: layout_word) is generated as
WordprocessingML in the template's styles and put where the template has its block tag.
Every annex type, bundled or a municipality's own, goes the same way. The result is
byte-identical for the same input.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path

from toolkit import __version__
from toolkit.build.pagenumbers import PagePass, begin_page_pass, give_annexes
from toolkit.core.errors import OutputError, TemplateError
from toolkit.core.output import (
    atomic_write,
    folder_lock,
    note_pending,
    office_lock,
    pending_from_killed_build,
    reason,
    refuse_open_documents,
    shown,
)
from toolkit.declarations.annextypes import AnnexType
from toolkit.declarations.findings import summary
from toolkit.layouts.render import (
    PARALLEL_FROM_ROWS,
    RecordNotes,
    _context,
    _setting_or_default,
    bundled_template,
    render_template,
    sample_blocks,
    template_tags,
)
from toolkit.layouts.word import Arranged
from toolkit.layouts.word import changes_contents as layout_changes_contents
from toolkit.layouts.word import changes_xml as layout_changes_xml
from toolkit.layouts.wordxml import rich_xml
from toolkit.register.read import Record, Register
from toolkit.validation.validate import ValidationResult, resolve_peildatum, validate_register

#: From this many rows only the largest annex is made in a helper, the others here after
#: validation. A forked helper holds on to every memory page of this process that it
#: does not write itself, so a page this process copies while validating and one helper
#: copies while building is held three times: for 30,000 pilots with 150,000 actions a
#: whole tree of 1.1 GiB, against 0.8 GiB this way (docs, Snelheid).
LEAN_FROM_ROWS = 100_000


@dataclass
class BuildResult:
    validation: ValidationResult
    documents: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    manifest: Path | None = None
    #: Annexes changed after the last build (in Word), kept under a new name.
    kept: list[Path] = field(default_factory=list)
    #: Files of the previous build that this one did not write, removed (unchanged).
    removed: list[Path] = field(default_factory=list)
    #: Such files left in place (changed since, open, or not in the manifest), named.
    left: list[Path] = field(default_factory=list)
    #: The web edition's files (build --html), index.html first.
    web: list[Path] = field(default_factory=list)


#: A document's file name stays under this many bytes (most file systems allow 255, and
#: a kept copy adds " (bewerkt 2026-11-22 1430)").
MAX_NAME_BYTES = 180


def _element_xml(arranged: list[Arranged], name: str, styles: Mapping[str, str]) -> str:
    """An element of the arrangement where the template has its tag ({{ kruistabel }}):
    arranged holds the annex's arrangement once its sample card is known."""
    return arranged[0].element_xml(name, styles) if arranged else ""


def _safe_name(text: str) -> str:
    """A name Windows accepts too (the annexes go to a Windows share): portable.file_name."""
    from toolkit.core.portable import file_name

    return file_name(text, "bijlage", MAX_NAME_BYTES)


def document_name(register: Register, annex: AnnexType) -> str:
    """The annex's file name: its declaration's pattern, then " - editie"."""
    editie = register.setting_text("editie")
    suffix = f" - {editie}" if editie else ""
    return _safe_name(annex.fill(annex.document, _setting_or_default(register)) + suffix) + ".docx"


def document_names(register: Register) -> tuple[str, ...]:
    """The file names of every annex type the register knows, in declaration order."""
    return tuple(document_name(register, annex) for annex in register.types.types)


def _declared_by(annex: AnnexType) -> str:
    if annex.bundled:
        return f"het meegeleverde bijlagetype '{annex.key}'"
    return f"het bijlagetype '{annex.key}' ({shown(annex.source.name)})"


def refuse_clashing_names(register: Register, present: list[AnnexType]) -> None:
    """Two annex types whose documents get the same file name: one would overwrite the
    other (on Windows and macOS also when only the case differs). Refused before anything
    is built or written, naming both declarations and the name."""
    seen: dict[str, AnnexType] = {}
    for annex in present:
        name = document_name(register, annex)
        other = seen.setdefault(name.casefold(), annex)
        if other is not annex:
            raise TemplateError(
                f"{_declared_by(other).capitalize()} en {_declared_by(annex)} maken allebei "
                f"het document '{shown(name)}'; het ene zou het andere overschrijven. Geef een "
                f"van beide een andere documentnaam ('document = …' in zijn verklaring, of een "
                f"andere instelling op het tabblad Instellingen). Er is niets geschreven."
            )


def annexes_to_build(register: Register) -> list[AnnexType]:
    """The annex types whose sheet the register has (the status annexes only with rows:
    an empty Acties sheet gives no annex of empty tables)."""
    return [
        annex
        for annex in register.types.types
        if annex.sheet.name in register.sheets
        and (not annex.arrangement.groups or register.records(annex.sheet))
    ]


def build_documents(
    register: Register,
    out_dir: Path,
    peildatum: date | None = None,
    progress: Callable[[str], None] = lambda _: None,
    previous: Register | None = None,
    parallel: bool | None = None,
    templates: Path | None = None,
    use_setting: bool = True,
    pdf: bool = False,
    html: bool = False,
    page_numbers: bool = True,
) -> BuildResult:
    """Validate, and without errors write every annex and a manifest into out_dir.

    One annex per declared annex type whose sheet the register has (annextypes).
    templates (--sjablonen) is a folder with the Word templates; without it the
    register's setting 'Map met Word-sjablonen' (unless use_setting is False: the web
    app has the register without its folder), else the bundled ones (sjablonen.py).

    With the previous edition's register, new pilots are marked and the {{ wijzigingen }}
    tag gets an overview of what changed. In parallel (where the OS can fork), the
    annexes are made by helper processes while this process validates, so a build uses
    both cores; nothing is written before validation has passed. parallel=None decides
    by size (PARALLEL_FROM_ROWS), True and False force it. From LEAN_FROM_ROWS on, only
    the largest annex gets a helper (memory).

    pdf: also a PDF of every annex (LibreOffice), recorded in the manifest. Without it,
    last time's PDF of an annex rewritten now goes when a manifest recorded it unchanged,
    else it is named (_clear_stale_pdfs); annexes of other registers or editions in the
    folder stay and the manifest names them (_earlier_documents).
    html: also the web edition in out_dir/web (web_edition), from the same declarations
    and arrangement.
    page_numbers: without pdf, LibreOffice puts the page numbers in the contents lists
    (pagenumbers), beside the web edition; with pdf the conversion does.
    """
    from toolkit.core.parallel import Background, frozen_heap, release_free_memory
    from toolkit.declarations.sjablonen import choose_templates
    from toolkit.report import write_reports

    present = annexes_to_build(register)
    refuse_clashing_names(register, present)
    choice = choose_templates(
        {a.kind: bundled_template(a) for a in present},
        register.path,
        register.setting_text("sjablonen") if use_setting else "",
        templates,
        tuple(a.kind for a in present),
        {a.kind: a.template for a in present},
    )
    if choice.folder is not None:
        progress(f"Sjablonen: {choice.describe()}.")
    peil, _ = resolve_peildatum(register, peildatum)
    stamp = datetime(peil.year, peil.month, peil.day) if peil else datetime(2000, 1, 1)
    context = _context(register, peil)
    author = f"Gemeente {context['gemeente']}".strip()
    setting = _setting_or_default(register)

    changes = None
    if previous is not None:
        from toolkit.register.diff import compare

        changes = compare(previous, register)
    rows = sum(len(rows) for rows in register.tables.values())
    if parallel is None:
        parallel = rows >= PARALLEL_FROM_ROWS

    # the rows each annex prints, worked out once for the helpers and the counts
    published = {annex.key: register.published(annex) for annex in present}

    def make(annex: AnnexType) -> bytes:
        """One annex: its template, with the sample card repeated in the declared
        arrangement, and its settings as tags (rich-text ones as blocks)."""
        records = published[annex.key]
        blocks: dict[str, Callable[[dict], Iterable[str]]] = {}  # type: ignore[type-arg]
        contents: dict[str, Callable[[], Iterable]] = {}  # type: ignore[type-arg]
        values = dict(context)
        values.update({s.key: register.setting_text(s.key) for s in annex.settings if not s.kind.traits.rich})
        values["aantal"] = str(len(records))
        for name, pattern in annex.tags:
            values[name] = annex.fill(
                pattern, lambda key: values["aantal"] if key == "aantal" else setting(key)
            )
        for s in annex.settings:
            if s.kind.traits.rich:
                blocks[s.key] = partial(rich_xml, register.settings.get(s.key))
        sheet = annex.sheet.name
        blocks["wijzigingen"] = lambda st: layout_changes_xml(changes, sheet, st)
        contents["wijzigingen"] = lambda: layout_changes_contents(changes)
        arranged: list[Arranged] = []
        for element in annex.arrangement.elements:  # where the template has its tag
            blocks[element.name] = partial(_element_xml, arranged, element.name)
        last = annex.role_column("last_time")

        def last_time(record: Record) -> bool:
            return last is not None and register.roles.last_time(record.text(last.key), last.vocabulary or "")

        notes = RecordNotes(
            frozenset(c.new.row for c in (changes.of("nieuw", annex.sheet.name) if changes else []) if c.new),
            last_time,
        )
        path = choice.paths[annex.kind]
        return render_template(
            path,
            template_tags(annex),
            values,
            blocks,
            {
                "title": annex.fill(annex.title, setting),
                "subject": f"{context['gemeente']} · {context['editie']}",
                "author": author,
            },
            stamp,
            contents,
            sample=sample_blocks(annex, records, path.name, register, notes, arranged),
            own_type=not annex.bundled,
            legacy=(annex.legacy_block, bundled_template(annex)) if annex.legacy_block else None,
        )

    if parallel:
        release_free_memory()
    with frozen_heap(), folder_lock(out_dir):  # one build per output folder at a time
        # The annexes are made on their own cores while this process validates; they are
        # written only once validation has passed.
        helped = (
            set(published) if rows < LEAN_FROM_ROWS else {max(published, key=lambda key: len(published[key]))}
        )
        documents = [
            Background(partial(make, annex), enabled=parallel and annex.key in helped) for annex in present
        ]
        # LibreOffice starts now for the page numbers and waits for the annexes (not
        # beside the helper processes of a large register: its annexes are mostly too
        # large for the step, and the cores are busy)
        early = page_numbers and not pdf and not parallel
        pages: PagePass | None = begin_page_pass(progress) if early else None
        try:
            progress("Controleren en de bijlagen maken …")
            validation = validate_register(register, peildatum)
            result = BuildResult(validation)
            write_reports(validation, _subfolder(out_dir, "validatie"), excel=bool(validation.errors))
            progress(f"Validatie: {summary(validation.counts)}.")
            if validation.errors:
                return result
            names = [document_name(register, annex) for annex in present]
            counts = [f"{len(published[annex.key])} {annex.plural}" for annex in present]
            refuse_open_documents([out_dir / name for name in names])
            previous_manifest = _read_manifest(out_dir)
            recorded = _recorded_hashes(out_dir, previous_manifest)
            for name, digests in pending_from_killed_build(out_dir).items():
                recorded.setdefault(name, set()).update(digests)
            contents = [document.result() for document in documents]
            if page_numbers and not pdf:
                pages = give_annexes(pages, names, contents, progress)
            note_pending(
                out_dir,
                {
                    name: hashlib.sha256(content).hexdigest()
                    for name, content in zip(names, contents, strict=False)
                },
            )
            for name, content, count in zip(names, contents, counts, strict=False):
                kept = _keep_edited(out_dir / name, recorded, content)
                if kept is not None:
                    result.kept.append(kept)
                    progress(
                        f"Let op: '{shown(name)}' is na de vorige bouw gewijzigd (in Word?). "
                        f"Die versie is bewaard als '{shown(kept.name)}'; neem de "
                        f"wijzigingen over in het register als ze in de bijlage horen."
                    )
                target = atomic_write(
                    out_dir / name, partial(Path.write_bytes, data=content), protect=(register.path,)
                )
                result.documents.append(target)
                progress(f"Geschreven: {shown(target)} ({count})")
            coming = {pdf_name(n) for n in names} if pdf else set()
            result.removed, result.left = _clear_stale_pdfs(out_dir, previous_manifest, names, pdf, progress)
            earlier = _earlier_documents(out_dir, previous_manifest, {*names, *coming})
            if earlier:
                listed = ", ".join(
                    f"'{shown(n)}' ({shown(e['register'])})" for n, e in sorted(earlier.items())
                )
                progress(
                    f"Let op: in {shown(out_dir)} staan ook bijlagen van een eerdere bouw: "
                    f"{listed}. Het manifest noemt ze met hun register onder "
                    f"'eerdere_bestanden'; verwijder ze als ze er niet meer horen."
                )
            if html:
                from toolkit.build.web_edition import write_web_edition

                result.web = write_web_edition(
                    register, present, choice.paths, _subfolder(out_dir, "web"), context, changes, progress
                )
            else:
                from toolkit.build.web_edition import clear_web_edition

                gone, stays = clear_web_edition(out_dir / "web", progress)
                result.removed += gone
                result.left += stays
            if pages is not None:
                pages.finish(result.documents, partial(note_pending, out_dir))
                pages.cancel()  # done: its folder goes
                pages = None
            used = {annex.template: choice.paths[annex.kind] for annex in present}
            result.manifest = _write_manifest(
                register,
                validation,
                result.documents,
                out_dir,
                choice.manifest(used, register.path),
                earlier,
                result.web,
            )
            if pdf:
                from toolkit.build.fonts import font_warnings
                from toolkit.build.pdf import convert_to_pdf

                for warning in font_warnings(result.documents):
                    progress(warning)
                result.pdfs = convert_to_pdf(result.documents, out_dir)
                for made in result.pdfs:
                    progress(f"PDF: {shown(made)}")
                result.manifest = _write_manifest(
                    register,
                    validation,
                    [*result.documents, *result.pdfs],
                    out_dir,
                    choice.manifest(used, register.path),
                    earlier,
                    result.web,
                )
        finally:
            for document in documents:
                document.cancel()  # a no-op once its result was taken
            if pages is not None:
                pages.cancel()  # a no-op once it has finished
    return result


def _subfolder(out_dir: Path, name: str) -> Path:
    """A folder inside out_dir; a symbolic link there would lead the writing elsewhere."""
    folder = out_dir / name
    if folder.is_symlink():
        raise OutputError(
            f"'{shown(folder)}' is een snelkoppeling (symlink) naar een andere map; de toolkit "
            f"schrijft niet buiten de uitvoermap. Verwijder de snelkoppeling of kies met --out "
            f"een andere map."
        )
    return folder


def _read_manifest(out_dir: Path) -> dict[str, object]:
    """The previous build's manifest ({} without a usable one)."""
    try:
        data = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _recorded_hashes(out_dir: Path, manifest: dict[str, object] | None = None) -> dict[str, set[str]]:
    """The documents' hashes in the previous build's manifest ({} without a usable one)."""
    data = _read_manifest(out_dir) if manifest is None else manifest
    try:
        files = data["bestanden"]
        return {str(k): {str(v)} for k, v in files.items()}  # type: ignore[attr-defined]
    except (KeyError, TypeError, AttributeError):
        return {}


def _earlier_documents(
    out_dir: Path, manifest: dict[str, object], written: set[str]
) -> dict[str, dict[str, str]]:
    """Annexes an earlier build (of this or another register, another edition) left in
    the folder, unchanged since, that this build did not replace: the new manifest names
    them with the register they were made from, so it describes every annex there."""
    entries: dict[str, dict[str, str]] = {}
    try:
        for name, digest in dict(manifest.get("bestanden") or {}).items():  # type: ignore[call-overload]
            entries[str(name)] = {
                "sha256": str(digest),
                "register": str(manifest.get("register", "")),
                "register_sha256": str(manifest.get("register_sha256", "")),
            }
        for name, entry in dict(manifest.get("eerdere_bestanden") or {}).items():  # type: ignore[call-overload]
            entries.setdefault(
                str(name), {k: str(entry.get(k, "")) for k in ("sha256", "register", "register_sha256")}
            )
    except (TypeError, ValueError, AttributeError):
        return {}
    found = {}
    for name, entry in entries.items():
        path = out_dir / name
        if name in written or Path(name).name != name or path.is_symlink() or not path.is_file():
            continue
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue
        if digest == entry["sha256"]:
            found[name] = entry
    return found


def pdf_name(document: str) -> str:
    return f"{Path(document).stem}.pdf"


def _clear_stale_pdfs(
    out_dir: Path,
    manifest: dict[str, object],
    documents: list[str],
    pdf: bool,
    progress: Callable[[str], None],
) -> tuple[list[Path], list[Path]]:
    """The PDF of an annex this build rewrote, when this build makes no PDF: removed or
    named, never left stale beside the new .docx without a word.

    It goes when an earlier manifest recorded it (under 'bestanden' or
    'eerdere_bestanden') and its bytes still have that hash: the toolkit's own output,
    which `build --pdf` makes again. Changed since, open, unremovable or never recorded
    (an older toolkit): it stays and a Dutch line names it. Annexes and PDFs of other
    registers or editions in the folder are not this function's: _earlier_documents
    names them in the manifest.
    """
    removed: list[Path] = []
    left: list[Path] = []
    if pdf:
        return removed, left  # each is made again
    recorded = _recorded_hashes(out_dir, manifest)
    try:
        for name, entry in dict(manifest.get("eerdere_bestanden") or {}).items():  # type: ignore[call-overload]
            recorded.setdefault(str(name), set()).add(str(entry.get("sha256", "")))
    except (TypeError, ValueError, AttributeError):
        pass
    for document in documents:
        path = out_dir / pdf_name(document)
        if path.is_symlink() or not path.is_file():
            continue
        try:
            unchanged = hashlib.sha256(path.read_bytes()).hexdigest() in recorded.get(path.name, set())
        except OSError:
            unchanged = False
        if unchanged and office_lock(path) is None:
            try:
                path.unlink()
            except OSError:
                pass
            else:
                removed.append(path)
                progress(
                    f"Verwijderd: '{shown(path.name)}' (de PDF van de vorige bouw, die "
                    f"niet meer bij de nieuwe '{shown(document)}' hoort; maak hem "
                    f"opnieuw met --pdf)."
                )
                continue
        left.append(path)
        why = (
            "is geopend"
            if unchanged
            else "is na de vorige bouw gewijzigd"
            if path.name in recorded
            else "komt van een oudere bouw zonder manifest"
        )
        progress(
            f"Let op: '{shown(path.name)}' is van een eerdere bouw en hoort niet bij de "
            f"nieuwe '{shown(document)}'; hij {why} en blijft daarom staan. Verwijder "
            f"hem, of bouw met --pdf."
        )
    return removed, left


def _keep_edited(target: Path, recorded: dict[str, set[str]], content: bytes) -> Path | None:
    """An annex changed since the toolkit wrote it is renamed, never overwritten.

    Unchanged means: the hash the previous manifest recorded for it, or the bytes about
    to be written. A document without a record (no manifest) counts as changed: it may
    be someone's work. The kept copy is named after the time it was last saved.
    """
    if target.is_symlink() or not target.is_file():
        return None
    try:
        current = hashlib.sha256(target.read_bytes()).hexdigest()
        saved = datetime.fromtimestamp(target.stat().st_mtime).strftime("%Y-%m-%d %H%M")
    except OSError:
        return None  # unreadable: atomic_write says what is wrong
    if current in recorded.get(target.name, set()) or current == hashlib.sha256(content).hexdigest():
        return None
    for n in range(1, 1000):
        kept = target.with_name(f"{target.stem} (bewerkt {saved}{'' if n == 1 else f' {n}'}){target.suffix}")
        if not os.path.lexists(kept):
            break
    try:
        os.rename(target, kept)
    except OSError as exc:
        raise OutputError(
            f"'{shown(target.name)}' is na de vorige bouw gewijzigd en blijft daarom bewaard, "
            f"maar het hernoemen lukt niet ({reason(exc)}). Is het geopend in Word? Sluit het "
            f"en probeer opnieuw; er is niets overschreven."
        ) from exc
    return kept


def _write_manifest(
    register: Register,
    validation: ValidationResult,
    documents: list[Path],
    out_dir: Path,
    templates: dict[str, dict[str, str]] | None = None,
    earlier: dict[str, dict[str, str]] | None = None,
    web: list[Path] | None = None,
) -> Path:
    data = {
        "toolkit": __version__,
        "register": shown(register.path.name),
        "register_sha256": register.sha256,
        "peildatum": validation.peildatum.isoformat() if validation.peildatum else None,
        "editie": register.setting_text("editie"),
        "bestanden": {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in documents},
        "sjablonen": templates or {},
    }
    if earlier:
        data["eerdere_bestanden"] = dict(sorted(earlier.items()))
    if web:
        from toolkit.build.web_edition import MANIFEST_KEY, manifest_entry

        data[MANIFEST_KEY] = manifest_entry(web)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return atomic_write(out_dir / "manifest.json", lambda tmp: tmp.write_text(text, encoding="utf-8"))
