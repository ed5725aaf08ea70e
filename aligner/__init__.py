"""aligner: pair each sentence of an original with its translation."""

__version__ = "0.1.0"
