"""Excel-register, validatie en Word-bijlagen voor gemeentelijke raadsrapportages."""

__version__ = "0.1.0"
