"""Dutch for click's own words ("Usage:", "Options", "Missing argument", ...).

click translates through gettext, which depends on the machine's locale files; a
coordinator's machine should not decide whether the toolkit speaks Dutch. So the
messages the toolkit's users can meet are translated here, once, and click's modules
are pointed at this table.
"""

from __future__ import annotations

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
    "{name} {filename!r} is not readable.":
        "{name} {filename!r} kan niet worden gelezen (geen leesrechten). Vraag toegang of "
        "kopieer het bestand naar een eigen map.",
    "{name} {filename!r} is not writable.":
        "{name} {filename!r} is niet beschrijfbaar (geen schrijfrechten). Kies een andere map.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} kan niet worden uitgevoerd.",
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig {number_type}.",
    "integer": "geheel getal",
    "float": "getal",
    "file": "bestand",
    "directory": "map",
    "path": "pad",
    "argument": "argument",
    "option": "optie",
    "parameter": "waarde",
}


def _gettext(message: str) -> str:
    return DUTCH.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def install() -> None:
    """Point click's translation hooks at the Dutch table."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types

    for module in (click.core, click.decorators, click.exceptions, click.formatting,
                   click.parser, click.types):
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]
