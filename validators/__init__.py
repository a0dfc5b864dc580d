"""pandera schemas for the register's Pilots and Acties sheets.

The schemas are built from `toolkit.schema`, run lazily (every failure collected) on
DataFrames whose date and rich-text columns were parsed beforehand, so a value pandera
could not coerce never loses its row.
"""

from .frames import sheet_frame
from .schemas import actions_schema, pilots_schema

__all__ = ["actions_schema", "pilots_schema", "sheet_frame"]
