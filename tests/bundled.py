"""The bundled annex types as tests name them.

The toolkit knows the pilot annex and the action annexes only through their declarations
(tests/test_no_bundled_names.py holds it to that); tests check their content, so they
take the sheets, sections and colours from those same declarations here.
"""

from __future__ import annotations

from toolkit.declarations.annextypes import BUILTIN

PILOT_TYPE = BUILTIN.get("pilots")
ACTION_TYPE = BUILTIN.get("acties")
PILOTS = PILOT_TYPE.sheet
ACTIONS = ACTION_TYPE.sheet
#: the pilot card as the annex prints it: (section heading, ((label, column key), ...))
CARD_SECTIONS = tuple((s.heading, s.fields) for s in PILOT_TYPE.handmade.sections)  # type: ignore[union-attr]
#: fill colour per standard status
STATUS_COLOURS = {r.label: r.colour for r in BUILTIN.vocabulary("status").roles}
