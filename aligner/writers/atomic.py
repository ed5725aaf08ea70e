"""Write files so that a reader never sees half of one.

Each file is written to a hidden temporary file in the same folder (so the final rename never
crosses a file system) and moved over the target with :func:`os.replace` only once everything
has been written. On any error the temporary file is deleted and the target is left as it was.

The temporary file is created with :func:`os.open` and mode ``0o666`` rather than with
:mod:`tempfile`, so the finished file gets the permissions the user's umask gives any new file
(``tempfile`` would leave it readable by its owner only).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator, Sequence
from typing import BinaryIO, TextIO

from aligner.errors import OutputError

_FIX = "check that the folder exists and is writable, or choose another output path"


@contextlib.contextmanager
def atomic_text(path: str) -> Iterator[TextIO]:
    """A UTF-8 text stream (``\\n`` line ends on every OS) that becomes ``path`` on success."""
    with atomic_texts([path]) as (stream,):
        yield stream


@contextlib.contextmanager
def atomic_binary(path: str) -> Iterator[BinaryIO]:
    """A binary stream that becomes ``path`` on success."""
    tmp, fd = _open_temp(path)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
        _replace_all([(tmp, path)])
    except OSError as err:  # e.g. the disk filled up while writing
        _remove(tmp)
        raise _output_error(path, err) from err
    except BaseException:
        _remove(tmp)
        raise


@contextlib.contextmanager
def atomic_texts(paths: Sequence[str]) -> Iterator[tuple[TextIO, ...]]:
    """Several text files that all appear together, or none does (e.g. the two Moses sides).

    If renaming a later file fails, the files already renamed are removed again, so a
    half-written pair is never left behind.
    """
    temps: list[tuple[str, TextIO]] = []
    try:
        for path in paths:
            tmp, fd = _open_temp(path)
            temps.append((tmp, os.fdopen(fd, "w", encoding="utf-8", newline="\n")))
        yield tuple(stream for _, stream in temps)
        for _, stream in temps:
            stream.close()
        _replace_all([(tmp, path) for (tmp, _), path in zip(temps, paths, strict=True)])
    except OSError as err:  # e.g. the disk filled up while writing
        _discard(temps)
        raise _output_error(" and ".join(paths), err) from err
    except BaseException:
        _discard(temps)
        raise


def _open_temp(path: str) -> tuple[str, int]:
    """Create a fresh hidden file beside ``path``; return its name and descriptor."""
    folder, name = os.path.split(os.path.abspath(path))
    if os.path.isdir(path):
        raise OutputError("is a folder, not a file", path=path, hint="give a file name")
    for _ in range(100):
        tmp = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            return tmp, os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        except OSError as err:
            raise _output_error(path, err) from err
    raise OutputError("cannot create a temporary file beside it", path=path, hint=_FIX)


def _replace_all(pairs: Sequence[tuple[str, str]]) -> None:
    """Rename each temporary file over its target; undo the earlier renames if one fails."""
    done: list[str] = []
    for tmp, path in pairs:
        try:
            os.replace(tmp, path)
        except OSError as err:
            for finished in done:
                _remove(finished)
            raise _output_error(path, err) from err
        done.append(path)


def _output_error(path: str, err: OSError) -> OutputError:
    reason = err.strerror or type(err).__name__
    return OutputError(f"cannot write ({reason.lower()})", path=path, hint=_FIX)


def _discard(temps: Sequence[tuple[str, TextIO]]) -> None:
    for tmp, stream in temps:
        with contextlib.suppress(OSError):
            stream.close()
        _remove(tmp)


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)
