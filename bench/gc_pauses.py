"""Garbage-collection pauses while serving the main pages, with and without `gc.freeze()`
after start-up (what config/wsgi.py does in every web worker).

    DATABASE_URL=postgres://… .venv/bin/python bench/gc_pauses.py [--no-freeze]

Signs in as the demo's federation staff, walks the pages once (caches warm), then three
times more while timing every collection by generation.
"""

import gc
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.urls import get_resolver  # noqa: E402
from profile_pages import pages  # noqa: E402 - bench/ is on sys.path when run as a script

from interurps.accounts.models import User  # noqa: E402


def main() -> None:
    freeze = "--no-freeze" not in sys.argv
    get_resolver().check()
    print(f"objects after start-up: {len(gc.get_objects()):,}")
    if freeze:
        gc.freeze()
    # The main pages but the PDF (its layout would drown the collections), and the maps' data.
    paths = [path for path in pages() if "format=pdf" not in path] + [
        "/regions/52/couverture/carte.geojson",
        "/geographie/communes.geojson?departement=44",
    ]
    client = Client()
    client.force_login(User.objects.get(email="charge.mission@demo.interurps.fr"))
    for path in paths:
        client.get(path, HTTP_HOST="127.0.0.1")
    pauses: dict[int, list[float]] = defaultdict(list)
    started = [0.0]

    def timer(phase, info):
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            pauses[info["generation"]].append((time.perf_counter() - started[0]) * 1000)

    gc.callbacks.append(timer)
    rounds = 3
    for _ in range(rounds):
        for path in paths:
            client.get(path, HTTP_HOST="127.0.0.1")
    gc.callbacks.remove(timer)
    frozen = "yes" if freeze else "no"
    print(f"gc.freeze() after start-up: {frozen}; {rounds * len(paths)} requests")
    for generation, times in sorted(pauses.items()):
        print(
            f"generation {generation}: {len(times)} collections, "
            f"{sum(times):.1f} ms in all, longest {max(times):.1f} ms"
        )


if __name__ == "__main__":
    main()
