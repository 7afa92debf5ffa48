"""A measured figure beside its baseline, and the table that prints them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    target: str = ""
    higher_is_better: bool = True

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline  # type: ignore[operator]


def render(figures: list[Figure]) -> str:
    lines = []
    for f in figures:
        line = f"{f.name:<46} {f.value:>12,.2f} {f.unit:<8}"
        if f.baseline is not None:
            line += f" | {f.baseline_name or 'baseline'} {f.baseline:,.2f} {f.unit}"
            if f.ratio is not None:
                line += f" | ratio {f.ratio:.2f}"
        if f.target:
            line += f" | target {f.target}"
        lines.append(line)
    return "\n".join(lines)
