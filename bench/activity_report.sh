#!/usr/bin/env bash
# Times `manage.py activity_report` for the demo region (goal: under 10 seconds). Needs the
# demo loaded in the database DATABASE_URL points at (default: the dev SQLite, `make run`).
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=config.settings.dev
out="$(mktemp -d)"
for format in pdf html; do
  /usr/bin/time -f "$format: %e s elapsed, %M KB max resident" \
    .venv/bin/python manage.py activity_report --region 52 --year 2021 \
    --format "$format" --output "$out/rapport.$format" >/dev/null
done
