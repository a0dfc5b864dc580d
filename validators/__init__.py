"""pandera schemas for the register's table sheets, one per declared annex type.

The schemas are built from `toolkit.schema`, run lazily (every failure collected) on
DataFrames whose date and rich-text columns were parsed beforehand, so a value pandera
could not coerce never loses its row.
"""

from .frames import sheet_frame
from .schemas import SHEET_RULES, table_schema

__all__ = ["SHEET_RULES", "sheet_frame", "table_schema"]
