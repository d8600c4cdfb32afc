#!/bin/sh
# Builds the national dataset (all of France's geography, the demo, a synthetic registry for
# every region: about 318,000 professionals) into the PostgreSQL database DATABASE_URL, then
# runs the load test: gunicorn with 2 workers, locust headless with 10 users.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/interurps_national bench/national.sh
#
# BUILD=0 skips the build (database already filled); USERS, DURATION, WORKERS, PORT tune the
# run. The locust report goes to bench/results/ (CSV and HTML).
set -eu
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL database (it is filled, not dropped)}"
PYTHON=${PYTHON:-.venv/bin/python}
BIN=$(dirname "$PYTHON")
USERS=${USERS:-10}
DURATION=${DURATION:-2m}
WORKERS=${WORKERS:-2}
PORT=${PORT:-8765}
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
$M migrate --noinput
$M rebuild_registry_counts

eval "$($PYTHON -c "
import django; django.setup()
from interurps.cpts.models import Cpts
first = Cpts.objects.filter(region_id='52').order_by('pk').first()
own = Cpts.objects.filter(name='CPTS du Grand Saumurois').first() or first
print(f'export BENCH_CPTS={first.pk} BENCH_COORDINATOR_CPTS={own.pk}')")"

"$BIN/gunicorn" config.wsgi --workers "$WORKERS" --bind "127.0.0.1:$PORT" \
    --access-logfile /dev/null --log-level warning &
SERVER=$!
trap 'kill $SERVER' EXIT
sleep 5
mkdir -p bench/results
STAMP=$(date -u +%Y%m%dT%H%MZ)
"$BIN/locust" -f bench/locustfile.py --headless -u "$USERS" -r "$USERS" -t "$DURATION" \
    --host "http://127.0.0.1:$PORT" --csv "bench/results/national-$STAMP" \
    --html "bench/results/national-$STAMP.html" --only-summary
