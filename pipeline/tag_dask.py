"""Stage 6, scaled out: the same tagging on a Dask cluster (``terreur tag --engine dask``).

Records are read on the client, as in the local engine, so input errors
are found and reported the same way. They travel to the workers in waves
of ``partitions`` partitions (memory stays bounded whatever the archive's
size); each worker loads the model once and keeps it for every partition it
tags; results come back in partition order and are written exactly as the
local engine writes them (``OUT.partial``, then an atomic move), so the
output is the same, record for record, and ``--resume`` works the same way.

Without a scheduler address a ``LocalCluster`` is started on this machine;
with one, any running cluster is used (the model path must then be
readable by every worker, e.g. on a shared filesystem).
"""
from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Union

from .errors import InputError, Messages, TerreurError
from .ingest import Record
from .tag import TagStats, count_words, default_model_path, load_model, pending_records, tag_records, write_tasks

# One model per worker process, loaded on its first partition.
_WORKER_MODELS: Dict[str, Any] = {}
DOCS_PER_PARTITION = 64


def _worker_model(model_path: str):
    if model_path not in _WORKER_MODELS:
        _WORKER_MODELS[model_path] = load_model(model_path)
    return _WORKER_MODELS[model_path]


def tag_partition(records: List[Record], model_path: str, batch_size: int) -> List[Dict[str, Any]]:
    """Runs on a worker: tag one partition's records with the worker's model."""
    nlp = _worker_model(model_path)
    return list(tag_records(nlp, records, batch_size=batch_size))


def _chunks(items: Iterable[Any], size: int) -> Iterator[List[Any]]:
    iterator = iter(items)
    while True:
        chunk = list(itertools.islice(iterator, size))
        if not chunk:
            return
        yield chunk


def _good_records(records: Iterable[Union[Record, InputError]], skip_errors: bool, stats: TagStats) -> Iterator[Record]:
    # Bad input is found on the client, so it is reported exactly as the local engine reports it.
    for record in records:
        if isinstance(record, InputError):
            problem = record
        elif not record.text.strip():
            problem = InputError(record.source, record.line, Messages.E015)
        else:
            yield record
            continue
        if skip_errors:
            stats.errors.append(problem)
        else:
            raise problem


def dask_tasks(
    client: Any,
    records: Iterable[Record],
    model_path: str,
    *,
    partitions: int,
    docs_per_partition: int = DOCS_PER_PARTITION,
    batch_size: int = 64,
    stats: TagStats,
) -> Iterator[Dict[str, Any]]:
    """Tag records on the cluster, a wave of ``partitions`` partitions at a time, yielding tasks in input order."""
    import dask.bag as db

    for wave in _chunks(_chunks(records, docs_per_partition), partitions):
        bag = db.from_delayed([_delayed_partition(part, model_path, batch_size) for part in wave])
        for task in client.compute(bag).result():
            stats.tagged += 1
            stats.words += count_words(task)
            yield task


def _delayed_partition(part: List[Record], model_path: str, batch_size: int):
    import dask

    return dask.delayed(tag_partition, pure=False)(part, model_path, batch_size)


def start_client(scheduler: Optional[str], workers: int = 2) -> Any:
    """A client of the given scheduler, or of a LocalCluster on this machine."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - depends on the install
        raise TerreurError(Messages.E102)
    if scheduler:
        return Client(scheduler)
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")
    return Client(cluster)


def tag_with_dask(
    model: Optional[Union[Path, str]],
    inputs: Sequence[Union[Path, str]],
    output_path: Optional[Path],
    *,
    scheduler: Optional[str] = None,
    client: Any = None,
    workers: int = 2,
    partitions: Optional[int] = None,
    batch_size: int = 64,
    skip_errors: bool = False,
    resume: bool = False,
    progress: Optional[Callable[[Dict[str, Any]], None]] = None,
) -> TagStats:
    """``tag_to_file`` on a Dask cluster: same input, output, errors and resuming.

    client: an existing ``distributed.Client`` (tests pass one); else one is started.
    partitions (int | None): partitions in flight at once (default: 2 per worker).
    RETURNS (TagStats): counts and the bad records met.
    """
    model_path = str(Path(model) if model else default_model_path())
    if not (Path(model_path) / "config.cfg").exists():
        raise TerreurError(Messages.E101.format(path=model_path))
    own_client = client is None
    client = client if client is not None else start_client(scheduler, workers)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        stats = TagStats()
        records = _good_records(
            pending_records(inputs, output_path, resume=resume, skip_errors=skip_errors, stats=stats), skip_errors, stats
        )
        tasks = dask_tasks(client, records, model_path, partitions=partitions or 2 * n_workers, batch_size=batch_size, stats=stats)
        write_tasks(tasks, output_path, progress=progress)
        return stats
    finally:
        if own_client:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()
