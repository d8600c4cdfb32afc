"""The load test's figures against the goals of issue 12, as a Markdown table.

    .venv/bin/python bench/load_verdict.py bench/results/national-20261202T0700Z_stats.csv

Goals (p95): every HTML page under 150 ms, a department's diagnostic under 300 ms, the
professionals list under 100 ms; GeoJSON (maps' data, cached by browsers) and the sign-in
(password hashing) are reported without a goal. Exits with 1 when a goal is missed or a
request failed, so that a run can be checked by a script.
"""

import csv
import sys

GOALS_MS = {"department diagnostic": 300, "professionals list": 100}
HTML_GOAL_MS = 150
WITHOUT_GOAL = ("GeoJSON", "sign in", "login form")


def goal_of(name: str) -> int | None:
    if any(marker in name for marker in WITHOUT_GOAL):
        return None
    return GOALS_MS.get(name, HTML_GOAL_MS)


def main(path: str) -> int:
    with open(path, newline="") as stats:
        rows = list(csv.DictReader(stats))
    missed = 0
    print("| Page | requests | p50 | p95 | goal (p95) | met |")
    print("|---|---|---|---|---|---|")
    total = None
    for row in rows:
        if row["Name"] == "Aggregated":
            total = row
            continue
        count = int(row["Request Count"])
        if not count:
            continue
        p95 = int(float(row["95%"]))
        goal = goal_of(row["Name"])
        met = "" if goal is None else ("yes" if p95 < goal else "**no**")
        missed += goal is not None and p95 >= goal
        goal_text = "—" if goal is None else f"{goal} ms"
        print(
            f"| {row['Name']} | {count:,} | {int(float(row['50%']))} ms | {p95} ms "
            f"| {goal_text} | {met} |"
        )
    failures = int(total["Failure Count"]) if total else 0
    if total:
        print(
            f"| **all** | {int(total['Request Count']):,} | {int(float(total['50%']))} ms "
            f"| {int(float(total['95%']))} ms | | |"
        )
        print(
            f"\n{float(total['Requests/s']):.1f} requests/s, {failures} failed; "
            f"{missed} page(s) over their goal."
        )
    return 1 if missed or failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
