"""Every relative link in the README and docs/ leads somewhere: a reader who clicks one from
the first page must land on the page and the heading it names (as GitHub renders them)."""

import re
from pathlib import Path

import pytest
from conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)


def _prose(text: str) -> str:
    """The text without code: a `[x](y)` inside a code block or span is not a link."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: the rendered text in lower case, punctuation
    (but not hyphens or underscores) dropped, each space a hyphen."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link shows its text
    text = re.sub(r"<[^>]+>", "", text).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    result = set()
    for match in HEADING.finditer(FENCE.sub("", page.read_text(encoding="utf-8"))):
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return result


def links(page: Path) -> list[str]:
    return LINK.findall(_prose(page.read_text(encoding="utf-8")))


def test_the_parser_finds_links_and_skips_code():
    assert len(links(ROOT / "README.md")) > 20
    assert _prose("zie `[a](b)` en\n```\n[c](d)\n```\n[e](f.md#g)") == "zie  en\n\n[e](f.md#g)"


def test_the_slugs_are_githubs():
    assert (
        slug("Edities: `toolkit import`, `toolkit diff`, `build --previous`, `toolkit new-edition`")
        == "edities-toolkit-import-toolkit-diff-build---previous-toolkit-new-edition"
    )
    assert (
        slug('Capaciteit: werkprocessen, wachtrij, "te druk"') == "capaciteit-werkprocessen-wachtrij-te-druk"
    )
    assert slug("1. Installeren") == "1-installeren"
    assert slug("Eigen sjablonen en bijlagetypen") == "eigen-sjablonen-en-bijlagetypen"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves(page: Path):
    broken = []
    for target in links(page):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            broken.append(f"{target}: bestand bestaat niet")
        elif anchor:
            if linked.suffix != ".md":
                broken.append(f"{target}: een anker in een bestand dat geen Markdown is")
            elif anchor not in anchors(linked):
                broken.append(f"{target}: geen kop met dat anker in {linked.name}")
    assert not broken, "\n".join(broken)


def test_the_readme_links_every_page_and_picture_in_docs():
    readme = ROOT / "README.md"
    linked = {(readme.parent / t.partition("#")[0]).resolve() for t in links(readme)}
    for page in (ROOT / "docs").glob("*.md"):
        assert page.resolve() in linked, f"{page.name} staat niet in de README"
    # every picture is used somewhere, and small enough for a page that loads quickly
    used = {(p.parent / t).resolve() for p in PAGES for t in links(p) if t.endswith(".png")}
    for picture in (ROOT / "docs" / "img").glob("*.png"):
        assert picture.resolve() in used, f"{picture.name} wordt nergens gebruikt"
        assert picture.stat().st_size < 150_000, picture.name
