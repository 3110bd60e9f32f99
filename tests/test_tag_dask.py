"""The Dask engine gives the local engine's output, record for record."""
from __future__ import annotations

import pytest
import srsly

pytest.importorskip("distributed", reason="the dask engine needs the dask extra: pip install -e '.[dask]'")

from pipeline.tag import partial_path, tag_to_file  # noqa: E402
from pipeline.tag_dask import tag_with_dask  # noqa: E402

from conftest import SEED_PATH, WEB_DIR  # noqa: E402


@pytest.fixture(scope="module")
def dask_client():
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    client = Client(cluster)
    yield client
    client.close()
    cluster.close()


def strip_time(records):
    return [{k: v for k, v in r.items() if k != "_timestamp"} for r in records]


def test_dask_output_equals_local_output(tiny_nlp, tiny_model_path, dask_client, tmp_path):
    inputs = [WEB_DIR, SEED_PATH]
    local, distributed = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    local_stats = tag_to_file(tiny_nlp, inputs, local)
    dask_stats = tag_with_dask(tiny_model_path, inputs, distributed, client=dask_client, partitions=3)
    assert dask_stats.tagged == local_stats.tagged == 49
    assert dask_stats.words == local_stats.words
    assert strip_time(srsly.read_jsonl(distributed)) == strip_time(srsly.read_jsonl(local))


def test_dask_resume_and_errors_match_local(tiny_nlp, tiny_model_path, dask_client, tmp_path):
    batch = tmp_path / "batch.jsonl"
    lines = [srsly.json_dumps({"text": f"Jezjov liet Jagoda op {d} maart 1937 arresteren.", "meta": {"id": f"d{d}"}}) for d in range(1, 9)]
    lines.insert(3, '{"text": ')
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    local = tmp_path / "local.jsonl"
    local_stats = tag_to_file(tiny_nlp, [batch], local, skip_errors=True)
    out = tmp_path / "dask.jsonl"
    # an interrupted earlier run wrote the first three documents
    first_three = list(srsly.read_jsonl(local))[:3]
    srsly.write_jsonl(partial_path(out), first_three)
    stats = tag_with_dask(tiny_model_path, [batch], out, client=dask_client, skip_errors=True, resume=True, partitions=2)
    assert stats.skipped_done == 3 and stats.tagged == 5
    assert [e.line for e in stats.errors] == [4]
    assert [str(e) for e in stats.errors] == [str(e) for e in local_stats.errors]
    assert str(stats.errors[0]).startswith(f"{batch}:4: [E001] not valid JSON")
    assert strip_time(srsly.read_jsonl(out)) == strip_time(srsly.read_jsonl(local))
