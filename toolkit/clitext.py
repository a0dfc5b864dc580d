"""Dutch for click's own words ("Usage:", "Options", "Missing argument", ...).

click translates through gettext, which depends on the machine's locale files; a
coordinator's machine should not decide whether the toolkit speaks Dutch. So the
messages the toolkit's users can meet are translated here, once, and click's modules
are pointed at this table. click also builds metavars (TEXT, INTEGER RANGE) and the
"is not a valid integer" message from the English names of its parameter types; those
names are replaced too (TYPE_NAMES).

Works for click 8.1 up to 8.x (pinned in pyproject.toml): every module that imports
gettext's `_`/`ngettext` gets this table instead. tests/test_cli_dutch.py runs every
command's help and a set of bad invocations and fails on an English word, so a click
release with new or changed messages is noticed.
"""

from __future__ import annotations

import gettext
import sys

DUTCH = {
    "Usage:": "Gebruik:",
    "Options": "Opties",
    "Commands": "Commando's",
    "Positional arguments": "Argumenten",
    "default: {default}": "standaard: {default}",
    "required": "verplicht",
    "Show this message and exit.": "Toon deze hulp en stop.",
    "Show the version and exit.": "Toon het versienummer en stop.",
    "Error: {message}": "Fout: {message}",
    "Try '{command} {option}' for help.": "Typ '{command} {option}' voor hulp.",
    "Missing argument": "Argument ontbreekt",
    "Missing option": "Optie ontbreekt",
    "Missing parameter": "Waarde ontbreekt",
    "Missing {param_type}": "{param_type} ontbreekt",
    "Missing parameter: {param_name}": "Waarde ontbreekt: {param_name}",
    "Missing command.": "Geef een commando.",
    "No such command {name!r}.": "Onbekend commando {name!r}.",
    "No such option {name!r}.": "Onbekende optie {name!r}.",
    "Did you mean {possibility}?": "Bedoelt u {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Bedoelt u een van: {possibilities}?)",
    "Option {name!r} does not take a value.": "Optie {name!r} neemt geen waarde.",
    "Option {name!r} requires an argument.": "Optie {name!r} heeft een waarde nodig.",
    "Option {name!r} requires {nargs} arguments.": "Optie {name!r} heeft {nargs} waarden nodig.",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "Got unexpected extra argument ({args})": "Onverwacht extra argument ({args})",
    "Got unexpected extra arguments ({args})": "Onverwachte extra argumenten ({args})",
    "Aborted!": "Afgebroken.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} bestaat niet.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} is een map.",
    "{name} {filename!r} is a file.": "{name} {filename!r} is een bestand.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} kan niet worden gelezen (geen leesrechten). Vraag toegang of "
    "kopieer het bestand naar een eigen map.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} is niet beschrijfbaar (geen schrijfrechten). Kies een andere map.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} kan niet worden uitgevoerd.",
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig {number_type}.",
    "{value} is not in the range {range}.": "{value} valt buiten het bereik {range}.",
    "{value!r} is not {choice}.": "{value!r} is niet {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} is niet een van {choices}.",
    "Choose from:\n\t{choices}": "Kies uit:\n\t{choices}",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} is geen geldige ja/nee-waarde. Mogelijk: {states}",
    "{value!r} does not match the format {format}.": "{value!r} past niet bij de vorm {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} past niet bij de vormen {formats}.",
    "{value!r} is not a valid UUID.": "{value!r} is geen geldige UUID.",
    "Argument {name!r} takes {nargs} values.": "Argument {name!r} heeft {nargs} waarden nodig.",
    "Takes {nargs} values but 1 was given.": "Neemt {nargs} waarden, maar er is 1 gegeven.",
    "Takes {nargs} values but {len} were given.": "Neemt {nargs} waarden, maar er zijn er {len} gegeven.",
    "{len_type} values are required, but {len_value} was given.": "Er zijn {len_type} waarden nodig, maar er is {len_value} gegeven.",
    "{len_type} values are required, but {len_value} were given.": "Er zijn {len_type} waarden nodig, maar er zijn er {len_value} gegeven.",
    "Value must be an iterable.": "De waarde moet een reeks zijn.",
    "Invalid start character for option ({option})": "Ongeldig begin van een optie ({option})",
    "Could not open file {filename!r}: {message}": "Bestand {filename!r} kan niet worden geopend: {message}",
    "unknown error": "onbekende fout",
    "%(prog)s, version %(version)s": "%(prog)s, versie %(version)s",
    "env var: {var}": "omgevingsvariabele: {var}",
    "(dynamic)": "(wisselend)",
    "deprecated": "verouderd",
    "Do you want to continue?": "Wilt u doorgaan?",
    "Confirm the action without prompting.": "Bevestig zonder te vragen.",
    "Repeat for confirmation": "Herhaal ter bevestiging",
    "Error: The two entered values do not match.": "Fout: de twee waarden zijn niet gelijk.",
    "Error: invalid input": "Fout: ongeldige invoer",
    "Press any key to continue...": "Druk op een toets om verder te gaan...",
    "integer": "geheel getal",
    "integer range": "geheel getal",
    "float": "getal",
    "float range": "getal",
    "file": "bestand",
    "directory": "map",
    "path": "pad",
    "argument": "argument",
    "option": "optie",
    "parameter": "waarde",
}


#: click's parameter types by class name: the name click shows as metavar (upper case,
#: "--host TEKST") and in "... is geen geldig geheel getal".
TYPE_NAMES = {
    "StringParamType": "tekst",
    "UnprocessedParamType": "tekst",
    "IntParamType": "getal",
    "IntRange": "getal",
    "FloatParamType": "getal",
    "FloatRange": "getal",
    "BoolParamType": "ja/nee",
    "DateTime": "datum",
    "File": "bestand",
    "UUIDParameterType": "uuid",
}


def _gettext(message: str) -> str:
    return DUTCH.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def install() -> None:
    """Point click's translation hooks at the Dutch table.

    Every click module that bound gettext's functions at import (core, exceptions,
    parser, types, formatting, decorators, termui, ... whichever the version has) gets
    the table's; modules imported later (shell_completion) keep English, which only a
    shell's completion script would show.
    """
    import click
    import click.types

    for name, module in list(sys.modules.items()):
        if name != "click" and not name.startswith("click."):
            continue
        if getattr(module, "_", None) is gettext.gettext:
            module._ = _gettext  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = _ngettext  # type: ignore[attr-defined]
    for class_name, dutch in TYPE_NAMES.items():
        kind = getattr(click.types, class_name, None)
        if isinstance(kind, type) and isinstance(getattr(kind, "name", None), str):
            setattr(kind, "name", dutch)  # noqa: B010 - a class attribute of click's
