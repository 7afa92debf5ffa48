"""The benchmark framework's arithmetic and bookkeeping: percentiles, targets, the JSON files
and the generated page (no timing is measured or asserted here)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

import bench.__main__ as runner
from bench import docs
from bench.figures import latency_figures, percentile, rate_figure, render
from bench.load import merge


def test_percentile_is_nearest_rank() -> None:
    ordered = [float(x) for x in range(1, 101)]  # 1 … 100
    assert percentile(ordered, 0.5) == 50
    assert percentile(ordered, 0.99) == 99
    assert percentile(ordered, 0.999) == 100
    assert percentile(ordered, 0.0) == 1
    assert math.isnan(percentile([], 0.5))


def test_a_p99_from_fewer_than_1000_samples_is_refused_and_misses_its_target() -> None:
    p50, p99, p999 = latency_figures("lag", [1.0] * 999, p99_below=500)
    assert p50.value == 1.0 and p50.samples == 999
    assert math.isnan(p99.value) and p99.met is False and "n too small" in p99.note
    assert math.isnan(p999.value)
    assert "n too small" in render([p99]) and "✘" in render([p99])


def test_a_p99_target_is_computed_from_the_numbers() -> None:
    samples = [10.0] * 990 + [600.0] * 10  # p99 is the 990th: 10 ms
    _, p99, p999 = latency_figures("lag", samples, p99_below=500)
    assert p99.value == 10.0 and p99.met is True and p99.target == "p99 < 500 ms"
    assert p999.value == 600.0 and p999.met is None and "largest" in p999.note
    samples = [10.0] * 980 + [600.0] * 20
    _, p99, _ = latency_figures("lag", samples, p99_below=500)
    assert p99.value == 600.0 and p99.met is False
    assert "✘" in render([p99])


def test_a_p99_against_a_baseline_ratio() -> None:
    ours = [30.0] * 1000
    _, p99, _ = latency_figures(
        "grid", ours, p99_at_most=3, baseline=[10.0] * 1000, baseline_name="raw"
    )
    assert p99.ratio == 3.0 and p99.met is True and p99.target == "p99 ≤ 3× raw"
    _, p99, _ = latency_figures(
        "grid", ours, p99_at_most=3, baseline=[9.0] * 1000, baseline_name="raw"
    )
    assert p99.met is False
    _, p99, _ = latency_figures(
        "grid", ours, p99_at_most=3, baseline=[1.0] * 10, baseline_name="raw"
    )
    assert p99.met is False and "baseline n too small" in p99.note


def test_a_rate_target_and_its_printed_ratio() -> None:
    f = rate_figure("marks/s", 310.0, "marks/s", baseline=500.0, baseline_name="raw", at_least=0.5)
    assert f.ratio == pytest.approx(0.62) and f.met is True and f.target == "≥ 0.5× raw"
    assert "0.62× raw" in render([f]) and "✔" in render([f])
    assert rate_figure("m", 200.0, "m/s", baseline=500.0, at_least=0.5).met is False
    reported = rate_figure("lag", 1.0, "ms")
    assert reported.met is None and reported.target == ""


def test_figures_go_to_json_and_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "RESULTS", tmp_path)
    run1 = [
        rate_figure(
            "marks/s", 300.0, "marks/s", baseline=500.0, baseline_name="raw", at_least=0.5
        ).in_run(1),
        *[f.in_run(1) for f in latency_figures("lag", [5.0] * 10, p99_below=500)],
    ]
    run2 = [
        rate_figure(
            "marks/s", 200.0, "marks/s", baseline=500.0, baseline_name="raw", at_least=0.5
        ).in_run(2)
    ]
    path = runner.write_results(
        "journal_write", {"scale": 0.02, "cpu_count": 2}, [run1, run2], [1.0, 2.0]
    )
    data = json.loads(path.read_text())
    first = data["runs"][0]["figures"][0]
    for key in ("name", "value", "unit", "baseline", "ratio", "target", "met", "samples", "run"):
        assert key in first
    assert first["ratio"] == pytest.approx(0.6) and first["met"] is True
    refused = data["runs"][0]["figures"][2]
    assert refused["value"] is None and refused["met"] is False  # NaN never reaches the file
    _, runs = runner.load_results(path)
    assert runs[0][0] == run1[0]
    assert math.isnan(runs[0][2].value) and runs[1][0].met is False


def test_the_page_shows_both_runs_with_their_marks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "RESULTS", tmp_path)
    monkeypatch.setattr(runner, "available", lambda: ["journal_write", "reports_ingest"])
    runs = [
        [
            rate_figure(
                "marks/s", 300.0, "marks/s", baseline=500.0, baseline_name="raw", at_least=0.5
            ).in_run(1)
        ],
        [
            rate_figure(
                "marks/s", 200.0, "marks/s", baseline=500.0, baseline_name="raw", at_least=0.5
            ).in_run(2)
        ],
    ]
    runner.write_results("journal_write", {"scale": 0.02, "date": "2026-12-02"}, runs, [1.0, 2.0])
    page = docs.generate()
    row = next(line for line in page.splitlines() if line.startswith("| marks/s"))
    assert (
        "≥ 0.5× raw" in row and "0.60× | ✔" in row and "0.40× | ✘" in row and "(beside raw)" in row
    )
    assert "run 1" in page and "run 2" in page
    assert "## reports_ingest" in page and "last run on 2026-11-29" in page
    import bench.journal_write

    assert (bench.journal_write.__doc__ or "").splitlines()[0] in page


def test_generators_outputs_merge() -> None:
    one = {
        "samples": {"a": [1.0, 2.0]},
        "status": {"a": {"201": 2}},
        "errors": {},
        "sent": 3,
        "measured": 2,
        "window": [10.0, 20.0],
        "achieved_rate": 0.2,
        "cpu_s": 1.0,
        "late_ms_p99": 3.0,
    }
    two = {
        "samples": {"a": [3.0], "b": [4.0]},
        "status": {"a": {"201": 1, "409": 1}, "b": {"200": 1}},
        "errors": {"OSError": 1},
        "sent": 4,
        "measured": 3,
        "window": [11.0, 22.0],
        "achieved_rate": 0.3,
        "cpu_s": 2.0,
        "late_ms_p99": 5.0,
    }
    result = merge([one, two])
    assert sorted(result.samples_of()) == [1.0, 2.0, 3.0, 4.0]
    assert result.status["a"] == {"201": 3, "409": 1}
    assert result.window == (10.0, 22.0) and result.cpu_s == 3.0 and result.late_ms_p99 == 5.0
    assert result.failed() == 1 and result.errors == {"OSError": 1}
