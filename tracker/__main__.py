"""python -m tracker"""

from .cli import cli

cli()
