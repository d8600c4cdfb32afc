#!/bin/sh
# The load test on the single-region demo with the embedded default database (SQLite):
# builds the demo into a new SQLite file (France's geography, the organisations, the Pays de
# la Loire demo), then runs bench/load.sh against it.
#
#   bench/demo.sh            # DB=/tmp/interurps-bench-demo.sqlite3 (kept: BUILD=0 reuses it)
set -eu
cd "$(dirname "$0")/.."
DB=${DB:-/tmp/interurps-bench-demo.sqlite3}
PYTHON=${PYTHON:-.venv/bin/python}
export DATABASE_URL="sqlite:///$DB" DJANGO_SETTINGS_MODULE=config.settings.dev DEMO_MODE=1 DEBUG=0
M="$PYTHON manage.py"
if [ "${BUILD:-1}" = 1 ]; then
    rm -f "$DB"
    $M migrate --noinput
    $M import_geography --if-empty
    $M create_organizations
    $M load_demo
fi
NAME=demo-sqlite exec bench/load.sh
