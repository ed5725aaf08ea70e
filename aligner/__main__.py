"""``python -m aligner`` runs the command line."""

from aligner.cli import main

main(prog_name="aligner")
