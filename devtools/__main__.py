"""``python -m devtools COMMAND``: the development commands (see ``devtools.cli``)."""

from devtools.cli import cli

cli.main(prog_name="python -m devtools")
