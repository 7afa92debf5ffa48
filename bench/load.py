"""Load from separate processes: `run_load` starts `procs` load generators
(`python -m bench.loadgen`, one plan each on stdin), waits for them and merges their samples.

    result = await run_load(
        url, [req("POST", path, body=..., headers=..., idempotency_key=True, label="marks")],
        mode="closed", concurrency=16, warmup_s=2, duration_s=10, cycle=False, procs=2,
    )
    result.samples_of("marks"), result.achieved_rate, result.cpu_s, result.ok()

Open loop: `rate` is the total requests/s (each process sends its share). Closed loop:
`concurrency` is the total number of clients. With `cycle=False` each request is sent once
(the requests are dealt to the processes in turn), and the run ends when they are all sent or
the duration is over, whichever is first.
"""

from __future__ import annotations

import asyncio
import json
import math
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any


def req(
    method: str,
    path: str,
    *,
    body: Any = None,
    headers: dict[str, str] | None = None,
    idempotency_key: bool = False,
    label: str = "request",
    key: str | None = None,
) -> dict[str, Any]:
    """One request of a plan; `body` is JSON-encoded unless it is a str already; `key`: the
    result's `answered` says when its answer arrived (wall clock)."""
    text = body if isinstance(body, str) or body is None else json.dumps(body)
    return {
        "method": method,
        "path": path,
        "headers": headers or {},
        "body": text or "",
        "idempotency_key": idempotency_key,
        "label": label,
        "key": key,
    }


@dataclass
class LoadResult:
    samples: dict[str, list[float]] = field(default_factory=dict)
    status: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    bad_bodies: list[str] = field(default_factory=list)
    sent: int = 0
    measured: int = 0
    window: tuple[float, float] = (0.0, 0.0)
    achieved_rate: float = 0.0
    cpu_s: float = 0.0
    late_ms_p99: float | None = None
    answered: dict[str, float] = field(default_factory=dict)

    def samples_of(self, label: str | None = None) -> list[float]:
        if label is not None:
            return list(self.samples.get(label, []))
        return [x for values in self.samples.values() for x in values]

    def ok(self, label: str | None = None) -> int:
        return len(self.samples_of(label))

    def failed(self) -> int:
        return self.measured - self.ok()

    @property
    def seconds(self) -> float:
        return self.window[1] - self.window[0]

    def summary(self) -> str:
        statuses = {
            label: dict(sorted(codes.items())) for label, codes in sorted(self.status.items())
        }
        text = (
            f"{self.measured:,} measured of {self.sent:,} sent in {self.seconds:.1f} s, "
            f"{self.achieved_rate:,.1f} req/s, statuses {statuses}, generator CPU "
            f"{self.cpu_s:.1f} s"
        )
        if self.errors:
            text += f", errors {self.errors}"
        if self.late_ms_p99 is not None:
            text += f", sends late p99 {self.late_ms_p99:.1f} ms"
        return text


async def run_load(
    url: str,
    requests: list[dict[str, Any]],
    *,
    mode: str = "closed",
    rate: float | None = None,
    concurrency: int = 16,
    warmup_s: float = 2.0,
    duration_s: float = 10.0,
    cycle: bool = True,
    procs: int = 1,
    arrivals: str = "poisson",
    expect: list[int] | None = None,
    seed: int = 1,
    start_delay_s: float = 1.5,
) -> LoadResult:
    if mode == "open" and not rate:
        raise ValueError("an open-loop load needs a rate")
    if not requests:
        raise ValueError("no requests to send")
    procs = max(1, min(procs, len(requests) if not cycle else procs))
    start_at = time.time() + start_delay_s
    plans = []
    for i in range(procs):
        mine = requests[i::procs] if not cycle else requests[i:] + requests[:i]
        plans.append(
            {
                "url": url,
                "mode": mode,
                "rate": (rate or 0) / procs,
                "arrivals": arrivals,
                "concurrency": max(1, math.ceil(concurrency / procs)),
                "start_at": start_at,
                "warmup_s": warmup_s,
                "duration_s": duration_s,
                "cycle": cycle,
                "requests": mine,
                "expect": expect or [200, 201, 204],
                "seed": seed + i,
            }
        )
    outputs = await asyncio.gather(*(_one(plan) for plan in plans))
    return merge(outputs)


async def _one(plan: dict[str, Any]) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.loadgen",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate(json.dumps(plan).encode())
    if process.returncode != 0:
        raise RuntimeError(f"the load generator failed ({process.returncode}): {err.decode()}")
    result: dict[str, Any] = json.loads(out)
    return result


def merge(outputs: list[dict[str, Any]]) -> LoadResult:
    samples: dict[str, list[float]] = defaultdict(list)
    status: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    errors: dict[str, int] = defaultdict(int)
    result = LoadResult()
    for out in outputs:
        for label, values in out["samples"].items():
            samples[label] += values
        for label, codes in out["status"].items():
            for code, n in codes.items():
                status[label][code] += n
        for name, n in out["errors"].items():
            errors[name] += n
        result.bad_bodies += out.get("bad_bodies", [])
        result.sent += out["sent"]
        result.measured += out["measured"]
        result.achieved_rate += out["achieved_rate"]
        result.cpu_s += out["cpu_s"]
        result.answered.update(out.get("answered") or {})
        late = out.get("late_ms_p99")
        if late is not None:
            result.late_ms_p99 = max(result.late_ms_p99 or 0.0, late)
    result.samples = dict(samples)
    result.status = {k: dict(v) for k, v in status.items()}
    result.errors = dict(errors)
    windows = [out["window"] for out in outputs]
    result.window = (min(w[0] for w in windows), max(w[1] for w in windows))
    return result
