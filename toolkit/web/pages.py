"""The pages: one Jinja environment, the settings every page shows, and Dutch text for a
browser (no command-line advice).

Used by the server process (forms, refusals) and by the worker processes that do the
work and render the result pages, so both look the same.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from toolkit import __version__
from toolkit.declarations.findings import plural

#: (address, name in the menu), in the order of an edition
PAGES = (
    ("/", "Register controleren"),
    ("/bijlagen", "Bijlagen maken"),
    ("/vergelijken", "Edities vergelijken"),
    ("/volgende-editie", "Volgende editie"),
    ("/nieuw", "Nieuw register"),
    ("/importeren", "Bijlagen inlezen"),
    ("/sjablonen", "Sjablonen"),
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MIME = {
    ".xlsx": XLSX,
    ".docx": DOCX,
    ".html": "text/html",
    ".json": "application/json",
    ".txt": "text/plain",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".toml": "text/plain",
}


@dataclass(frozen=True)
class Answer:
    """What a request gets back: made in a worker process, sent by the server."""

    status: int
    body: bytes
    media_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Download:
    name: str
    href: str
    what: str


def download(name: str, content: bytes, what: str) -> Download:
    """A file that travels inside the page (a data: link): nothing stays on the server."""
    mime = MIME.get(Path(name).suffix.lower(), "application/octet-stream")
    return Download(name, f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}", what)


@cache
def environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader(
            [PackageLoader("toolkit.web", "templates"), PackageLoader("toolkit.report", "templates")]
        ),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    env.filters["aantal"] = plural
    env.filters["mb"] = lambda n: f"{n / (1024 * 1024):.0f} MB"
    env.filters["getal"] = lambda n: f"{n:,}".replace(",", ".")
    return env


@dataclass(frozen=True)
class InUse:
    """The templates and annex types every upload is handled with (toolkit serve
    --sjablonen): shown on every page, so nobody wonders why an annex looks as it does."""

    folder: str | None  # the folder's name, None for the bundled templates
    types: tuple[tuple[str, str, str, bool], ...]  # (key, name, sheet, own)

    @property
    def own(self) -> list[tuple[str, str, str, bool]]:
        return [t for t in self.types if t[3]]


@cache
def in_use(templates: Path | None) -> InUse:
    from toolkit.declarations.annextypes import BUILTIN

    types = BUILTIN.with_folder(templates)
    return InUse(
        templates.name if templates is not None else None,
        tuple((t.key, t.name, t.sheet.name, not t.bundled) for t in types.types),
    )


@cache
def pdf_available() -> bool:
    from toolkit.build.pdf import soffice_path

    return soffice_path() is not None


#: the parts of the template reference (docs/sjablonen.md) a web user needs: how to
#: choose a folder of templates is the server administrator's, on the command line
_NOT_ON_THE_WEB = ("Eigen sjablonen",)
_DOCS_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\.md(?:#[^)]*)?\)")


def template_reference(templates: Path | None = None) -> str:
    """The template reference (the text `toolkit tags` shows, generated from the code) as
    HTML for the page Sjablonen > Tags en stijlen, with the tags of the server's own
    annex types (templates): raw HTML in it is escaped, links to other documentation
    files become their text (those files are not on the server). Made for each request,
    as the other pages read the folder: a declaration changed on the server shows at once."""
    from markdown_it import MarkdownIt

    from toolkit.declarations.annextypes import BUILTIN
    from toolkit.layouts.render import tags_markdown

    parts = re.split(r"(?m)^(?=## )", tags_markdown(BUILTIN.with_folder(templates)))
    kept = [
        part for part in parts[1:] if part.splitlines()[0].removeprefix("## ").strip() not in _NOT_ON_THE_WEB
    ]
    text = _DOCS_LINK.sub(r"\1", "".join(kept))
    return MarkdownIt("commonmark", {"html": False}).enable("table").render(text)


def render(template: str, path: str, settings: Any, status: int = 200, **context: Any) -> Answer:
    html = (
        environment()
        .get_template(template)
        .render(
            path=path,
            pages=PAGES,
            version=__version__,
            max_upload=settings.max_upload,
            max_rows=settings.max_rows,
            pdf_available=pdf_available(),
            in_use=in_use(settings.templates),
            **context,
        )
    )
    return Answer(status, html.encode("utf-8"))


# -- text for a browser ------------------------------------------------------------------

#: a command, an option or a program's command line: advice for a terminal
_COMMAND = re.compile(
    r"['`‘]toolkit [^'`’]*['`’]|\btoolkit (?:init|validate|build|import|diff|new-edition|"
    r"sjablonen|serve)\b|(?<![\w-])--[a-z][a-z-]+"
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z'‘(])")
#: where a sentence can lose its last part and still say something
_CLAUSE = re.compile(r",? of |; |, en |, ")


def for_browser(text: str) -> str:
    """A library message without its command-line advice: people in a browser have no
    terminal. A part of a sentence that names a command or option is dropped (with a
    question that leads up to it), the rest of the message stays as it is."""
    if not _COMMAND.search(text):
        return text
    text = re.sub(r"\s*\([^()]*\)", lambda m: "" if _COMMAND.search(m.group()) else m.group(), text)
    kept: list[str] = []
    for sentence in _SENTENCE.split(text):
        found = _COMMAND.search(sentence)
        if found is None:
            kept.append(sentence)
            continue
        cuts = [m.start() for m in _CLAUSE.finditer(sentence, 0, found.start())]
        if cuts and cuts[-1] > 20:
            kept.append(sentence[: cuts[-1]].rstrip(" ,;:") + ".")
        elif kept and kept[-1].endswith("?"):
            kept.pop()
    return " ".join(kept).strip()
