#!/usr/bin/env bash
# Times `manage.py import_geography` on all of France: a first import into an empty
# database, then a second run that must change nothing. Run by hand; record the figures
# in docs/benchmarks.md with the machine and the date.
#   bench/import_geography.sh              # SQLite (a throwaway file)
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/interurps_bench bench/import_geography.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=config.settings.dev
if [ -z "${DATABASE_URL:-}" ]; then
  export DATABASE_URL="sqlite:///$(mktemp -d)/bench.sqlite3"
fi
.venv/bin/python manage.py migrate --noinput -v0
for run in first second; do
  /usr/bin/time -f "$run run: %e s elapsed, %M KB max resident" \
    .venv/bin/python manage.py import_geography -v0 | tail -n 1
done
