"""`python -m bench [case …] [--scale X]`: run benchmark cases and print their figures.

A case is a module `bench/<case>.py` with `async def run(scale: float) -> list[Figure]`.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import pkgutil
import sys
import time
from pathlib import Path

from bench.figures import Figure, render


def available() -> list[str]:
    here = Path(__file__).parent
    return sorted(
        m.name for m in pkgutil.iter_modules([str(here)]) if m.name not in ("figures", "__main__")
    )


async def main(cases: list[str], scale: float) -> int:
    results: list[tuple[str, list[Figure], float]] = []
    for case in cases:
        module = importlib.import_module(f"bench.{case}")
        started = time.perf_counter()
        print(f"== {case} (scale {scale}) ==", flush=True)
        figures = await module.run(scale)
        results.append((case, figures, time.perf_counter() - started))
        print(render(figures), flush=True)
    print("\n== summary ==")
    for case, figures, seconds in results:
        print(f"-- {case} ({seconds:.1f} s)")
        print(render(figures))
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("cases", nargs="*", help=f"default: all of {', '.join(available())}")
    parser.add_argument("--scale", type=float, default=0.01, help="1.0 is the full city")
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.cases or available(), args.scale)))
