"""aligner: pair each sentence of an original with its translation.

The command line (``aligner``) is a thin shell over these functions::

    from aligner import align_files
    alignment = align_files("original.ar.txt", "translation.fr.txt")
"""

__version__ = "0.1.0"

from aligner.api import Options, align_documents, align_files, align_texts
from aligner.errors import AlignerError, InputError
from aligner.evaluate import evaluate, read_vecalign
from aligner.types import Alignment, Document, Link, Sentence, Side, Skipped
from aligner.writers import write_alignment

__all__ = [
    "AlignerError",
    "Alignment",
    "Document",
    "InputError",
    "Link",
    "Options",
    "Sentence",
    "Side",
    "Skipped",
    "__version__",
    "align_documents",
    "align_files",
    "align_texts",
    "evaluate",
    "read_vecalign",
    "write_alignment",
]
