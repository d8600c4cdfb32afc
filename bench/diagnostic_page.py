"""Times the diagnostic page of each demo CPTS (goal: under 300 ms), in-process with
Django's test client against the dev database loaded by `make run`.

    .venv/bin/python bench/diagnostic_page.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from interurps.accounts.models import User  # noqa: E402
from interurps.cpts.models import Cpts  # noqa: E402

REPEATS = 5


def main() -> None:
    client = Client()
    client.force_login(User.objects.get(email="admin@demo.interurps.fr"))
    client.get("/diagnostics/", HTTP_HOST="127.0.0.1")  # warm-up: imports, caches
    rows = []
    for cpts in Cpts.objects.filter(region_id="52").order_by("name"):
        times = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            response = client.get(f"/diagnostics/?cpts={cpts.pk}", HTTP_HOST="127.0.0.1")
            times.append(time.perf_counter() - start)
            assert response.status_code == 200
        rows.append((cpts.name, cpts.communes.count(), statistics.median(times), max(times)))
    print("| CPTS | Communes | Median (ms) | Max (ms) |\n|---|---|---|---|")
    for name, communes, median, worst in rows:
        print(f"| {name} | {communes} | {median * 1000:.0f} | {worst * 1000:.0f} |")
    medians = [r[2] for r in rows]
    print(
        f"\nAll CPTS: median of medians {statistics.median(medians) * 1000:.0f} ms, "
        f"slowest median {max(medians) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
