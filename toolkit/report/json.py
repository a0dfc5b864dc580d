"""The findings for machines: stable codes, locations and Dutch texts."""

from __future__ import annotations

import json
from pathlib import Path

from .. import __version__
from ..output import atomic_write_text
from ..validate import ValidationResult


def report_data(result: ValidationResult) -> dict[str, object]:
    return {
        "toolkit": __version__,
        "register": result.register.path.name,
        "sha256": result.register.sha256,
        "peildatum": result.peildatum.isoformat() if result.peildatum else None,
        "aantallen": result.counts,
        "bevindingen": [f.to_dict() for f in result.findings],
    }


def write_json_report(result: ValidationResult, path: Path) -> Path:
    text = json.dumps(report_data(result), ensure_ascii=False, indent=2)
    return atomic_write_text(path, text + "\n")
