"""Wrote tests/data/bundled_before/*.json: the bundled annexes as built before they became
declarations (round 3). Kept to show where the fixtures come from; not a test."""

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, "tests")
from annex_signature import signature
from click.testing import CliRunner

from toolkit.cli import cli

ROOT = Path(".").resolve()
cases = {
    "voorbeeld": ROOT / "examples/voorbeeld_register.xlsx",
    "zoetermeer": ROOT / "examples/zoetermeer/pilots_zoetermeer.xlsx",
    "sterk_voor_noord": ROOT / "examples/leidschendam-voorburg/acties_sterk_voor_noord.xlsx",
}
for name, reg in cases.items():
    out = Path(tempfile.mkdtemp())
    r = CliRunner().invoke(cli, ["build", str(reg), "--out", str(out)])
    assert r.exit_code == 0, r.output
    for doc in sorted(out.glob("*.docx")):
        kind = "pilots" if "pilots" in doc.name.lower() else "acties"
        target = ROOT / "tests/data/bundled_before" / f"{name}_{kind}.json"
        target.write_text(json.dumps(signature(doc), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        print(target, len(signature(doc)))
