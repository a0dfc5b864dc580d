"""The valid name most like a misspelt one, for "bedoelt u …?" in a message.

A coordinator types keys, column keys, list values and rule kinds by hand; every
message about one that does not exist suggests the nearest valid one. The search is the
same everywhere (difflib's ratio); how close is close enough and how the message reads
differ per place, so those stay with the message.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable


def closest(
    word: str, candidates: Iterable[str], cutoff: float = 0.6, fold: Callable[[str], str] | None = None
) -> str | None:
    """The candidate most like word, or None when none is at least cutoff alike.
    fold: compare folded texts (case, accents) and give the candidate as written."""
    options = list(candidates)
    if fold is None:
        near = difflib.get_close_matches(word, options, n=1, cutoff=cutoff)
        return near[0] if near else None
    by_folded = {fold(c): c for c in options}
    near = difflib.get_close_matches(fold(word), list(by_folded), n=1, cutoff=cutoff)
    return by_folded[near[0]] if near else None
