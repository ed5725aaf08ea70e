"""Where documents are aligned: here, in a pool of processes, or on a Dask cluster.

Each executor yields one record per pair as soon as it is ready (in any order); the runner
journals them. At most a few documents per worker are in flight, so a million-document corpus
never sits in memory as pending tasks. A document whose worker dies (out of memory, killed)
is yielded as an error record marked ``"retry": True``: it is reported but not journaled, so
the next run tries it again.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from aligner.api import Options
from aligner.corpus.pairing import Pair
from aligner.corpus.worker import Record, fingerprint, process_pair, warm_up
from aligner.errors import InputError

IN_FLIGHT_PER_WORKER = 4
CONNECT_TIMEOUT = "20s"


def run_here(pairs: Iterable[Pair], options: Options) -> Iterator[Record]:
    """One document after the other in this process (``--jobs 1``)."""
    for pair in pairs:
        yield process_pair(pair, options)


def run_processes(pairs: Iterable[Pair], options: Options, jobs: int) -> Iterator[Record]:
    """A pool of ``jobs`` fresh processes (spawned), each loading the model once."""
    context = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(jobs, mp_context=context, initializer=warm_up,
                                initargs=(options.model,)) as pool:
        yield from _bounded(pairs, lambda pair: pool.submit(process_pair, pair, options),
                            jobs * IN_FLIGHT_PER_WORKER, _wait_futures)


def run_dask(pairs: Iterable[Pair], options: Options, address: str) -> Iterator[Record]:
    """Send documents to the Dask scheduler at ``address``; each worker loads the model once.

    The workers must see the input files at the same paths (a shared file system) and have
    the same aligner installed.
    """
    try:
        from distributed import Client
    except ModuleNotFoundError:
        raise InputError("--scheduler needs Dask distributed",
                         hint="pip install 'aligner[dask]'") from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise InputError(f"cannot reach the Dask scheduler at {address} ({error})",
                         hint="start one with `dask scheduler` and workers with "
                              "`dask worker ADDRESS --nthreads 1`, or check the address") from None
    with client:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        client.run(warm_up, options.model)  # every worker loads the model now, once
        yield from _bounded(
            pairs, lambda pair: client.submit(process_pair, pair, options, pure=False,
                                              key=f"align-{pair.id}"),
            workers * IN_FLIGHT_PER_WORKER, _wait_dask)


def _bounded(pairs: Iterable[Pair], submit: Callable[[Pair], Any], limit: int,
             wait: Callable[[set[Any]], tuple[set[Any], set[Any]]]) -> Iterator[Record]:
    """Keep at most ``limit`` documents in flight; yield each record as it completes."""
    pending: dict[Any, Pair] = {}
    for pair in pairs:
        pending[submit(pair)] = pair
        while len(pending) >= limit:
            yield from _collect(pending, wait)
    while pending:
        yield from _collect(pending, wait)


def _collect(pending: dict[Any, Pair], wait) -> Iterator[Record]:
    done, _ = wait(set(pending))
    for future in done:
        pair = pending.pop(future)
        try:
            yield future.result()
        except Exception as error:  # the worker died: report, do not journal, retry next run
            yield {"id": pair.id, "src": pair.src, "tgt": pair.tgt, "how": pair.how,
                   "pair_score": pair.score, "fingerprint": fingerprint(pair), "retry": True,
                   "error": f"worker lost ({type(error).__name__}: {error}); run again"}


def _wait_futures(futures: set[Any]) -> tuple[set[Any], set[Any]]:
    return cf.wait(futures, return_when=cf.FIRST_COMPLETED)


def _wait_dask(futures: set[Any]) -> tuple[set[Any], set[Any]]:
    from distributed import wait

    result = wait(list(futures), return_when="FIRST_COMPLETED")
    return set(result.done), set(result.not_done)
