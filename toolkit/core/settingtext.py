"""Numbers and names as a coordinator types them on the Instellingen sheet.

Read once here for validation (a setting that is no annex number is a finding) and for
the build (the number a group heading counts from, the gemeente without 'Gemeente').
"""

from __future__ import annotations

import re

#: The highest annex number the toolkit accepts: a council document has dozens, not
#: thousands; a larger number is a typing error (10000 for 10).
MAX_ANNEX_NUMBER = 999
_ANNEX_NUMBER = re.compile(r"^\s*([0-9]{1,3})\s*([a-zA-Z]?)\s*$")


def annex_number(text: str, letter_ok: bool = False) -> int | None:
    """The number of an annex as typed in Instellingen ('5', '5.0', '5a'), or None.

    Only whole numbers from 1 to MAX_ANNEX_NUMBER; '5a' only where letter_ok.
    """
    text = text.strip()
    if text.endswith(".0"):  # a number cell Excel stored as 5.0
        text = text[:-2]
    match = _ANNEX_NUMBER.match(text)
    if not match or (match.group(2) and not letter_ok):
        return None
    number = int(match.group(1))
    return number if 1 <= number <= MAX_ANNEX_NUMBER else None


def setting_number(text: str, default: int) -> int:
    """A whole annex number from a setting; default when it is not one (validation says so)."""
    number = annex_number(text)
    return default if number is None else number


def municipality(text: str) -> str:
    """The gemeente setting without a leading 'Gemeente ': the templates write that word."""
    stripped = text.strip()
    head, _, rest = stripped.partition(" ")
    if head.lower() == "gemeente" and rest.strip():
        return rest.strip()
    return stripped
