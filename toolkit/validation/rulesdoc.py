"""docs/regels.md, generated from the rule catalogue and the bundled declarations.

It reads both the fixed catalogue (declarations.findings) and the rules the bundled
types declare, so it sits above both; generating it keeps the docs from drifting.
"""

from __future__ import annotations

import re

from toolkit.declarations.annextypes import BUILTIN
from toolkit.declarations.findings import RULES
from toolkit.declarations.rulekinds import kinds_markdown


def rules_markdown() -> str:
    """docs/regels.md, generated so the catalogue and its documentation never drift."""
    lines = [
        "# Regelcatalogus",
        "",
        "Elke bevinding van `toolkit validate` heeft een vaste code. Deze pagina wordt "
        "gemaakt uit `toolkit/declarations/findings.py`, `toolkit/declarations/rulekinds.py` "
        "en `toolkit/validation/rulesdoc.py` (`uv run python -m toolkit.validation.rulesdoc`).",
        "",
        "## Vaste regels",
        "",
        "Deze regels gelden voor elk register en elk tabblad: de regels per kolom "
        "(verplicht, keuzelijst, datum, tekens, dubbele ID) en die over het register en zijn "
        "instellingen.",
        "",
        "| code | ernst | wat | hoe op te lossen |",
        "|---|---|---|---|",
    ]
    for rule in RULES:
        hint = rule.hint.replace("{detail}", "…").replace("|", "\\|")
        lines.append(f"| `{rule.code}` | {rule.severity} | {rule.title} | {hint} |")
    lines += [
        "",
        "## Regels van de meegeleverde bijlagetypen",
        "",
        "Deze regels verklaren de meegeleverde bijlagetypen zelf, als `[[regel]]` in "
        "hun verklaring (`toolkit/declarations/bijlagetypen/*.toml`), met de regelsoorten hieronder. "
        "Een eigen bijlagetype kan ze net zo verklaren, op zijn eigen kolommen.",
        "",
        "| code | bijlagetype | soort | ernst | wat | hoe op te lossen |",
        "|---|---|---|---|---|---|",
    ]
    for annex in BUILTIN.types:
        seen: set[str] = set()
        for declared in annex.rules:
            if declared.code in seen:
                continue  # one code declared twice (uitkomst-verlopen): one line
            seen.add(declared.code)
            hint = re.sub(r"\{[a-z_]+\}", "…", declared.hint).replace("|", "\\|")
            lines.append(
                f"| `{declared.code}` | {annex.sheet.name} | `{declared.kind}` | "
                f"{declared.severity} | {declared.title} | {hint} |"
            )
    return "\n".join(lines) + "\n\n" + kinds_markdown()


if __name__ == "__main__":  # pragma: no cover
    print(rules_markdown(), end="")
