"""Where documents are aligned: here, in a pool of processes, or on a Dask cluster.

The unit of work is a :data:`Task`: a chunk of pairs (see :mod:`.worker`) and the ids in it
that still need aligning. Each executor yields one record per wanted pair as soon as its chunk
is done (chunks finish in any order); the runner journals them. At most a few chunks per
worker are in flight, so a million-document corpus never sits in memory as pending tasks. The
pairs of a chunk whose worker dies (out of memory, killed) are yielded as error records marked
``"retry": True``: reported, not journaled, so the next run tries them again.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from aligner.api import Options
from aligner.corpus.pairing import Pair
from aligner.corpus.worker import Record, fingerprint, process_chunk, warm_up
from aligner.errors import InputError

Task = tuple[list[Pair], list[str]]
"""A chunk of pairs and the ids among them to align."""
IN_FLIGHT_PER_WORKER = 2
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
CONNECT_TIMEOUT = "20s"


def run_here(tasks: Iterable[Task], options: Options) -> Iterator[Record]:
    """One chunk after the other in this process (``--jobs 1``)."""
    for pairs, wanted in tasks:
        yield from process_chunk(pairs, wanted, options)


def run_processes(tasks: Iterable[Task], options: Options, jobs: int) -> Iterator[Record]:
    """A pool of ``jobs`` fresh processes (spawned), each loading the model once.

    Each worker's numeric libraries get ``cores // jobs`` threads (Dask's nanny likewise sets
    ``OMP_NUM_THREADS`` for its workers, see :func:`.worker.encoder_for`): ``jobs`` processes
    that each start a thread per core fight over the cores and run three times slower than
    one process. A value the user set in the environment is kept.
    """
    context = multiprocessing.get_context("spawn")
    with _threads_per_worker(max(1, (os.cpu_count() or 1) // jobs)), cf.ProcessPoolExecutor(
            jobs, mp_context=context, initializer=warm_up, initargs=(options.model,)) as pool:
        yield from _bounded(tasks, lambda task: pool.submit(process_chunk, *task, options),
                            jobs * IN_FLIGHT_PER_WORKER, _wait_futures)


@contextlib.contextmanager
def _threads_per_worker(threads: int) -> Iterator[None]:
    """Spawned children inherit the environment: set the thread limits while they start."""
    added = [name for name in THREAD_VARIABLES if name not in os.environ]
    os.environ.update(dict.fromkeys(added, str(threads)))
    try:
        yield
    finally:
        for name in added:
            os.environ.pop(name, None)


def run_dask(tasks: Iterable[Task], options: Options, address: str) -> Iterator[Record]:
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
        yield from _dask_bounded(client, tasks, options, workers * IN_FLIGHT_PER_WORKER)


def _dask_bounded(client: Any, tasks: Iterable[Task], options: Options,
                  limit: int) -> Iterator[Record]:
    """Like :func:`_bounded`, with Dask's own completion queue (bound to ``client``)."""
    from distributed import as_completed

    queue = as_completed(loop=client.loop)
    pending: dict[str, Task] = {}

    def collect() -> Iterator[Record]:
        future = next(queue)
        yield from _results(future, pending.pop(future.key))

    for task in tasks:
        future = client.submit(process_chunk, *task, options, pure=False)
        pending[future.key] = task
        queue.add(future)
        while len(pending) >= limit:
            yield from collect()
    while pending:
        yield from collect()


def _bounded(tasks: Iterable[Task], submit: Callable[[Task], Any], limit: int,
             wait: Callable[[set[Any]], tuple[set[Any], set[Any]]]) -> Iterator[Record]:
    """Keep at most ``limit`` chunks in flight; yield the records of each as it completes."""
    pending: dict[Any, Task] = {}
    for task in tasks:
        pending[submit(task)] = task
        while len(pending) >= limit:
            yield from _collect(pending, wait)
    while pending:
        yield from _collect(pending, wait)


def _collect(pending: dict[Any, Task], wait) -> Iterator[Record]:
    done, _ = wait(set(pending))
    for future in done:
        yield from _results(future, pending.pop(future))


def _results(future: Any, task: Task) -> Iterator[Record]:
    try:
        records = future.result()
    except Exception as error:  # the worker died: report, do not journal, retry next run
        pairs, wanted = task
        for pair in pairs:
            if pair.id in wanted:
                yield {"id": pair.id, "src": pair.src, "tgt": pair.tgt, "how": pair.how,
                       "pair_score": pair.score, "fingerprint": fingerprint(pair),
                       "retry": True,
                       "error": f"worker lost ({type(error).__name__}: {error}); run again"}
        return
    yield from records


def _wait_futures(futures: set[Any]) -> tuple[set[Any], set[Any]]:
    return cf.wait(futures, return_when=cf.FIRST_COMPLETED)
