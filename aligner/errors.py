"""The exceptions aligner raises, and the exit code each one maps to.

::

    AlignerError                 exit 1: a bug or an environment problem
    └── InputError               exit 2: the user can fix it (carries ``path`` and ``hint``)
        ├── EncodingError        a file is not in the encoding we read it with
        ├── EmptyInputError      a file holds no text (or only skipped lines)
        ├── MissingLanguageError a side has no sentence in its language
        ├── FormatError          a file is not in the format a command expects
        ├── ModelError           a model cannot be found or loaded
        └── OutputError          an output path cannot be written

Library code raises; only ``cli.py`` turns an exception into a message and an exit code.
"""

from __future__ import annotations


class AlignerError(Exception):
    """Something went wrong that the user cannot fix by changing the input (exit 1)."""

    exit_code = 1


class InputError(AlignerError):
    """Bad input or usage (exit 2): ``path`` names the culprit, ``hint`` says what to do."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.hint = hint

    def one_line(self) -> str:
        """``path: message; hint`` on a single line, as the CLI prints it."""
        parts = f"{self.path}: {self.message}" if self.path else self.message
        if self.hint:
            parts = f"{parts}; {self.hint}"
        return " ".join(parts.split())


class EncodingError(InputError):
    """The bytes of a file do not decode with the encoding in use."""


class EmptyInputError(InputError):
    """A file (or a side of a mixed file) has nothing to align."""


class MissingLanguageError(InputError):
    """One language of the pair is absent from the input."""


class FormatError(InputError):
    """A file is not in the format the command expects (binary, bad JSON, bad vecalign line)."""


class ModelError(InputError):
    """The requested embedding model cannot be found or loaded."""


class OutputError(InputError):
    """An output path cannot be written."""
