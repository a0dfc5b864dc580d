"""The work behind each form, as it runs in a worker process (or a thread in tests).

A job gets the form's text fields and uploaded files as plain data and gives back a
finished answer (a rendered page, or a file): nothing but bytes crosses between the
server and its workers. It calls the same library functions as the command line and
works in its own folder inside the server's temporary folder, removed before the answer
leaves, whatever happens.
"""

from __future__ import annotations

import errno
import io
import logging
import re
import shutil
import tempfile
import traceback
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from toolkit.core.errors import RegisterStructureError, ToolkitError
from toolkit.core.portable import is_reserved
from toolkit.web.pages import Answer, Download, download, for_browser, in_use, render
from toolkit.web.settings import Settings

log = logging.getLogger("toolkit.web")

#: the Dutch word for each kind of work, for the page and the log
KINDS = (
    "controleren",
    "bijlagen",
    "vergelijken",
    "nieuw",
    "importeren",
    "volgende-editie",
    "sjablonen",
    "beginsjabloon",
)


@dataclass(frozen=True)
class Upload:
    name: str  # the browser's file name, made safe (safe_upload_name)
    data: bytes


class Refused(Exception):
    """A request the application answers with a Dutch message on the form's page."""

    def __init__(self, message: str, status: int = 400, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


#: the forms' pages, by kind of work
TEMPLATE = {
    "controleren": "controleren.html",
    "bijlagen": "bijlagen.html",
    "vergelijken": "vergelijken.html",
    "nieuw": "nieuw.html",
    "importeren": "importeren.html",
    "volgende-editie": "volgende.html",
    "sjablonen": "sjablonen.html",
    "beginsjabloon": "sjablonen.html",
}
PATH = {"controleren": "/", "beginsjabloon": "/sjablonen"}


def page_path(kind: str) -> str:
    return PATH.get(kind, f"/{kind}")


def safe_upload_name(name: str | None, fallback: str = "register.xlsx", limit: int = 120) -> str:
    """The browser's file name without folders or characters a file system refuses, and
    short enough for any file system (at most `limit` bytes in UTF-8: a name of 495 bytes
    is fine for a browser, not for Linux); the messages of the file checks name it, so it
    stays recognisable."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r'[\x00-\x1f\x7f<>:"|?*]', "", base).strip(" .")
    if len(base.encode("utf-8", "surrogatepass")) > limit:
        stem, dot, suffix = base.rpartition(".")
        suffix = f".{suffix}" if dot and len(suffix) <= 5 else ""
        stem = stem if suffix else base
        room = limit - len(suffix.encode("utf-8")) - 1
        cut = stem.encode("utf-8", "surrogatepass")[:room].decode("utf-8", "ignore")
        base = f"{cut.rstrip(' .')}…{suffix}"
    if is_reserved(base):  # CON.xlsx: Windows refuses a device name, whatever follows
        base = f"_{base}"
    return base or fallback


def disk_full(exc: BaseException) -> bool:
    """Is the cause a full disk (or used-up quota), anywhere in the chain?"""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


FULL = (
    "De server heeft geen ruimte meer in zijn tijdelijke map (de schijf is vol). Er is "
    "niets van uw bestand bewaard. Probeer het over een paar minuten opnieuw; blijft het "
    "gebeuren, meld het dan bij de beheerder van de webapplicatie."
)


def execute(
    settings: Settings, kind: str, fields: dict[str, str | list[str]], uploads: dict[str, list[Upload]]
) -> Answer:
    """One request's work, in its own folder; every failure becomes the form's page with a
    Dutch message, never a traceback."""
    template, path = TEMPLATE[kind], page_path(kind)
    root = settings.scratch or Path(tempfile.gettempdir())
    folder: Path | None = None
    try:
        folder = Path(tempfile.mkdtemp(prefix="verzoek-", dir=root))
        return WORK[kind](Job(settings, fields, uploads, folder))
    except Refused as exc:
        return render(template, path, settings, exc.status, error=str(exc))
    except Exception as exc:  # noqa: BLE001 - never a traceback for the user
        if disk_full(exc):
            log.error("Schijf vol in de tijdelijke map bij %s", path)
            answer = render(template, path, settings, 503, error=FULL)
            return replace(answer, headers={"Retry-After": "120"})
        if isinstance(exc, ToolkitError):
            return render(template, path, settings, 400, error=for_browser(str(exc)))
        # The type and where it happened, never the message: it may quote a cell.
        frames = traceback.extract_tb(exc.__traceback__)[-3:]
        where = "; ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in frames)
        log.error("Onverwachte fout %s op %s (%s)", type(exc).__name__, path, where)
        return render(
            template,
            path,
            settings,
            500,
            error=(
                "Er ging iets onverwachts mis. Er is niets van uw bestand bewaard. Probeer het "
                "opnieuw; blijft het gebeuren, geef dan de tijd door aan de beheerder."
            ),
        )
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Job:
    settings: Settings
    fields: dict[str, str | list[str]]
    uploads: dict[str, list[Upload]]
    folder: Path

    def text(self, name: str) -> str:
        value = self.fields.get(name, "")
        return (value[0] if isinstance(value, list) and value else str(value or "")).strip()

    def choices(self, name: str) -> list[str]:
        value = self.fields.get(name, [])
        return [value] if isinstance(value, str) else list(value)

    def save(self, field: str, what: str, required: bool = True, suffix: str = ".xlsx") -> Path | None:
        """The upload in this request's folder, under the name the officer gave it."""
        saved = self.save_all(field, what, required, suffix)
        return saved[0] if saved else None

    def save_all(self, field: str, what: str, required: bool = True, suffix: str = ".xlsx") -> list[Path]:
        files = [u for u in self.uploads.get(field, []) if u.name]
        if not files:
            if required:
                raise Refused(f"Kies eerst {what} (een {suffix}-bestand).")
            return []
        saved = []
        for number, upload in enumerate(files, start=1):
            target = self.folder / f"{field}-{number}" / upload.name
            target.parent.mkdir()
            target.write_bytes(upload.data)
            saved.append(target)
        return saved

    def peildatum(self) -> date | None:
        from toolkit.core.dates import parse_peildatum

        text = self.text("peildatum")
        if not text:
            return None
        parsed = parse_peildatum(text)
        if parsed is None:
            raise Refused(
                f"'{text[:40]}' is geen dag. Schrijf de peildatum bijvoorbeeld als "
                f"1-4-2024 of 1 april 2024, of laat het veld leeg."
            )
        return parsed

    # -- the register ------------------------------------------------------------------

    def read(self, path: Path):  # type: ignore[no-untyped-def]
        """An uploaded register, with the server's own annex types (serve --sjablonen)
        and never the folder its setting names: that is a path on someone else's
        computer. Too many rows for a server are refused before anything is read."""
        from toolkit.core.filecheck import check_register_file
        from toolkit.register.read import read_register

        scan = check_register_file(path)
        rows = sum(part.rows for part in scan.parts if part.sheetlike)
        if rows > self.settings.max_rows:
            raise Refused(
                f"'{path.name}' heeft {rows:,} rijen (alle tabbladen samen); de webapplicatie "
                f"neemt registers tot {self.settings.max_rows:,} rijen aan, zodat iedereen "
                f"binnen een minuut antwoord heeft. Staan er lege of overbodige rijen onder de "
                f"tabellen? Verwijder ze en sla het register op. Is het register echt zo groot, "
                f"vraag dan de beheerder om de grens (TOOLKIT_MAX_ROWS) te verhogen.".replace(",", "."),
                status=413,
            )
        try:
            return read_register(path, templates=self.settings.templates, use_setting=False)
        except RegisterStructureError as exc:
            unknown = self._unknown_register(path)
            if unknown:
                raise Refused(unknown) from exc
            raise

    def _unknown_register(self, path: Path) -> str:
        """The message for a register whose table sheets the server does not know: an own
        annex type its administrator has not added (not something the officer can fix)."""
        from python_calamine import CalamineWorkbook

        from toolkit.register.read import sheet_title

        try:
            workbook = CalamineWorkbook.from_path(str(path))
            titles = list(workbook.sheet_names)
            workbook.close()
        except Exception:  # noqa: BLE001 - the reader's own message stands
            return ""
        known = in_use(self.settings.templates)
        if any(sheet_title(titles, sheet) for _, _, sheet, _ in known.types):
            return ""
        others = [t for t in titles if not sheet_title(("Instructies", "Lijsten", "Instellingen"), t)]
        names = ", ".join(f"'{t}'" for t in others) or "geen"
        sheets = ", ".join(f"'{sheet}'" for _, _, sheet, _ in known.types)
        where = (
            f"de map met sjablonen van de organisatie ('{known.folder}')"
            if known.folder
            else "een map met sjablonen van de organisatie, waarmee de webapplicatie wordt gestart"
        )
        return (
            f"'{path.name}' heeft geen tabblad dat deze webapplicatie kent (wel: {names}; "
            f"bekend zijn {sheets}). Is het een register van een eigen bijlagetype van uw "
            f"organisatie? Dan moet de beheerder van de webapplicatie de verklaring van dat "
            f"bijlagetype (een .toml-bestand) en het Word-sjabloon ervan in {where} zetten "
            f"en de webapplicatie opnieuw starten. Geef de beheerder het tabblad en de naam "
            f"van het bijlagetype door."
        )

    def notes(self, register) -> list[str]:  # type: ignore[no-untyped-def]
        """What the page says about templates: the register's own folder setting is not
        followed (it is a folder on the officer's computer), and sheets the server does
        not know get no annex."""
        from toolkit.register.read import sheet_title

        known = in_use(self.settings.templates)
        used = (
            f"de Word-sjablonen van de organisatie (map '{known.folder}')"
            if known.folder
            else "de meegeleverde Word-sjablonen"
        )
        notes = []
        setting = register.setting_text("sjablonen").strip()
        if setting and Path(setting.replace("\\", "/")).name != known.folder:
            notes.append(
                f"Dit register noemt bij 'Map met Word-sjablonen' de map '{setting}'. "
                f"Die map staat niet op deze server; de webapplicatie gebruikt "
                f"{used}."
            )
        if setting:
            names = {sheet for _, _, sheet, _ in known.types}
            unknown = [
                t
                for t in register.titles
                if not sheet_title((*names, "Instructies", "Lijsten", "Instellingen"), t)
            ]
            if unknown:
                listed = ", ".join(f"'{t}'" for t in unknown)
                notes.append(
                    f"Deze server kent het tabblad {listed} niet; daarvan wordt niets "
                    f"gecontroleerd en geen bijlage gemaakt. Hoort het bij een eigen bijlagetype, "
                    f"vraag dan de beheerder de verklaring (.toml) en het Word-sjabloon in de map "
                    f"met sjablonen van de organisatie te zetten."
                )
        return notes

    def findings(self, result) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        """The findings for the page, their advice without command-line options."""
        from toolkit.report.html import findings_context

        shown = replace(
            result,
            findings=[
                replace(f, message=for_browser(f.message), hint=for_browser(f.hint)) for f in result.findings
            ],
        )
        return findings_context(shown)

    def page(self, kind: str, status: int = 200, **context: Any) -> Answer:
        return render(TEMPLATE[kind], page_path(kind), self.settings, status, **context)


def _files(paths: Sequence[tuple[Path | None, str]]) -> list[Download]:
    return [download(p.name, p.read_bytes(), what) for p, what in paths if p is not None and p.is_file()]


def _report_downloads(paths, excel: bool = True) -> list[Download]:  # type: ignore[no-untyped-def]
    return _files(
        [
            (
                paths.excel if excel else None,
                "Excel-kopie van het register met gekleurde cellen en opmerkingen bij elke bevinding",
            ),
            (paths.html, "HTML-rapport met de bevindingen, om te bewaren of door te sturen"),
            (paths.json, "JSON, voor scripts"),
        ]
    )


def _date(day: date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else "geen"


def zip_folder(folder: Path, inside: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(path, f"{inside}{path.relative_to(folder).as_posix()}")
    return buffer.getvalue()


def slug(text: str, fallback: str) -> str:
    made = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower()[:60]
    return made or fallback


# -- the work ------------------------------------------------------------------------------


def check(job: Job) -> Answer:
    from toolkit.report import write_reports
    from toolkit.validation.validate import validate_register

    peildatum = job.peildatum()
    path = job.save("register", "een register")
    assert path is not None
    register = job.read(path)
    result = validate_register(register, peildatum)
    paths = write_reports(result, job.folder / "rapport")
    return job.page(
        "controleren",
        **job.findings(result),
        checked=path.name,
        open_in_excel=result.register.open_in_excel,
        peildatum=_date(result.peildatum),
        notes=job.notes(register),
        downloads=_report_downloads(paths),
    )


def build(job: Job) -> Answer:
    from toolkit.build.documents import build_documents
    from toolkit.build.pdf import convert_to_pdf
    from toolkit.report import report_paths

    peildatum = job.peildatum()
    want_pdf = job.text("pdf") == "ja"
    want_html = job.text("html") == "ja"
    path = job.save("register", "een register")
    previous = job.save("vorige", "", required=False)
    assert path is not None
    register = job.read(path)
    before = job.read(previous) if previous else None
    _templates_there(job.settings, register)
    out = job.folder / "uitvoer"
    # the register arrives without its folder: the server's templates, never its setting
    result = build_documents(
        register,
        out,
        peildatum,
        previous=before,
        parallel=False,
        templates=job.settings.templates,
        use_setting=False,
        html=want_html,
        # the PDF conversion puts the page numbers in the contents itself
        page_numbers=not want_pdf,
    )
    reports = report_paths(path, out / "validatie")
    context = {
        **job.findings(result.validation),
        "peildatum": _date(result.validation.peildatum),
        "notes": job.notes(register),
    }
    if result.validation.errors:
        return job.page("bijlagen", 422, refused=path.name, **context, downloads=_report_downloads(reports))
    pdfs = convert_to_pdf(result.documents, out) if want_pdf else []
    name = f"bijlagen_{Path(path.name).stem}.zip"
    bundle = download(name, zip_folder(out), "alles hieronder in één zip-bestand")
    made = _files(
        [(p, "Word-bijlage") for p in result.documents] + [(p, "PDF (toegankelijk, PDF/UA)") for p in pdfs]
    )
    if result.web:
        made.append(
            download(
                f"webeditie_{Path(path.name).stem}.zip",
                zip_folder(out / "web", "webeditie/"),
                "webeditie: de webpagina's van de bijlagen, om uit te pakken en op "
                "de website te zetten (open webeditie/index.html)",
            )
        )
    return job.page(
        "bijlagen",
        built=path.name,
        **context,
        bundle=bundle,
        documents=made,
        counts_per_annex=_annex_counts(register),
        downloads=_report_downloads(reports, excel=False)
        + _files(
            [
                (
                    result.manifest,
                    "manifest.json: welke bestanden, met welk register, "
                    "peildatum en sjablonen ze zijn gemaakt",
                )
            ]
        ),
    )


def _templates_there(settings: Settings, register) -> None:  # type: ignore[no-untyped-def]
    """The organisation's folder must hold every template this register's annexes need
    (the toolkit never mixes its own and the bundled ones): if not, that is for the
    administrator to mend, and the page says so."""
    from toolkit.build.documents import annexes_to_build

    folder = settings.templates
    if folder is None:
        return
    missing = [a for a in annexes_to_build(register) if not (folder / a.template).is_file()]
    if missing:
        names = " en ".join(f"'{a.template}' ({a.name})" for a in missing)
        raise Refused(
            f"In de map met sjablonen van de organisatie ('{folder.name}') ontbreekt {names}. "
            f"De toolkit mengt de sjablonen van de organisatie niet met de meegeleverde, dus "
            f"deze bijlagen kunnen nu niet worden gemaakt. Vraag de beheerder van de "
            f"webapplicatie het sjabloon in die map te zetten (de pagina Sjablonen geeft een "
            f"beginsjabloon).",
            status=503,
        )


def _annex_counts(register) -> list[str]:  # type: ignore[no-untyped-def]
    from toolkit.build.documents import annexes_to_build

    return [f"{len(register.published(a))} {a.plural} in de {a.name}" for a in annexes_to_build(register)]


def compare(job: Job) -> Answer:
    from toolkit.register.diff import compare as compare_registers
    from toolkit.report.diff import diff_context, write_diff_reports

    old = job.save("oud", "het register van de vorige editie")
    new = job.save("nieuw", "het register van de nieuwe editie")
    assert old is not None and new is not None
    result = compare_registers(job.read(old), job.read(new))
    paths = write_diff_reports(result, job.folder / "rapport")
    context: dict[str, Any] = diff_context(result)
    return job.page(
        "vergelijken",
        **context,
        compared=(old.name, new.name),
        warnings=result.warnings,
        downloads=_files(
            [
                (paths.excel, "Excel, per tabblad een tabel"),
                (paths.html, "HTML-pagina om te bewaren of te mailen"),
                (paths.json, "JSON, voor scripts"),
            ]
        ),
    )


def new_register(job: Job) -> Answer:
    from toolkit.register.write import create_register, init_next_steps

    gemeente = job.text("gemeente")
    if not gemeente:
        raise Refused("Vul de naam van uw gemeente in, zoals die in de bijlagen komt (zonder 'Gemeente').")
    if len(gemeente) > 80:
        raise Refused("Die naam is te lang voor een gemeente (hoogstens 80 tekens).")
    known = in_use(job.settings.templates)
    kinds = [k for k in job.choices("bijlagetype") if k]
    unknown = [k for k in kinds if k not in {t[0] for t in known.types}]
    if unknown or not kinds:
        raise Refused("Kies minstens één bijlagetype uit de lijst.")
    own = any(t[3] for t in known.types if t[0] in kinds)
    target = job.folder / f"register_{slug(gemeente, 'gemeente')}.xlsx"
    # an own type's register names the organisation's folder by its name, as it lies
    # beside the register once the templates are downloaded (page Sjablonen)
    created = create_register(
        target,
        gemeente,
        job.settings.templates if own else None,
        kinds,
        setting=known.folder if own else None,
    )
    steps = [
        re.sub(r"^\d+\. ", "", line.strip())
        for line in init_next_steps(gemeente, created, commands=False, templates=job.settings.templates)[1:]
    ]
    return job.page(
        "nieuw",
        made=created.name,
        steps=steps,
        chosen=[t for t in known.types if t[0] in kinds],
        downloads=_files([(created, "het nieuwe, lege register")]),
    )


def import_annexes(job: Job) -> Answer:
    from toolkit.editions.annex_import import import_annexes as read_annexes
    from toolkit.editions.annex_import import write_imported

    paths = job.save_all("bijlagen", "de Word-bijlagen van de vorige editie", suffix=".docx")
    if len(paths) > 10:
        raise Refused("Kies hoogstens tien Word-bijlagen tegelijk.")
    imported = read_annexes(paths, job.settings.templates)
    name = job.text("naam") or "register"
    out = job.folder / "register" / f"{slug(Path(name).stem, 'register')}.xlsx"
    out.parent.mkdir()
    register, report = write_imported(imported, out, setting=in_use(job.settings.templates).folder)
    notes = [for_browser(n) for n in imported.report.notes]
    cuts = [f"{cut.describe()} De hele tekst staat in het importverslag." for cut in imported.report.cuts]
    return job.page(
        "importeren",
        imported=[p.name for p in paths],
        counts=imported.counts(),
        notes=notes,
        cuts=cuts,
        skipped=imported.report.skipped,
        downloads=_files(
            [
                (register, "het nieuwe register"),
                (report, "importverslag: elke gevonden rij en alles wat is overgeslagen"),
            ]
        ),
    )


def next_edition(job: Job) -> Answer:
    from toolkit.editions.new_edition import next_edition as make_next

    editie = job.text("editie")
    if not editie:
        raise Refused("Vul de nieuwe editie in, bijvoorbeeld 'Programmabegroting 2026'.")
    if len(editie) > 200:
        raise Refused("De editie is te lang (hoogstens 200 tekens).")
    peildatum = job.peildatum()
    old = job.save("register", "het register van de vorige editie")
    assert old is not None
    job.read(old)  # the same checks and limits as every upload, and the same messages
    new = job.folder / "nieuw" / f"register_{slug(editie, 'nieuwe_editie')}.xlsx"
    new.parent.mkdir()
    result = make_next(old, new, editie, peildatum, templates=job.settings.templates, use_setting=False)
    return job.page(
        "volgende-editie",
        made=new.name,
        old=old.name,
        editie=editie,
        kept=result.kept_text(),
        removed=result.removed,
        copied=result.copied,
        warnings=[for_browser(w) for w in result.warnings],
        downloads=_files(
            [
                (result.path, "het register voor de volgende editie"),
                (result.cut_file, "teksten die niet helemaal in een cel pasten, voluit"),
            ]
        ),
    )


def templates_zip(job: Job) -> Answer:
    """The organisation's templates and declarations as one zip: the folder the server
    uses, completed with the bundled templates and a starting template for an own type
    without one, so a coordinator can edit them in Word and hand them to the
    administrator."""
    from toolkit.declarations.sjablonen import copy_templates
    from toolkit.layouts.docx_templates import starter_templates
    from toolkit.layouts.render import bundled_templates

    known = in_use(job.settings.templates)
    folder = job.folder / (known.folder or "sjablonen")
    folder.mkdir()
    source = job.settings.templates
    if source is not None:
        for path in sorted(source.iterdir()):
            if (
                path.is_file()
                and not path.is_symlink()
                and path.suffix.lower() in (".docx", ".toml")
                and not path.name.startswith("~$")
            ):
                shutil.copyfile(path, folder / path.name)
    copy_templates(bundled_templates(), folder)
    starter_templates(folder)
    name = f"{folder.name}.zip"
    return Answer(
        200,
        zip_folder(folder, f"{folder.name}/"),
        "application/zip",
        {
            "Content-Disposition": f'attachment; filename="{slug(folder.name, "sjablonen")}.zip"; '
            f"filename*=UTF-8''{_quote(name)}"
        },
    )


def starter(job: Job) -> Answer:
    """A starting template with a sample card for an own annex type: the server's own, or
    one whose declaration (.toml) the coordinator uploads to try it out."""
    from toolkit.declarations.annextypes import BUILTIN
    from toolkit.layouts.docx_templates import make_card_template

    key = job.text("bijlagetype")
    declared = job.save("verklaring", "", required=False, suffix=".toml")
    if declared is not None:
        if declared.suffix.lower() != ".toml":
            raise Refused(
                f"'{declared.name}' is geen verklaring van een bijlagetype: kies een .toml-bestand."
            )
        types = [t for t in BUILTIN.with_folder(declared.parent).types if not t.bundled]
    else:
        types = [
            t for t in BUILTIN.with_folder(job.settings.templates).types if not t.bundled and t.key == key
        ]
    if not types:
        raise Refused("Kies een eigen bijlagetype, of een verklaring (.toml) om te proberen.")
    annex = types[0]
    target = job.folder / "begin" / Path(annex.template).name
    target.parent.mkdir()
    make_card_template(target, annex)
    return Answer(
        200,
        target.read_bytes(),
        MIME_DOCX,
        {
            "Content-Disposition": f'attachment; filename="{slug(target.stem, "sjabloon")}.docx"; '
            f"filename*=UTF-8''{_quote(target.name)}"
        },
    )


MIME_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


WORK: dict[str, Callable[[Job], Answer]] = {
    "controleren": check,
    "bijlagen": build,
    "vergelijken": compare,
    "nieuw": new_register,
    "importeren": import_annexes,
    "volgende-editie": next_edition,
    "sjablonen": templates_zip,
    "beginsjabloon": starter,
}
