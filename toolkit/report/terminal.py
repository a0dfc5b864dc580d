"""A short summary in the terminal: counts, then the errors first."""

from __future__ import annotations

from collections import Counter

from toolkit.declarations.findings import Severity, summary, titles
from toolkit.validation.validate import ValidationResult

MAX_LINES = 25


def print_summary(result: ValidationResult, console=None) -> None:  # type: ignore[no-untyped-def]
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    class QuietConsole(Console):
        def on_broken_pipe(self) -> None:
            raise BrokenPipeError  # the CLI ends quietly with its own exit code (`| head`)

    console = console or QuietConsole()
    c = result.counts
    colour = "red" if c["fout"] else "yellow" if c["waarschuwing"] else "green"
    console.print(f"[bold {colour}]{escape(result.register.path.name)}: {summary(c)}[/]")
    if not result.findings:
        return
    table = Table("Code", "Ernst", "Aantal", "Wat", show_edge=False)
    names = titles(result.findings)
    for (code, sev), n in sorted(Counter((f.code, str(f.severity)) for f in result.findings).items()):
        table.add_row(code, sev, str(n), names[code])
    console.print(table)
    ordered = sorted(result.findings, key=lambda f: f.severity is not Severity.ERROR)
    for f in ordered[:MAX_LINES]:
        where = f"{f.sheet}!{f.cell}" if f.cell else f.sheet
        if f.record and f.record != f.sheet:  # the row by its key and name: 'P-004 Dealbreakers'
            where += f" ({f.record})"
        console.print(
            f"  [{'red' if f.severity is Severity.ERROR else 'yellow'}]"
            f"{f.severity}[/] {escape(where)} {escape(f.message)}",
            highlight=False,
        )
    if len(ordered) > MAX_LINES:
        console.print(f"  … en nog {len(ordered) - MAX_LINES} meer; zie de rapporten.")
