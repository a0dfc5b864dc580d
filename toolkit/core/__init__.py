"""Shared tools every step uses: safe file handling, dates, rich text, processes."""
