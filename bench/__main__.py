"""Run the benchmarks: `python -m bench [NAME ...]` (NAME = bench_sla, bench_mail, ...)."""

import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path

import django


def main(names: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiketti.settings")
    os.environ.setdefault("DEBUG", "1")
    django.setup()
    here = Path(__file__).parent
    modules = sorted(
        m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_")
    )
    chosen = [m for m in modules if not names or m in names or m.removeprefix("bench_") in names]
    for name in chosen:
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        importlib.import_module(f"bench.{name}").run()
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
