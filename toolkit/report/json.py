"""The findings for scripts: fixed Dutch keys, stable codes, locations and Dutch texts.

The keys are part of the format (docs/beoordelen.md, "De rapporten"): a script that reads the report
must not break when wording changes, so they only change with a note in the CHANGELOG.
"""

from __future__ import annotations

import json
from pathlib import Path

from toolkit import __version__
from toolkit.core.output import atomic_write_text
from toolkit.validation.validate import ValidationResult

#: Finding fields (findings.Finding) under their Dutch key in the report.
FINDING_KEYS = {
    "code": "code",
    "severity": "ernst",
    "sheet": "tabblad",
    "row": "rij",
    "column": "kolom",
    "label": "kolomnaam",
    "value": "waarde",
    "message": "melding",
    "hint": "hint",
    "record": "onderwerp",
    "cell": "cel",
}


def finding_data(finding_dict: dict[str, object]) -> dict[str, object]:
    return {FINDING_KEYS.get(key, key): value for key, value in finding_dict.items()}


def report_data(result: ValidationResult) -> dict[str, object]:
    return {
        "toolkit": __version__,
        "register": result.register.path.name,
        "sha256": result.register.sha256,
        "peildatum": result.peildatum.isoformat() if result.peildatum else None,
        "aantallen": result.counts,
        "bevindingen": [finding_data(f.to_dict()) for f in result.findings],
    }


def write_json_report(result: ValidationResult, path: Path) -> Path:
    text = json.dumps(report_data(result), ensure_ascii=False, indent=2)
    return atomic_write_text(path, text + "\n")
