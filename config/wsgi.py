import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
application = get_wsgi_application()

# What start-up built (about 180,000 objects: modules, models, URL patterns, views) lives as
# long as the process. Left to the garbage collector, every full collection walks it again:
# 70–90 ms, every seventh request or so, measured with France's registry — most of the slow
# tail of the pages. Loading the URL patterns first, then freezing, leaves those objects out
# of every collection (bench/gc_pauses.py, docs/benchmarks.md).
get_resolver().check()
gc.freeze()
