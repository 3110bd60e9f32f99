"""JSONL pass-through: every valid record's original line, checked at the strict level, to a file or stdout."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, Iterable, Optional

from ..files import atomic_writer
from .records import InputLine, ProgressCallback, batched
from .target import STDIN, ExportStats


def export_to_jsonl(location: str, lines: Iterable[InputLine], stats: ExportStats, progress: Optional[ProgressCallback], batch_size: int) -> None:
    """Write every valid record's original line, to a file (atomically) or stdout."""

    def write(f: IO[str]) -> None:
        for batch in batched(lines, batch_size):
            for item in batch:
                f.write(item.raw + "\n")
                stats.documents += 1
                stats.mentions += len(item.task.get("spans") or [])
            stats.batches += 1
            if progress is not None:
                progress(len(batch))

    if location == STDIN:
        write(sys.stdout)
        sys.stdout.flush()
    else:
        with atomic_writer(Path(location)) as f:
            write(f)
