"""The `toolkit` command: parses options, calls the library, prints, sets the exit code.

Heavy libraries (pandas, pandera, openpyxl, docx) are imported inside the commands so
that `toolkit --help` stays instant.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from toolkit import __version__, clitext
from toolkit.core.bundled import bundled

clitext.install()

EXAMPLE_REGISTER = bundled("examples", "voorbeeld_register.xlsx")
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def templates_option(help: str, **extra: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--sjablonen MAP: every command that reads annex types takes it; what the folder is
    for differs per command (help), the server also reads it from its environment."""
    return click.option(
        "--sjablonen",
        "sjablonen",
        type=click.Path(path_type=Path),
        default=None,
        metavar="MAP",
        help=help,
        **extra,
    )


OPEN_NOTE = (
    "Let op: het register is nu geopend in Excel of LibreOffice. Wijzigingen die nog "
    "niet zijn opgeslagen, komen niet mee."
)


#: Exit codes besides 0, 1 (validation errors) and 2 (cannot read or write); docs/commandos.md "Exitcodes".
EXIT_INTERRUPTED = 130  # Ctrl+C, as shells report a process stopped by SIGINT
EXIT_BROKEN_PIPE = 141  # the reader of the output went away (`| head`), as for SIGPIPE


def _fail(exc: Exception, debug: bool) -> None:
    """A ToolkitError becomes its Dutch message and exit code 2; never a traceback."""
    from toolkit.core.errors import ToolkitError
    from toolkit.core.output import reason, shown

    if isinstance(exc, BrokenPipeError):
        raise exc  # the group ends quietly (ToolkitGroup.invoke)
    if debug:
        raise exc
    if isinstance(exc, ToolkitError):
        click.secho(f"Fout: {shown(exc)}", fg="red", err=True)
        sys.exit(exc.exit_code)
    if isinstance(exc, OSError):
        where = f"'{shown(exc.filename)}'" if exc.filename else "Een bestand"
        click.secho(
            f"Fout: {where} kan niet worden gelezen of geschreven: {reason(exc)}. "
            f"Controleer de naam, de map en de rechten en probeer opnieuw.",
            fg="red",
            err=True,
        )
        sys.exit(2)
    click.secho(
        f"Onverwachte fout ({type(exc).__name__}: {exc}). Uw bestanden zijn niet gewijzigd. "
        f"Draai het commando opnieuw met --debug en stuur de uitvoer naar de beheerder.",
        fg="red",
        err=True,
    )
    sys.exit(2)


def _printable_output() -> None:
    """A file name that is not UTF-8 (SMB shares) must print, not crash the message."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
        try:
            stream.reconfigure(  # type: ignore[union-attr]
                errors="surrogateescape" if encoding == "utf8" else "backslashreplace"
            )
        except (AttributeError, ValueError, OSError):
            pass


def _quiet_stdout() -> None:
    """After a broken pipe: nothing more to stdout, not even Python's flush at exit."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test's runner)
        pass


