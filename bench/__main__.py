"""`python -m bench [case …] [--scale X] [--runs N]`: run benchmark cases, print their figures
with ✔/✘ against their targets, and write `var/bench/<case>.json`; `python -m bench docs`
regenerates docs/benchmarks.md from those files.

A case is a module `bench/<case>.py` with a docstring (what it measures: it goes into the
docs) and `async def run(scale: float) -> list[Figure]`. Each case runs `--runs` times (2 by
default: both runs are reported), one after the other, each on a platform of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import importlib
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.figures import Figure, render

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(os.environ.get("EJ_BENCH_RESULTS") or ROOT / "var" / "bench")
"""Where the figures go (and where `docs` reads them): EJ_BENCH_RESULTS moves it, so that
runs made side by side on one checkout do not overwrite each other's files."""
NOT_CASES = {
    "__main__",
    "figures",
    "platform",
    "load",
    "loadgen",
    "docs",
    "city",
    "identity_seed",
    "tests",
}


def available() -> list[str]:
    return sorted(
        p.stem
        for p in Path(__file__).parent.glob("*.py")
        if p.stem not in NOT_CASES and not p.stem.startswith("_")
    )


def _run(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10, cwd=ROOT)
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


async def _postgres_version() -> str:
    import asyncpg

    url = os.environ.get("EJ_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
    url = url.replace("postgresql+asyncpg://", "postgresql://").rstrip("/") + "/postgres"
    try:
        conn = await asyncpg.connect(url, timeout=5)
        try:
            return str(await conn.fetchval("SHOW server_version"))
        finally:
            await conn.close()
    except Exception:  # the facts are best effort: the run does not depend on them
        return ""


async def _rabbitmq_version() -> str:
    import aio_pika

    try:
        connection = await aio_pika.connect(
            os.environ.get("EJ_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/"), timeout=5
        )
        try:
            props = connection.transport.connection.server_properties  # type: ignore[union-attr]
            version = props.get("version", b"")
            return version.decode() if isinstance(version, bytes) else str(version)
        finally:
            await connection.close()
    except Exception:  # best effort, as above
        return ""


async def machine_facts(scale: float) -> dict[str, Any]:
    commit = _run(["git", "rev-parse", "--short=12", "HEAD"])
    dirty = bool(_run(["git", "status", "--porcelain", "--untracked-files=no"]))
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "git_commit": commit + ("+changes" if dirty else ""),
        "scale": scale,
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gb": _memory_gb(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgresql": await _postgres_version(),
        "rabbitmq": await _rabbitmq_version(),
        "load_average": list(os.getloadavg()),
    }


def write_results(
    case: str, facts: dict[str, Any], runs: list[list[Figure]], seconds: list[float]
) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{case}.json"
    data = {
        "case": case,
        "machine": facts,
        "runs": [
            {"run": i + 1, "seconds": round(seconds[i], 1), "figures": [f.to_json() for f in figs]}
            for i, figs in enumerate(runs)
        ],
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return path


def load_results(path: Path) -> tuple[dict[str, Any], list[list[Figure]]]:
    data = json.loads(path.read_text())
    runs = [[Figure.from_json(f) for f in run["figures"]] for run in data["runs"]]
    return data, runs


async def main(cases: list[str], scale: float, runs: int) -> int:
    summary: list[tuple[str, int, list[Figure], float]] = []
    for case in cases:
        module = importlib.import_module(f"bench.{case}")
        facts = await machine_facts(scale)
        results: list[list[Figure]] = []
        seconds: list[float] = []
        for run in range(1, runs + 1):
            print(f"== {case} run {run}/{runs} (scale {scale}) ==", flush=True)
            started = time.perf_counter()
            figures = [f.in_run(run) for f in await module.run(scale)]
            seconds.append(time.perf_counter() - started)
            results.append(figures)
            print(render(figures), flush=True)
            summary.append((case, run, figures, seconds[-1]))
        facts["load_average_after"] = list(os.getloadavg())
        path = write_results(case, facts, results, seconds)
        print(f"-> {path}", flush=True)
    print("\n== summary ==")
    for case, run, figures, took in summary:
        print(f"-- {case}, run {run} ({took:.1f} s)")
        print(render(figures))
    missed = [f for _, _, figs, _ in summary for f in figs if f.met is False]
    print(f"\n{len(missed)} figure(s) miss their target" if missed else "\nevery target met")
    return 0


def cli(argv: list[str]) -> int:
    if argv[:1] == ["docs"]:
        from bench.docs import write

        path = write()
        print(f"wrote {path.relative_to(ROOT)}")
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "cases", nargs="*", help=f"default: all of {', '.join(available())}; or 'docs'"
    )
    parser.add_argument("--scale", type=float, default=0.01, help="1.0 is the full city")
    parser.add_argument("--runs", type=int, default=2, help="runs per case (all reported)")
    args = parser.parse_args(argv)
    unknown = [c for c in args.cases if c not in available()]
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; known: {', '.join(available())}")
    if not re.fullmatch(r"[0-9.e-]+", str(args.scale)) or args.scale <= 0:
        parser.error("--scale must be positive")
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    return asyncio.run(main(args.cases or available(), args.scale, args.runs))


if __name__ == "__main__":
    sys.exit(cli(sys.argv[1:]))
