"""The seven projects of Zoetermeer's *Programmaplan Sociale innovatie* as register rows.

Run: uv run python examples/projects_source.py

The programmaplan (examples/bronnen/004_01711f8b400a1c4b.txt, a text extraction of
the 2022 PDF) describes each project in its part "Projecten en implementatie" under
the same four questions. A third kind of annex (a project card) is built from exactly
these rows, so this module turns the extraction into one dict per project with the
keys ``naam``, ``wat``, ``waarom``, ``hoe`` and ``meten``.

The extraction is messy in the ways real registers are, and the parser copes with it
instead of asking a coordinator to clean the text by hand:

- paragraphs are wrapped over lines, and a page break can even put a blank line in
  the middle of a sentence ("... een betaalde baan" / "" / "(nog) geen reéel ...");
- list items ("- ...") continue on the following lines, and a bold item title can be
  followed by its own description paragraph;
- page numbers ("21"), footnote links (bare URLs) and footnote markers sit between
  the paragraphs;
- some question headings carry stray leading spaces (" Hoe gaan we dat doen?");
- the last project ends where the next chapter starts (a heading with a leading
  space, as " Projecten en implementatie" is in this extraction), or at the end.

Words are never corrected: OCR slips such as "creéren" are real data and stay.
Only the standard library is used, so the module can be imported by tests and by
make_example.py without side effects.
"""

from __future__ import annotations

import re
from pathlib import Path

PROJECTS_TXT = Path(__file__).resolve().parent / "bronnen" / "004_01711f8b400a1c4b.txt"

#: Question heading (lower case, without "?") -> register key, in document order.
QUESTIONS: dict[str, str] = {
    "wat gaan we doen": "wat",
    "waarom gaan we dat doen": "waarom",
    "hoe gaan we dat doen": "hoe",
    "hoe gaan we dat meten": "meten",
}
KEYS: tuple[str, ...] = ("naam", *QUESTIONS.values())

BULLET = "• "

_PAGE_NUMBER = re.compile(r"^\s*(?:pagina\s+)?\d{1,3}(?:\s*(?:/|van)\s*\d{1,3})?\s*$", re.I)
_URL_LINE = re.compile(r"^\s*(?:https?://|www\.)\S*\s*$", re.I)
#: Footnote markers glued to a word: superscript digits ("bestaanszekerheid¹").
_SUPERSCRIPT = re.compile(r"[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+")
_LIST_ITEM = re.compile(r"^[-\u2013\u2022]\s+")
_SENTENCE_END = (".", ":", ";", "?", "!")
#: A line that opens a new chapter or appendix, which ends the projects part.
_NEXT_CHAPTER_WORDS = re.compile(r"^(?:bijlage|bijlagen|hoofdstuk)\b", re.I)


def _question_key(line: str) -> str | None:
    """The register key when ``line`` is one of the four question headings."""
    text = " ".join(line.split()).rstrip("?").strip().lower()
    return QUESTIONS.get(text)


def _is_noise(line: str) -> bool:
    """Page numbers and footnote links: layout of the PDF, not text of the project."""
    return bool(_PAGE_NUMBER.match(line) or _URL_LINE.match(line))


def _is_chapter_heading(raw: str) -> bool:
    """A heading that starts the next chapter after the last project.

    In this extraction chapter headings carry a leading space (" Inleiding",
    " Projecten en implementatie") while body lines do not; a heading is short and
    does not end like a sentence. Question headings and list items that happen to
    carry a stray space are not chapter headings.
    """
    text = raw.strip()
    if not text or _question_key(text) or _LIST_ITEM.match(text) or _is_noise(text):
        return False
    if _NEXT_CHAPTER_WORDS.match(text):
        return True
    return (
        raw[:1].isspace()
        and len(text) <= 80
        and text[:1].isupper()
        and not text.endswith((".", ",", ";", ":"))
    )


def _starts_lowercase(text: str) -> bool:
    """Whether ``text`` continues a sentence: its first letter is lower case.

    Opening brackets and quotes are skipped, so "(nog) geen ..." counts.
    """
    for char in text:
        if char.isalpha():
            return char.islower()
        if char.isdigit():
            return False
    return False


