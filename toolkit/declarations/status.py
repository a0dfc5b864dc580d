"""Status text as officers and annexes write it, split into status and toelichting.

"Afgerond  Wordt voortgezet via Stadsbeheer" is a status with an explanation; the
register keeps them in two columns. The example generator and the annex import both
read annex text this way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence


def split_status(original: str, statuses: Sequence[str]) -> tuple[str, str]:
    """(status from the list, toelichting); ("", text) when no listed status leads it."""
    text = original.strip()
    if not text:
        return "", ""
    plain = re.sub(r"</?p>", "\n", text).strip()
    first, _, rest = plain.partition("\n")
    for status in statuses:
        folded = status.casefold()
        lead = first.strip().casefold()
        if lead in (folded, folded + "."):
            return status, _remainder(text, rest)
        if lead.startswith(folded):
            tail = first.strip()[len(status) :]
            if tail.startswith((".", "  ")):
                extra = tail.lstrip(". ").strip()
                return status, "\n".join(p for p in (extra, _remainder(text, rest)) if p)
    return "", text


def _remainder(original: str, rest: str) -> str:
    """What follows the status line, kept as HTML when the original was HTML."""
    if original.startswith("<p>") and "</p>" in original:
        return original[original.index("</p>") + 4 :].strip()
    return rest.strip()
