"""A measured figure beside its baseline and its target, the percentiles behind latency
figures, and the table that prints them.

Every figure with a target carries `met`, computed by its case from the numbers (never typed
in); `met` is None only for a figure the issue lists as "reported". A ratio is always
`value / baseline` and is printed as "0.62× raw": for a rate, more is better; for a latency,
less is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

MIN_P99_SAMPLES = 1_000
"""Fewer samples than this and a p99 is the few largest values, not a percentile: refused."""
MIN_P999_SAMPLES = 10_000


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    target: str = ""
    met: bool | None = None
    samples: int | None = None
    note: str = ""
    run: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0 or not _finite(self.value):
            return None
        return self.value / self.baseline

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["value"] = self.value if _finite(self.value) else None
        out["ratio"] = self.ratio
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Figure:
        known = {k: data.get(k) for k in cls.__dataclass_fields__ if k in data}
        if known.get("value") is None:
            known["value"] = math.nan
        known.setdefault("extra", {})
        if known["extra"] is None:
            known["extra"] = {}
        for text in ("baseline_name", "target", "note"):
            known[text] = known.get(text) or ""
        return cls(**known)

    def in_run(self, run: int) -> Figure:
        return replace(self, run=run)


def _finite(value: float | None) -> bool:
    return value is not None and not math.isnan(value) and not math.isinf(value)


def percentile(ordered: Sequence[float], q: float) -> float:
    """The nearest-rank percentile (q in 0..1) of already sorted samples: the smallest sample
    with at least q of all samples at or below it."""
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(q * len(ordered)))
    return float(ordered[min(rank, len(ordered)) - 1])


def latency_figures(
    name: str,
    samples_ms: Sequence[float],
    *,
    p99_below: float | None = None,
    p99_at_most: float | None = None,
    p99_target: str = "",
    baseline: Sequence[float] | None = None,
    baseline_name: str = "",
    note: str = "",
) -> list[Figure]:
    """p50, p99 and p99.9 of latency samples (ms), each with the sample count.

    A target applies to the p99: `p99_below` (an absolute bound, "p99 < 500 ms") or
    `p99_at_most` (a bound on the ratio to the baseline's p99, "p99 ≤ 3× raw"). Below
    1,000 samples the p99 is refused (value NaN, "n too small", met False when there is a
    target); below 1,000 the p99.9 is refused too, and below 10,000 it is noted as resting on
    fewer than ten samples above it.
    """
    ordered = sorted(samples_ms)
    base = sorted(baseline) if baseline is not None else None
    n = len(ordered)
    out = []
    for label, q, minimum in (
        ("p50", 0.5, 1),
        ("p99", 0.99, MIN_P99_SAMPLES),
        ("p99.9", 0.999, MIN_P99_SAMPLES),
    ):
        value = percentile(ordered, q) if n >= minimum else math.nan
        base_value = percentile(base, q) if base and len(base) >= minimum else None
        target, met, notes = "", None, [note] if note else []
        if label == "p99" and (p99_below is not None or p99_at_most is not None):
            if p99_below is not None:
                target = p99_target or f"p99 < {p99_below:g} ms"
                met = n >= minimum and value < p99_below
            else:
                assert p99_at_most is not None
                target = p99_target or f"p99 ≤ {p99_at_most:g}× {baseline_name or 'baseline'}"
                met = bool(
                    n >= minimum
                    and base_value
                    and base is not None
                    and len(base) >= minimum
                    and value / base_value <= p99_at_most
                )
                if base is None or len(base) < minimum:
                    notes.append(f"baseline n too small ({len(base or [])} < {minimum:,})")
        if n < minimum:
            notes.append(f"n too small ({n:,} < {minimum:,})")
        elif label == "p99.9" and n < MIN_P999_SAMPLES:
            notes.append(f"from {n:,} samples: rests on the {n - math.ceil(0.999 * n) + 1} largest")
        out.append(
            Figure(
                f"{name} {label}",
                value,
                "ms",
                baseline=base_value,
                baseline_name=baseline_name,
                target=target,
                met=met,
                samples=n,
                note="; ".join(notes),
            )
        )
    return out


def rate_figure(
    name: str,
    value: float,
    unit: str,
    *,
    baseline: float | None = None,
    baseline_name: str = "",
    at_least: float | None = None,
    samples: int | None = None,
    note: str = "",
) -> Figure:
    """A rate, with the target "≥ x× baseline" when `at_least` is given."""
    target, met = "", None
    if at_least is not None:
        target = f"≥ {at_least:g}× {baseline_name or 'baseline'}"
        met = bool(baseline and _finite(value) and value / baseline >= at_least)
    return Figure(
        name,
        value,
        unit,
        baseline=baseline,
        baseline_name=baseline_name,
        target=target,
        met=met,
        samples=samples,
        note=note,
    )


def mark(figure: Figure) -> str:
    if figure.met is None:
        return " " if not figure.target else "?"
    return "✔" if figure.met else "✘"


def number(value: float | None) -> str:
    if value is None or not _finite(value):
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:,.1f}"
    return f"{value:,.2f}"


def describe(f: Figure) -> dict[str, str]:
    """The printable cells of a figure."""
    value = (
        number(f.value) if _finite(f.value) else "n too small" if "n too small" in f.note else "—"
    )
    baseline = ""
    if f.baseline is not None:
        baseline = f"{f.baseline_name or 'baseline'} {number(f.baseline)} {f.unit}"
    ratio = f"{f.ratio:.2f}× {f.baseline_name or 'baseline'}" if f.ratio is not None else ""
    return {
        "name": f.name,
        "value": f"{value} {f.unit}" if _finite(f.value) else value,
        "baseline": baseline,
        "ratio": ratio,
        "target": f.target,
        "mark": mark(f),
        "samples": f"n={f.samples:,}" if f.samples is not None else "",
        "note": f.note,
    }


def render(figures: Sequence[Figure]) -> str:
    lines = []
    for f in figures:
        d = describe(f)
        line = f"{d['mark']} {f.name:<52} {d['value']:>16}"
        for key in ("samples", "baseline", "ratio"):
            if d[key]:
                line += f" | {d[key]}"
        if f.target:
            line += f" | target {f.target}"
        if f.note:
            line += f" | {f.note}"
        lines.append(line)
    return "\n".join(lines)