def _paragraphs(lines: list[str]) -> list[str]:
    """Join the wrapped lines of one answer into paragraphs and list items.

    A blank line ends a paragraph, except where a page break cut a sentence in two
    (the paragraph does not end like a sentence and the next one starts in lower
    case). A "- " line starts a list item, printed with a bullet; its following lines
    belong to it, unless a line starting with a capital follows an item title
    without closing punctuation: that is the item's own description paragraph.
    """
    paragraphs: list[str] = []
    current: list[str] = []
    is_item = False
    after_blank = False

    def flush() -> None:
        nonlocal current
        if current:
            text = " ".join(current)
            paragraphs.append(BULLET + text if is_item else text)
        current = []

    for raw in lines:
        line = _SUPERSCRIPT.sub("", raw).strip()
        if not line:
            after_blank = True
            continue
        if _LIST_ITEM.match(line):
            flush()
            current, is_item = [_LIST_ITEM.sub("", line)], True
        elif after_blank:
            if current and not current[-1].endswith(_SENTENCE_END) and _starts_lowercase(line):
                current.append(line)
            else:
                flush()
                current, is_item = [line], False
        elif (
            is_item
            and current
            and not current[-1].endswith(_SENTENCE_END)
            and not _starts_lowercase(line)
            and len(current) == 1
        ):
            flush()
            current, is_item = [line], False
        else:
            current.append(line)
        after_blank = False
    flush()
    return paragraphs


def parse_projects(text: str) -> list[dict[str, str]]:
    """The projects of the programmaplan, in document order, one dict per project.

    A project starts at its title: the last line of text above a "Wat gaan we doen?"
    heading. Its answers run from each question heading to the next, and the last
    answer of a project stops at the next project's title, at the next chapter or at
    the end of the text. Paragraphs are separated by "\\n"; list items start with
    "• ". A trailing full stop after a title ("Preventie in de praktijk.") is a slip
    of the heading, not part of the name.
    """
    raw_lines = text.splitlines()
    start = next(
        (
            i
            for i, line in enumerate(raw_lines)
            if " ".join(line.split()).lower() == "projecten en implementatie"
        ),
        0,
    )
    lines = ["" if _is_noise(line) else line for line in raw_lines[start + 1 :]]

    wat_at = [i for i, line in enumerate(lines) if _question_key(line) == "wat"]
    titles: list[int] = []
    for i in wat_at:
        j = i - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        titles.append(j)

    projects: list[dict[str, str]] = []
    for number, title_at in enumerate(titles):
        if number + 1 < len(titles):
            end = titles[number + 1]
        else:
            end = next(
                (k for k in range(wat_at[number] + 1, len(lines)) if _is_chapter_heading(lines[k])),
                len(lines),
            )
        project = {key: "" for key in KEYS}
        project["naam"] = " ".join(lines[title_at].split()).rstrip(".").strip()
        key: str | None = None
        body: list[str] = []
        for line in [*lines[title_at + 1 : end], None]:
            found = _question_key(line) if line is not None else None
            if line is None or found:
                if key:
                    project[key] = "\n".join(_paragraphs(body))
                key, body = found, []
            elif key:
                body.append(line)
        projects.append(project)
    return projects


#: Start and end per project as the programmaplan states them. The text gives no
#: project-specific dates except where noted; the shared planning (part "Planning")
#: says every projectopdracht is adopted in Q4-2022, at the latest Q1-2023, and the
#: programme's budget initially runs to 2024.
PROJECT_DATES: dict[str, tuple[str, str]] = {
    "Basisbanen": ("Q4-2022", "Nog niet bekend"),
    "Vindplaatsen verborgen schulden": ("Q4-2022", "Nog niet bekend"),
    "Onder de pannen": ("Q4-2022", "Nog niet bekend"),
    "Resultaat gedreven inzet voor jeugd & gezinnen": ("Q4-2022", "Nog niet bekend"),
    # "gericht aanbod per 1-1-2025"
    "Innovatief wijkgericht en integraal ondersteuningsaanbod gericht op preventie": ("Q4-2022", "1-1-2025"),
    "Positieve gezondheid en het huishouden": ("Q4-2022", "Nog niet bekend"),
    # "een projectplan 'wijkgericht investeren en organiseren' voor 4 jaar"
    "Preventie in de praktijk": ("Q4-2022", "Q4-2026 (projectplan voor 4 jaar)"),
}

#: Status per project. The programmaplan reports no progress: these statuses are
#: invented for the example register (a plausible mix for a demo), not taken from
#: the source.
PROJECT_STATUS: dict[str, str] = {
    "Basisbanen": "In uitvoering",
    "Vindplaatsen verborgen schulden": "In uitvoering",
    "Onder de pannen": "Afgerond",
    "Resultaat gedreven inzet voor jeugd & gezinnen": "In voorbereiding",
    "Innovatief wijkgericht en integraal ondersteuningsaanbod gericht op preventie": "In voorbereiding",
    "Positieve gezondheid en het huishouden": "In uitvoering",
    "Preventie in de praktijk": "Nog niet gestart",
}


def main() -> None:
    """Print the parsed projects, so a reader can check them against the source."""
    for project in parse_projects(PROJECTS_TXT.read_text(encoding="utf-8")):
        name = project["naam"]
        start, end = PROJECT_DATES[name]
        print(f"== {name} ({start} – {end}; {PROJECT_STATUS[name]})")
        for key in KEYS[1:]:
            print(f"-- {key}\n{project[key]}")
        print()


if __name__ == "__main__":
    main()
