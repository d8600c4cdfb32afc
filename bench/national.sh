#!/bin/sh
# Builds the national dataset (all of France's geography, the demo, a synthetic registry for
# every region: about 318,000 professionals) into the PostgreSQL database DATABASE_URL, then
# runs the load test (bench/load.sh): gunicorn with 2 workers, locust headless with 10 users.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/interurps_national bench/national.sh
#
# BUILD=0 skips the build (database already filled); USERS, DURATION, WORKERS, PORT tune the
# run. The locust report goes to bench/results/ (CSV and HTML).
set -eu
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL database (it is filled, not dropped)}"
PYTHON=${PYTHON:-.venv/bin/python}
export DATABASE_URL DJANGO_SETTINGS_MODULE=config.settings.dev DEMO_MODE=1 DEBUG=0
M="$PYTHON manage.py"

if [ "${BUILD:-1}" = 1 ]; then
    $M migrate --noinput
    $M import_geography --if-empty
    $M create_organizations
    for region in $($PYTHON -c "
import django; django.setup()
from interurps.geography.models import Region
print(' '.join(Region.objects.values_list('code', flat=True)))"); do
        echo "Région $region"
        $M generate_professionals --region "$region" --seed 1
    done
    # After the registry: the demo's accounts and SAS effectors point at its professionals.
    $M load_demo
fi

NAME=national exec bench/load.sh
