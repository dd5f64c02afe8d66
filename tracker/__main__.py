"""python -m tracker"""

from tracker.cli import cli

cli()
