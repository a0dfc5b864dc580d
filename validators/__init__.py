"""pandera schemas for the register's table sheets, one per declared annex type, and the
checks of the rules over several columns that an annex type declares ([[regel]]).

The schemas are built from `toolkit.declarations.schema`, run lazily (every failure collected) on
DataFrames whose date and rich-text columns were parsed beforehand, so a value pandera
could not coerce never loses its row.
"""

from toolkit.validators.frames import sheet_frame
from toolkit.validators.rules import broken_rows
from toolkit.validators.schemas import table_schema

__all__ = ["broken_rows", "sheet_frame", "table_schema"]
