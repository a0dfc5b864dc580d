"""`python -m toolkit …` does what the `toolkit` command does."""

from toolkit.cli import cli

cli(prog_name="toolkit")
