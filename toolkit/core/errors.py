"""The few ways the toolkit can refuse to go on.

Bad data is never an exception (it becomes findings); these are for files that cannot
be read or written at all. Every message is Dutch and says what to do.
"""


class ToolkitError(Exception):
    """Root of every error the CLI turns into a Dutch message and exit code 2."""

    exit_code = 2


class RegisterUnreadable(ToolkitError):
    """The register file cannot be opened as the workbook we expect."""


class RegisterStructureError(ToolkitError):
    """The workbook opens but a sheet or column the toolkit needs is missing."""


class OutputError(ToolkitError):
    """A report or document cannot be written (open in Excel, no permission, ...)."""


class TemplateError(ToolkitError):
    """A Word template cannot be used as it is."""