class ToolkitGroup(click.Group):
    """Ctrl+C and a closed pipe end a command with a short Dutch line, never a traceback."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.secho(
                "\nAfgebroken (Ctrl+C). Bestanden die nog niet klaar waren, zijn niet "
                "geschreven; het register is ongewijzigd.",
                fg="yellow",
                err=True,
            )
            sys.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            _quiet_stdout()
            sys.exit(EXIT_BROKEN_PIPE)


@click.group(cls=ToolkitGroup, context_settings=CONTEXT)
@click.version_option(
    __version__, "--version", "-V", message="toolkit %(version)s", help="Toon het versienummer en stop."
)
@click.help_option("-h", "--help", help="Toon deze hulp en stop.")
@click.option("--debug", is_flag=True, help="Toon bij een fout de volledige technische melding.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Register van pilots en acties: controleren en raadsbijlagen maken.

    \b
    Voorbeeld:
      toolkit init mijn_register.xlsx
      toolkit validate mijn_register.xlsx
      toolkit build mijn_register.xlsx --out bijlagen
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    _printable_output()


@cli.command(context_settings=CONTEXT)
@click.argument("pad", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--gemeente",
    default="",
    metavar="NAAM",
    help="Naam van uw gemeente, zoals die in de bijlagen komt (zonder 'Gemeente').",
)
@templates_option(
    "Map met eigen bijlagetypen (*.toml) en Word-sjablonen: hun "
    "tabbladen komen erbij en het register wijst naar de map.",
)
@click.option(
    "--bijlagetype",
    "bijlagetypen",
    multiple=True,
    metavar="SLEUTEL",
    help="Alleen het tabblad van dit bijlagetype (de sleutel van een meegeleverd of "
    "eigen bijlagetype); mag vaker. Standaard: alle.",
)
@click.help_option("-h", "--help", help="Toon deze hulp en stop.")
@click.pass_context
def init(
    ctx: click.Context, pad: Path, gemeente: str, sjablonen: Path | None, bijlagetypen: tuple[str, ...]
) -> None:
    """Maak een nieuw, leeg register op PAD (overschrijft nooit een bestaand bestand).

    Het register begint neutraal: de lijsten van uw gemeente (programma's,
    portefeuilles, opgaven) zijn leeg en de instellingen hebben geen waarden van een
    andere gemeente. Zonder --gemeente blijft de gemeente leeg; de controle vraagt er
    dan om.

    \b
    Voorbeeld:
      toolkit init register_2025.xlsx --gemeente Delft
      toolkit init acties.xlsx --gemeente Delft --bijlagetype acties
      toolkit init projecten.xlsx --gemeente Delft --sjablonen sjablonen --bijlagetype projecten
    """
    from toolkit.register.write import create_register, init_next_steps

    try:
        created = create_register(pad, gemeente, sjablonen, bijlagetypen)
    except Exception as exc:  # noqa: BLE001 - every error becomes a Dutch message
        _fail(exc, ctx.obj["debug"])
        return
    click.echo(f"Nieuw register geschreven: {created}")
    try:
        steps = init_next_steps(gemeente, created)
    except Exception as exc:  # noqa: BLE001 - the register is written; say what went wrong
        _fail(exc, ctx.obj["debug"])
        return
    for line in steps:
        click.echo(line)


class PeildatumType(click.ParamType):
    """--peildatum accepts a day as officers write it: 1-4-2024, 2024-04-01, 1 april 2024."""

    name = "DATUM"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        from toolkit.core.dates import parse_peildatum

        parsed = parse_peildatum(str(value))
        if parsed is None:
            self.fail(f"'{value}' is geen dag. Schrijf bijvoorbeeld 1-4-2024 of 1 april 2024.", param, ctx)
        return parsed


PEILDATUM = click.option(
    "--peildatum",
    type=PeildatumType(),
    default=None,
    help="Datum waartegen de datumregels worden getoetst (standaard: tabblad Instellingen).",
)
#: for the commands that only read registers (build, import and init have their own text)
SJABLONEN = templates_option(
    "Map met de Word-sjablonen en eigen bijlagetypen (*.toml); gaat vóór de instelling "
    "'Map met Word-sjablonen' van het register.",
)


@cli.command(context_settings=CONTEXT)
@click.argument("register", type=click.Path(dir_okay=True, path_type=Path))
@PEILDATUM
@click.option(
    "--report-dir",
    "report_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("rapport"),
    show_default=True,
    help="Map voor de rapporten (Excel, HTML en JSON).",
)
@click.option(
    "--per-eigenaar",
    "per_owner",
    is_flag=True,
    help="Schrijf ook per eigenaar of trekker een klein HTML-rapport (in "
    "REPORT_DIR/per-eigenaar) om door te sturen.",
)
@SJABLONEN
@click.help_option("-h", "--help", help="Toon deze hulp en stop.")
@click.pass_context
def validate(  # type: ignore[no-untyped-def]
    ctx: click.Context,
    register: Path,
    peildatum,
    report_dir: Path,
    per_owner: bool,
    sjablonen: Path | None,
) -> None:
    """Controleer REGISTER en schrijf rapporten voor de controleurs.

    Schrijft een Excel-kopie met gekleurde cellen en opmerkingen (eerste tabblad
    Bevindingen), een HTML-pagina en JSON. Het register zelf wordt nooit gewijzigd.
    Exitcode 0: geen fouten (waarschuwingen mogen); 1: fouten; 2: een bestand of map
    kan niet worden gelezen of geschreven; 130: afgebroken (Ctrl+C).

    \b
    Voorbeeld:
      toolkit validate register.xlsx --peildatum 1-4-2024 --report-dir rapport
      toolkit validate register.xlsx --per-eigenaar
    """
    from toolkit.core.parallel import preloaded
    from toolkit.register.read import read_register
    from toolkit.report import write_reports
    from toolkit.report.html import write_owner_reports
    from toolkit.report.terminal import print_summary
    from toolkit.validation.validate import validate_register

    try:
        with preloaded():  # what validating needs, while the register is read
            reg = read_register(register, templates=sjablonen)
        result = validate_register(reg, peildatum)
        if result.register.open_in_excel:
            click.secho(OPEN_NOTE, fg="yellow")
        print_summary(result)
        paths = write_reports(result, report_dir)
        owners = write_owner_reports(result, report_dir / "per-eigenaar") if per_owner else []
    except Exception as exc:  # noqa: BLE001
        _fail(exc, ctx.obj["debug"])
        return
    click.echo(f"Rapporten: {paths.html}, {paths.excel}, {paths.json}")
    if per_owner:
        click.echo(f"Per eigenaar of trekker: {len(owners)} rapporten in {report_dir / 'per-eigenaar'}")
    sys.exit(result.exit_code)


@cli.command(context_settings=CONTEXT)
@click.argument("register", type=click.Path(dir_okay=True, path_type=Path), required=False)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("uitvoer"),
    show_default=True,
    help="Map voor de bijlagen, het manifest en de validatierapporten.",
)
@PEILDATUM
@click.option("--pdf", is_flag=True, help="Maak ook PDF's (via LibreOffice).")
@click.option(
    "--html",
    is_flag=True,
    help="Maak ook de webeditie: toegankelijke webpagina's "
    "in OUT/web, om op de website van de gemeente te zetten.",
)
@click.option(
    "--previous",
    "previous",
    type=click.Path(dir_okay=True, path_type=Path),
    default=None,
    help="Register van de vorige editie: markeer nieuwe rijen en voeg een overzicht van de wijzigingen toe.",
)
@templates_option(
    "Map met eigen Word-sjablonen (met de namen van de meegeleverde) en eigen "
    "bijlagetypen (*.toml); gaat vóór de instelling 'Map met Word-sjablonen'. "
    "Standaard: de meegeleverde.",
)
@click.help_option("-h", "--help", help="Toon deze hulp en stop.")
@click.pass_context
def build(  # type: ignore[no-untyped-def]
    ctx: click.Context,
    register: Path | None,
    out: Path,
    peildatum,
    pdf: bool,
    html: bool,
    previous: Path | None,
    sjablonen: Path | None,
) -> None:
    """Controleer REGISTER en maak de Word-bijlagen.

    Zonder REGISTER wordt het meegeleverde voorbeeldregister gebruikt. Eerst wordt
    gecontroleerd: bij fouten stopt de bouw (exitcode 1) en staan de rapporten in
    OUT/validatie. Daarna komen in OUT de Bijlage Monitoring evaluatie pilots, de
    statusbijlagen van het actieprogramma en manifest.json. Het register wordt nooit
    gewijzigd. Een bijlage die na de vorige bouw is aangepast (in Word), blijft bewaard
    als '... (bewerkt DATUM TIJD).docx'. Eén bouw per map tegelijk.

    \b
    Voorbeeld:
      toolkit build
      toolkit build register.xlsx --out bijlagen --peildatum 1-10-2024 --pdf
      toolkit build register_najaar.xlsx --previous register_voorjaar.xlsx
      toolkit build register.xlsx --sjablonen mijn_sjablonen
      toolkit build register.xlsx --html
    """
    from toolkit.build.documents import build_documents
    from toolkit.core.output import folder_lock, shown
    from toolkit.core.parallel import preloaded
    from toolkit.register.read import read_register
    from toolkit.report.terminal import print_summary

    path = register or EXAMPLE_REGISTER
    try:
        click.echo(f"Register lezen: {shown(path)}")
        with preloaded():  # what validating and building need, while the register is read
            reg = read_register(path, templates=sjablonen)
        counts = ", ".join(
            f"{len(reg.tables.get(t.sheet.name, []))} {t.plural}"
            for t in reg.types.types
            if t.sheet.name in reg.sheets
        )
        click.echo(f"Gelezen: {counts}.")
        if reg.open_in_excel:
            click.secho(OPEN_NOTE, fg="yellow")
        before = read_register(previous, templates=sjablonen) if previous else None
        with folder_lock(out):  # the PDFs too: one build per output folder at a time
            result = build_documents(
                reg,
                out,
                peildatum,
                progress=click.echo,
                previous=before,
                templates=sjablonen,
                pdf=pdf,
                html=html,
            )
            print_summary(result.validation)
            if result.validation.errors:
                click.secho(
                    f"De bijlagen zijn niet gemaakt: los eerst de fouten op. Rapporten: "
                    f"{shown(out / 'validatie')}",
                    fg="red",
                    err=True,
                )
                sys.exit(1)
            for kept in result.kept:
                click.secho(f"Bewaard (na de vorige bouw gewijzigd): {shown(kept)}", fg="yellow")
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001
        _fail(exc, ctx.obj["debug"])
        return
    click.secho(f"Klaar. De bijlagen staan in {shown(out)}.", fg="green")


@cli.command("import", context_settings=CONTEXT)
@click.argument("bijlagen", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Het nieuwe register (.xlsx); een bestaand bestand wordt nooit overschreven.",
)
@templates_option(
    "Map met eigen bijlagetypen (*.toml) en hun Word-sjablonen: "
    "een bijlage van zo'n type wordt gelezen met de voorbeeldkaart uit het sjabloon.",
)
@click.help_option("-h", "--help", help="Toon deze hulp en stop.")
@click.pass_context
def import_(ctx: click.Context, bijlagen: tuple[Path, ...], out: Path, sjablonen: Path | None) -> None:
    """Lees de Word-bijlagen van de vorige editie in een nieuw register.

    BIJLAGEN zijn de pilotbijlage en/of de statusbijlagen (.docx), gemaakt met
    'toolkit build' of met de hand in dezelfde opmaak. Naast het register komt een
    importverslag met elke gevonden pilot en actie en alles wat is overgeslagen.

    \b
    Voorbeeld:
      toolkit import "Bijlage 5 Monitoring evaluatie pilots.docx" --out register.xlsx
      toolkit import "Projectenrapportage.docx" --sjablonen sjablonen --out projecten.xlsx
    """
    from toolkit.editions.annex_import import import_annexes, write_imported
    from toolkit.report.terminal import MAX_LINES

    try:
        imported = import_annexes(list(bijlagen), sjablonen)
        register, report = write_imported(imported, out)
    except Exception as exc:  # noqa: BLE001
        _fail(exc, ctx.obj["debug"])
        return
    click.echo(f"{imported.counts()} ingelezen.")
    notes, cuts = imported.report.notes, imported.report.cuts
    # a text cut to fit a cell first: that is lost from the register, a note is not
    for cut in cuts[:MAX_LINES]:
        click.secho(
            f"  waarschuwing: {cut.describe()} De hele tekst staat in het importverslag.", fg="yellow"
        )
    for note in notes[: max(0, MAX_LINES - len(cuts))]:
        click.echo(f"  let op: {note}")
    if len(notes) + len(cuts) > MAX_LINES:
        click.echo(f"  … en nog {len(notes) + len(cuts) - MAX_LINES} meer; zie het importverslag.")
    click.echo(f"Register: {register}")
    click.echo(f"Importverslag: {report}")


@cli.command(context_settings=CONTEXT)
@click.argument("oud", type=click.Path(dir_okay=True, path_type=Path))
@click.argument("nieuw", type=click.Path(dir_okay=True, path_type=Path))
@click.option(
    "--report-dir",
    "report_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("rapport"),
    show_default=True,
    help="Map voor het verschillenrapport (Excel, HTML en JSON).",
)
@SJABLONEN
@click.help_option("-h", "--help", help="Toon deze hulp en stop.")
@click.pass_context
def diff(ctx: click.Context, oud: Path, nieuw: Path, report_dir: Path, sjablonen: Path | None) -> None:
    """Vergelijk twee edities van het register: nieuw, vervallen en gewijzigd.

    Rijen worden gekoppeld op hun sleutelkolom (bij pilots en acties het ID), dan op
    naam, dan op een gelijkende naam.
    Per gewijzigd veld toont het rapport de verschillen per woord. Een pilot die
    verdwijnt zonder 'Laatste keer', of waarvan bijna alles tegelijk veranderde, krijgt
    een waarschuwing. Beide registers worden alleen gelezen.

    \b
    Voorbeeld:
      toolkit diff register_voorjaar.xlsx register_najaar.xlsx --report-dir verschillen
    """
    from toolkit.register.diff import compare
    from toolkit.register.read import read_register
    from toolkit.report.diff import write_diff_reports

    try:
        result = compare(read_register(oud, templates=sjablonen), read_register(nieuw, templates=sjablonen))
        paths = write_diff_reports(result, report_dir)
    except Exception as exc:  # noqa: BLE001
        _fail(exc, ctx.obj["debug"])
        return
    for sheet in (s.name for s in result.sheets):
        c = result.counts(sheet)
        click.echo(
            f"{sheet}: {c['nieuw']} nieuw, {c['vervallen']} vervallen, "
            f"{c['gewijzigd']} gewijzigd, {c['ongewijzigd']} ongewijzigd."
        )
    for change in result.warnings:
        click.secho(f"  waarschuwing: {change.ident} {change.name}: {change.warning}", fg="yellow")
    click.echo(f"Rapporten: {paths.html}, {paths.excel}, {paths.json}")


@cli.command("new-edition", context_settings=CONTEXT)
@click.argument("oud", type=click.Path(dir_okay=True, path_type=Path))
@click.argument("nieuw", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--editie",
    required=True,
    metavar="TEKST",
    help="De nieuwe editie, bijvoorbeeld 'Programmabegroting 2026'.",
)
@PEILDATUM
@SJABLONEN
@click.help_option("-h", "--help", help="Toon deze hulp en stop.")
@click.pass_context
def new_edition(  # type: ignore[no-untyped-def]
    ctx: click.Context,
    oud: Path,
    nieuw: Path,
    editie: str,
    peildatum,
    sjablonen: Path | None,
) -> None:
    """Maak het register voor de volgende editie uit OUD; OUD blijft ongewijzigd.

    Pilots op 'Laatste keer' en afgeronde of gestopte acties gaan eruit (ze worden
    genoemd); de rest gaat mee. Heet een waarde op het tabblad Lijsten anders, dan telt
    wat de kolom 'betekenis' ernaast zegt (bijvoorbeeld 'Laatste editie' = Laatste keer).
    Editie en peildatum op Instellingen worden bijgewerkt; 'Map met Word-sjablonen'
    wijst vanuit de plek van NIEUW naar dezelfde map (of naar MAP van --sjablonen).

    \b
    Voorbeeld:
      toolkit new-edition register_2025.xlsx register_2026.xlsx \\
          --editie "Perspectiefnota 2026" --peildatum 1-4-2025
    """
    from toolkit.editions.new_edition import next_edition

    try:
        result = next_edition(oud, nieuw, editie, peildatum, sjablonen)
    except Exception as exc:  # noqa: BLE001
        _fail(exc, ctx.obj["debug"])
        return
    click.echo(f"Nieuw register: {result.path}")
    click.echo(f"Meegenomen: {result.kept_text()}.")
    for line in result.removed:
        click.echo(f"  verwijderd: {line}")
    for line in result.copied:
        click.echo(f"  meegenomen: {line}")
    for line in result.warnings:
        click.secho(f"  waarschuwing: {line}", fg="yellow")


@cli.command("sjablonen", context_settings=CONTEXT)
@click.argument("map_", metavar="MAP", type=click.Path(path_type=Path))
@click.option(
    "--overschrijven",
    is_flag=True,
    help="Vervang sjablonen die al in MAP staan (anders blijven die ongewijzigd).",
)
@click.help_option("-h", "--help", help="Toon deze hulp en stop.")
@click.pass_context
def sjablonen_(ctx: click.Context, map_: Path, overschrijven: bool) -> None:
    """Zet de standaard Word-sjablonen in MAP, om ze in Word aan te passen.

    Kopieert bijlage.docx (de pilotbijlage) en acties.docx (de statusbijlagen). Staat er
    in MAP een eigen bijlagetype (*.toml, zie docs/bijlagetypen.md), dan komt er ook een beginsjabloon
    met een voorbeeldkaart voor. Een sjabloon dat al in MAP staat, blijft ongewijzigd,
    tenzij --overschrijven.

    \b
    Voorbeeld:
      toolkit sjablonen huisstijl
      toolkit build register.xlsx --sjablonen huisstijl
    """
    from toolkit.core.output import shown
    from toolkit.declarations.sjablonen import copy_templates, next_steps
    from toolkit.layouts.docx_templates import starter_templates
    from toolkit.layouts.render import bundled_templates

    try:
        done = copy_templates(bundled_templates(), map_, overschrijven)
        own = starter_templates(done.folder, overschrijven)
    except Exception as exc:  # noqa: BLE001
        _fail(exc, ctx.obj["debug"])
        return
    for path in done.copied:
        click.echo(f"Gekopieerd: {shown(path)}")
    for path in own.copied:
        click.echo(f"Beginsjabloon met voorbeeldkaart: {shown(path)}")
    done.kept.extend(own.kept)
    for path in done.kept:
        click.secho(
            f"Bestaat al, niet overschreven: {shown(path)} (vervangen: voeg --overschrijven toe)", fg="yellow"
        )
    for line in next_steps(done.folder):
        click.echo(line)


@cli.command("tags", context_settings=CONTEXT)
@templates_option(
    "Map met eigen bijlagetypen (*.toml): hun tags (een per instelling) komen erbij.",
)
@click.help_option("-h", "--help", help="Toon deze hulp en stop.")
@click.pass_context
def tags_(ctx: click.Context, sjablonen: Path | None) -> None:
    """Toon welke tags een Word-sjabloon mag gebruiken, en hoe.

    Dezelfde tekst als docs/sjablonen.md, gemaakt uit de code: ook waar de toolkit is
    geïnstalleerd zonder de map docs. Met --sjablonen ook de tags van de eigen
    bijlagetypen in die map.

    \b
    Voorbeeld:
      toolkit tags
      toolkit tags --sjablonen sjablonen
      toolkit tags > tags.md
    """
    from rich.console import Console
    from rich.markdown import Markdown

    from toolkit.declarations.annextypes import BUILTIN
    from toolkit.declarations.sjablonen import require_folder
    from toolkit.layouts.render import tags_markdown

    try:
        types = BUILTIN.with_folder(require_folder(sjablonen)) if sjablonen is not None else BUILTIN
        text = tags_markdown(types)
    except Exception as exc:  # noqa: BLE001 - a bad folder or declaration: a Dutch message
        _fail(exc, ctx.obj["debug"])
        return
    console = Console()
    if console.is_terminal:
        console.print(Markdown(text))
    else:  # into a file or another program: the Markdown itself
        click.echo(text, nl=not text.endswith("\n"))


@cli.command(context_settings=CONTEXT)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    envvar="TOOLKIT_HOST",
    show_envvar=True,
    metavar="ADRES",
    help="Adres waarop de webapplicatie luistert; 0.0.0.0 voor het hele netwerk.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    envvar="TOOLKIT_PORT",
    show_envvar=True,
    metavar="POORT",
    help="Poort van de webapplicatie.",
)
@templates_option(
    "Map met de Word-sjablonen en eigen bijlagetypen (*.toml) "
    "van de organisatie, voor elk register dat wordt geüpload. Standaard: de "
    "meegeleverde.",
    envvar="TOOLKIT_SJABLONEN",
    show_envvar=True,
)
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    default=None,
    envvar="TOOLKIT_WORKERS",
    show_envvar=True,
    help="Werkprocessen voor controleren, vergelijken, inlezen en "
    "de andere lichte verzoeken. Standaard: het aantal processorkernen.",
)
@click.option(
    "--build-workers",
    "build_workers",
    type=click.IntRange(1, 256),
    default=None,
    envvar="TOOLKIT_BUILD_WORKERS",
    show_envvar=True,
    help="Werkprocessen alleen voor bijlagen maken, naast die voor controleren. "
    "Standaard: de helft van --workers (minstens 1).",
)
@click.option(
    "--queue",
    type=click.IntRange(0, 1000),
    default=25,
    show_default=True,
    envvar="TOOLKIT_QUEUE",
    show_envvar=True,
    help="Verzoeken die per werkproces mogen wachten; daarboven krijgt een verzoek "
    "meteen 'te druk, probeer het over een minuut' (503).",
)
@click.option(
    "--max-wait",
    "max_wait",
    type=click.FloatRange(1, 600),
    default=45,
    show_default=True,
    envvar="TOOLKIT_MAX_WAIT",
    show_envvar=True,
    help="Seconden die een verzoek hoogstens wacht op een werkproces (een proxy geeft het na 60 s op).",
)
@click.option(
    "--max-upload",
    "max_upload",
    type=click.IntRange(1, 500),
    default=10,
    show_default=True,
    metavar="MB",
    envvar="TOOLKIT_MAX_UPLOAD",
    show_envvar=True,
    help="Grootste bestand dat wordt aangenomen, in MB.",
)
@click.option(
    "--max-rows",
    "max_rows",
    type=click.IntRange(100, 10_000_000),
    default=20_000,
    show_default=True,
    envvar="TOOLKIT_MAX_ROWS",
    show_envvar=True,
    help="Grootste register dat wordt aangenomen, in rijen (alle tabbladen samen).",
)
@click.option(
    "--max-connections",
    "max_connections",
    type=click.IntRange(1, 100_000),
    default=1000,
    show_default=True,
    envvar="TOOLKIT_MAX_CONNECTIONS",
    show_envvar=True,
    help="Open verzoeken waarboven meteen 'te druk' volgt.",
)
@click.option(
    "--log-format",
    "log_format",
    type=click.Choice(["json", "tekst"]),
    default=None,
    envvar="TOOLKIT_LOG_FORMAT",
    show_envvar=True,
    help="Logboek als JSON (een object per regel) of als tekst. Standaard: tekst in een "
    "terminal, anders JSON.",
)
@click.help_option("-h", "--help", help="Toon deze hulp en stop.")
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    sjablonen: Path | None,  # noqa: PLR0913
    workers: int | None,
    build_workers: int | None,
    queue: int,
    max_wait: float,
    max_upload: int,
    max_rows: int,
    max_connections: int,
    log_format: str | None,
) -> None:
    """Start de webapplicatie voor de hele editie: register controleren, bijlagen maken,
    edities vergelijken, de volgende editie, een nieuw register, bijlagen inlezen en
    sjablonen.

    Luistert standaard alleen op deze computer (127.0.0.1). Er wordt niets van een
    register bewaard; zet de applicatie op een server achter de eigen inlog van de
    gemeente (zie docs/webapplicatie.md). Elke optie kan ook als omgevingsvariabele (TOOLKIT_...).
    Stoppen met Ctrl+C.

    \b
    Voorbeeld:
      toolkit serve
      toolkit serve --host 0.0.0.0 --port 8080
      toolkit serve --sjablonen huisstijl --workers 4
    """
    from toolkit.web.logs import default_format
    from toolkit.web.server import run
    from toolkit.web.settings import MB, Settings, cores

    workers = workers or cores()
    log_format = log_format or default_format(sys.stderr)
    settings = Settings(
        processes=True,
        workers=workers,
        build_workers=build_workers or max(1, workers // 2),
        queue=queue,
        max_wait=max_wait,
        max_upload=max_upload * MB,
        max_rows=max_rows,
        max_connections=max_connections,
        log_format=log_format,
    )
    try:
        run(host, port, echo=click.echo, templates=sjablonen, settings=settings)
    except Exception as exc:  # noqa: BLE001
        _fail(exc, ctx.obj["debug"])


cli.options_metavar = "[OPTIES]"
cli.subcommand_metavar = "COMMANDO [ARGUMENTEN]..."
for _command in cli.commands.values():
    _command.options_metavar = "[OPTIES]"


def main() -> None:  # pragma: no cover
    cli(obj={})
