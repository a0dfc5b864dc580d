"""Start the next edition's register from the last one (`toolkit new-edition`).

After an annex went to the council, pilots reported for the last time and finished
actions leave the register; everything else goes on. The old register is only read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import schema
from .register import read_register

#: actions with these statuses are done and leave the next edition
DONE_STATUSES = ("Afgerond", "Gestopt")


@dataclass
class EditionResult:
    path: Path
    kept_pilots: int = 0
    kept_actions: int = 0
    removed: list[str] = field(default_factory=list)


def next_edition(old: Path, new: Path, editie: str, peildatum: date | None) -> EditionResult:
    from .output import atomic_write, check_new_register
    from .workbook import write_register

    check_new_register(new)
    register = read_register(old)
    result = EditionResult(new)
    pilots = []
    for pilot in register.pilots:
        if schema.normalise(pilot.text("opnemen")) == "laatste keer":
            result.removed.append(f"pilot {pilot.text('id')} {pilot.text('naam')} "
                                  f"(laatste keer gerapporteerd)")
        else:
            pilots.append(dict(pilot.values))
    done = {schema.normalise(s) for s in DONE_STATUSES}
    actions = []
    for action in register.actions:
        if schema.normalise(action.text("status")) in done:
            first_line = action.text("activiteit").splitlines()[0][:60] if \
                action.text("activiteit") else ""
            result.removed.append(f"actie {action.text('id')} {first_line} "
                                  f"({action.text('status')})")
        else:
            actions.append(dict(action.values))
    settings = dict(register.settings)
    settings["editie"] = editie
    if peildatum is not None:
        settings["peildatum"] = peildatum
    result.kept_pilots, result.kept_actions = len(pilots), len(actions)
    atomic_write(new, lambda tmp: write_register(tmp, pilots, actions, settings, register.lists),
                 protect=(old,))
    return result
