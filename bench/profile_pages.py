"""Times the main pages one request at a time, in-process with Django's test client, and
counts their SQL queries and SQL time: the first step before a load test.

    DATABASE_URL=postgres://… .venv/bin/python bench/profile_pages.py [--profile PATH]

With --profile, prints pyinstrument's profile of that one page. BENCH_USER: the demo account
signed in (default: the federation's staff).
"""

import gc
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import get_resolver  # noqa: E402

from interurps.accounts.models import User  # noqa: E402
from interurps.cpts.models import Cpts  # noqa: E402

REPEATS = 3


def pages() -> list[str]:
    cpts = Cpts.objects.filter(region_id="52").order_by("pk").first()
    return [
        "/",
        "/regions/52/cpts/",
        f"/cpts/{cpts.pk}/",
        f"/diagnostics/?cpts={cpts.pk}",
        "/diagnostics/?departement=44",
        "/professionnels/",
        "/professionnels/?q=martin",
        "/regions/52/couverture/",
        "/diagnostics/?region=52&format=pdf",
    ]


def main() -> None:
    # As a web worker does (config/wsgi.py): start-up's objects out of the collector.
    get_resolver().check()
    gc.freeze()
    client = Client()
    email = os.environ.get("BENCH_USER", "charge.mission@demo.interurps.fr")
    client.force_login(User.objects.get(email=email))
    if "--profile" in sys.argv:
        from pyinstrument import Profiler

        path = sys.argv[sys.argv.index("--profile") + 1]
        client.get(path, HTTP_HOST="127.0.0.1")
        profiler = Profiler()
        profiler.start()
        client.get(path, HTTP_HOST="127.0.0.1")
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        return
    print(f"{'page':45} {'median ms':>9} {'max ms':>7} {'queries':>7} {'SQL ms':>7} {'KiB':>6}")
    for path in pages():
        times = []
        with override_settings(DEBUG=True):
            for _ in range(REPEATS):
                reset_queries()
                start = time.perf_counter()
                response = client.get(path, HTTP_HOST="127.0.0.1")
                times.append(time.perf_counter() - start)
                assert response.status_code == 200, (path, response.status_code)
            queries = len(connection.queries)
            sql = sum(float(q["time"]) for q in connection.queries) * 1000
        size = len(response.content) / 1024
        print(
            f"{path:45} {statistics.median(times) * 1000:9.0f} {max(times) * 1000:7.0f} "
            f"{queries:7d} {sql:7.0f} {size:6.0f}"
        )


if __name__ == "__main__":
    main()
