"""Where the bundled Word templates, register template and example register are.

In the repository they sit beside the package (templates/, examples/), where a
coordinator finds and restyles them. An installed wheel carries copies inside the
package (toolkit/_data), put there by the wheel configuration in pyproject.toml.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
_REPOSITORY = _PACKAGE.parent


def bundled(*parts: str) -> Path:
    """The repository's file when running from a checkout, else the installed copy."""
    if (_REPOSITORY / "pyproject.toml").exists() and _REPOSITORY.joinpath(*parts).exists():
        return _REPOSITORY.joinpath(*parts)
    return _PACKAGE.joinpath("_data", *parts)
