"""Excel-register, validatie en Word-bijlagen voor gemeentelijke raadsrapportages."""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

__version__ = "0.1.0"

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT_VALIDATORS = _PACKAGE.parent / "validators"


class _CheckoutValidators(importlib.abc.MetaPathFinder):
    """`toolkit.validators` read from the repository's top-level validators/ folder.

    The project keeps its pandera schemas in a top-level validators/ folder, but the
    top-level import name `validators` belongs to an unrelated PyPI package that may be
    installed beside the toolkit. So the schemas are always imported as
    `toolkit.validators`: an installed wheel carries the folder there (pyproject.toml),
    and in a checkout (`uv run`, an editable install) this finder maps the name onto it.
    """

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != "toolkit.validators":
            return None
        return importlib.util.spec_from_file_location(
            fullname,
            _CHECKOUT_VALIDATORS / "__init__.py",
            submodule_search_locations=[str(_CHECKOUT_VALIDATORS)],
        )


# Last on the meta path: a package that carries toolkit/validators itself (a wheel) wins.
if (
    not (_PACKAGE / "validators").is_dir()
    and (_PACKAGE.parent / "pyproject.toml").is_file()
    and (_CHECKOUT_VALIDATORS / "__init__.py").is_file()
):
    sys.meta_path.append(_CheckoutValidators())
