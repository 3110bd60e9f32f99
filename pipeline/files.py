"""Writing output files so that a reader never sees half of one.

Every stage that writes a file writes it to a temp file in the same folder
and moves it into place with ``os.replace`` when it is complete; a failure
leaves the previous file (or none) and no temp file behind.
"""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Optional, Union


@contextlib.contextmanager
def atomic_writer(path: Union[Path, str], *, newline: Optional[str] = None) -> Iterator[IO[str]]:
    """A text file opened beside ``path`` and moved into place only when the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as f:
            yield f
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; give it a normal file's mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Union[Path, str], text: str) -> None:
    with atomic_writer(path) as f:
        f.write(text)


def write_json_atomic(path: Union[Path, str], data: Any) -> None:
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def json_line(record: Any) -> str:
    """One JSONL line, with non-ASCII text as itself: archivists read these files."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_jsonl_atomic(path: Union[Path, str], records: Iterable[Any]) -> int:
    """Write records as JSONL, atomically. RETURNS (int): the number of records written."""
    count = 0
    with atomic_writer(path) as f:
        for record in records:
            f.write(json_line(record))
            count += 1
    return count


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
