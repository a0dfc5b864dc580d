"""No English reaches a user: every command's help, click's own errors, the server's log."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import click
import pytest
from click.testing import CliRunner
from conftest import ROOT

from toolkit.cli import cli

#: English words and phrases of click and uvicorn. Option and command names (--out,
#: --previous, new-edition, serve) are the toolkit's own and not in this list.
ENGLISH = [
    "Usage",
    "Options",
    "Commands",
    "Arguments",
    "Show",
    "message",
    "exit",
    "Error",
    "Invalid",
    "Missing",
    "missing",
    "Did you mean",
    "not in the range",
    "range",
    "No such",
    "Try",
    "for help",
    "does not",
    "is not",
    "unexpected",
    "requires",
    "required",
    "default",
    "value",
    "TEXT",
    "INTEGER",
    "FLOAT",
    "PATH",
    "FILE",
    "DIRECTORY",
    "BOOLEAN",
    "DATETIME",
    "integer",
    "float",
    "boolean",
    "Aborted",
    "version",
    "Started",
    "running",
    "Press",
    "quit",
    "Waiting",
    "application",
    "startup",
    "complete",
    "Shutting",
    "Finished",
    "server process",
    "Uvicorn",
]
ENGLISH_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ENGLISH) + r")\b")


def english(text: str) -> list[str]:
    """The English words in text, leaving out option names (--version, -h)."""
    return ENGLISH_RE.findall(re.sub(r"(?<![\w-])--?\w[\w-]*", " ", text))


def command_paths() -> list[list[str]]:
    paths: list[list[str]] = [[]]
    for name, command in cli.commands.items():
        paths.append([name])
        if isinstance(command, click.Group):
            paths.extend([name, sub] for sub in command.commands)
    return paths


def invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(cli, args, obj={}, prog_name="toolkit")
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def test_the_word_list_finds_clicks_english():
    """The check itself can fail: click's untranslated texts are caught."""
    assert english("Usage: toolkit [OPTIONS]\n  --host TEXT  Show this message and exit.")
    assert english("Error: No such option '--x'. Did you mean '--out'?")
    assert english("99999 is not in the range 1<=x<=65535.")
    assert not english("Gebruik: toolkit build [OPTIES] --out MAP --previous PAD (exitcode 2)")
    assert not english("  -V, --version  Toon het versienummer en stop.")


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "toolkit")
def test_every_help_is_dutch(path):
    code, output = invoke([*path, "--help"])
    assert code == 0, output
    assert "Gebruik:" in output and "Opties:" in output
    assert english(output) == [], output


BAD = {
    "onbekende optie": (["build", "--bogus"], "Onbekende optie"),
    "optie met tikfout": (["build", "--ou", "x"], "Bedoelt u"),
    "commando met tikfout": (["validat", "x.xlsx"], "Bedoelt u 'validate'"),
    "onbekend commando": (["publiceer"], "Onbekend commando"),
    "argument ontbreekt": (["validate"], "Argument ontbreekt"),
    "verplichte optie ontbreekt": (["new-edition", "a.xlsx", "b.xlsx"], "Optie ontbreekt"),
    "optie zonder waarde": (["validate", "x.xlsx", "--peildatum"], "heeft een waarde nodig"),
    "vlag met waarde": (["build", "--pdf=ja"], "neemt geen waarde"),
    "poort buiten bereik": (["serve", "--port", "99999"], "valt buiten het bereik"),
    "poort geen getal": (["serve", "--port", "acht"], "geen geldig getal"),
    "datum ongeldig": (["validate", "x.xlsx", "--peildatum", "31-02-2024"], "geen dag"),
    "extra argument": (["diff", "a", "b", "c"], "Onverwacht extra argument"),
    "geen commando": ([], "Gebruik:"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_invocations_answer_in_dutch(case):
    args, expected = BAD[case]
    code, output = invoke(args)
    assert code in (0, 2), output
    assert expected in output, output
    assert english(output) == [], output


def test_version_is_dutch():
    code, output = invoke(["--version"])
    assert code == 0 and output.startswith("toolkit ")
    assert english(output) == []


SERVER = textwrap.dedent("""
    import sys
    import threading
    import uvicorn
    from toolkit.web.server import config

    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return

    server = uvicorn.Server(config("127.0.0.1", 0, app, log_format=sys.argv[1]))
    threading.Timer(0.5, lambda: setattr(server, "should_exit", True)).start()
    server.run()
""")


@pytest.mark.parametrize("log_format", ["tekst", "json"])
def test_the_web_servers_start_and_stop_lines_are_dutch(log_format):
    """uvicorn with the toolkit's log configuration, in its own process, as serve runs it.
    The JSON log's keys (time, level, message) are fixed names for a log collector; its
    messages are Dutch."""
    import json

    done = subprocess.run(
        [sys.executable, "-c", SERVER, log_format], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    log = done.stdout + done.stderr
    if log_format == "json":
        log = "\n".join(json.loads(line)["message"] for line in log.splitlines() if line)
    assert "Bereikbaar op http://127.0.0.1:" in log and "(stoppen met Ctrl+C)" in log
    assert "Serverproces" in log and "gestopt" in log
    assert english(log) == [], log


def test_an_unknown_uvicorn_warning_keeps_its_text_after_a_dutch_lead_in():
    import logging

    from toolkit.web.logs import DutchLog

    def record(level: int, msg: str, *args: object) -> logging.LogRecord:
        return logging.LogRecord("uvicorn.error", level, __file__, 1, msg, args, None)

    keep = DutchLog(levels=True)
    warning = record(logging.WARNING, "Something new: %s", "100%")
    assert keep.filter(warning)
    assert warning.getMessage() == ("Technische melding van de webserver uvicorn: Something new: 100%")
    assert warning.levelname == "WAARSCHUWING"
    assert not keep.filter(record(logging.INFO, "Some new chatter"))
    started = record(logging.INFO, "Started server process [%d]", 42)
    assert keep.filter(started) and started.getMessage() == "Serverproces 42 gestart."
