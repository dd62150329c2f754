"""`python -m sync` runs the okrtree command line."""

from .cli import main

main()
