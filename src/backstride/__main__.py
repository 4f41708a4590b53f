"""`python -m backstride` runs the command line."""

from backstride.cli.main import run

run()
