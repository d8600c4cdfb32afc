#!/bin/sh
# Runs the load test against the database DATABASE_URL, already filled (by bench/national.sh
# for France's registry on PostgreSQL, bench/demo.sh for the single-region demo on SQLite):
# gunicorn with WORKERS workers (THREADS threads each), locust headless with USERS users for
# DURATION. NAME prefixes the report in bench/results/ (CSV and HTML).
set -eu
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL}"
PYTHON=${PYTHON:-.venv/bin/python}
BIN=$(dirname "$PYTHON")
USERS=${USERS:-10}
DURATION=${DURATION:-5m}
# Statistics reset once the users have signed in (ten password hashings at once): see
# bench/locustfile.py. BENCH_WARMUP=0 measures the sign-in burst too.
export BENCH_WARMUP=${BENCH_WARMUP:-20}
WORKERS=${WORKERS:-2}
THREADS=${THREADS:-1}  # more than 1: gunicorn's threaded workers (gthread)
PORT=${PORT:-8765}
NAME=${NAME:-load}
export DATABASE_URL DJANGO_SETTINGS_MODULE=config.settings.dev DEMO_MODE=1 DEBUG=0
M="$PYTHON manage.py"

$M migrate --noinput
$M rebuild_registry_counts

eval "$($PYTHON -c "
import django; django.setup()
from interurps.cpts.models import Cpts
from interurps.sas.models import CareRequest
first = Cpts.objects.filter(region_id='52').order_by('pk').first()
own = Cpts.objects.filter(name='CPTS du Grand Saumurois').first() or first
request = CareRequest.objects.filter(region_id='52').order_by('-called_at').first()
print(f'export BENCH_CPTS={first.pk} BENCH_COORDINATOR_CPTS={own.pk}')
print(f'export BENCH_CARE_REQUEST={request.pk if request else \"\"}')")"

"$BIN/gunicorn" config.wsgi --workers "$WORKERS" --threads "$THREADS" --bind "127.0.0.1:$PORT" \
    --access-logfile /dev/null --log-level warning &
SERVER=$!
trap 'kill $SERVER' EXIT
sleep 5
mkdir -p bench/results
STAMP=$(date -u +%Y%m%dT%H%MZ)
"$BIN/locust" -f bench/locustfile.py --headless -u "$USERS" -r "$USERS" -t "$DURATION" \
    --host "http://127.0.0.1:$PORT" --csv "bench/results/$NAME-$STAMP" \
    --html "bench/results/$NAME-$STAMP.html" --only-summary
# The figures against the goals (p95): exits with 1 when one is missed.
"$PYTHON" bench/load_verdict.py "bench/results/$NAME-${STAMP}_stats.csv"
