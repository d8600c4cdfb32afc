"""Geometry of territories made of communes: contiguity, outlines, growth, coverage.

Plain functions over shapely geometries and Python collections; no Django import.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

# Communes are stored on a 1 m grid (1e-5 degree); neighbours may then sit a hair apart.
ADJACENCY_TOLERANCE = 2e-5


def adjacency_pairs(geometries: Sequence, tolerance: float = ADJACENCY_TOLERANCE) -> np.ndarray:
    """Index pairs (i, j), i < j, of geometries closer than `tolerance` (touching).

    >>> from shapely import box
    >>> adjacency_pairs([box(0, 0, 1, 1), box(1, 0, 2, 1), box(5, 5, 6, 6)]).tolist()
    [[0, 1]]
    """
    array = np.asarray(geometries, dtype=object)
    if len(array) == 0:
        return np.empty((0, 2), dtype=int)
    if any(g is None for g in array):
        raise ValueError("every geometry must be present (None found)")
    # Candidates from the envelopes grown by the tolerance (the tree alone, cheap); most
    # neighbours share a border and are confirmed by `intersects`; only the few others pay
    # for a distance (GEOS's `dwithin` on every candidate is about 2.5 times slower).
    tree = shapely.STRtree(array)
    xmin, ymin, xmax, ymax = shapely.bounds(array).T
    grown = shapely.box(xmin - tolerance, ymin - tolerance, xmax + tolerance, ymax + tolerance)
    left, right = tree.query(grown)
    keep = left < right
    left, right = left[keep], right[keep]
    near = shapely.intersects(array[left], array[right])
    apart = ~near
    near[apart] = shapely.dwithin(array[left[apart]], array[right[apart]], tolerance)
    return np.column_stack([left[near], right[near]])


def connected_parts(
    geometries: Sequence, tolerance: float = ADJACENCY_TOLERANCE
) -> list[list[int]]:
    """Groups of indices of geometries that form one contiguous piece, largest first.

    >>> from shapely import box
    >>> connected_parts([box(0, 0, 1, 1), box(3, 0, 4, 1), box(1, 0, 2, 1)])
    [[0, 2], [1]]
    """
    count = len(geometries)
    if count == 0:
        return []
    pairs = adjacency_pairs(geometries, tolerance)
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(count, count))
    _, labels = connected_components(graph, directed=False)
    groups: dict[int, list[int]] = defaultdict(list)
    for index, group in enumerate(labels):
        groups[int(group)].append(index)
    return sorted(groups.values(), key=lambda members: (-len(members), members[0]))


def dissolve(geometries: Iterable, simplify_tolerance: float = 0.0005):
    """One outline for a set of neighbouring polygons (None when there is none)."""
    present = [g for g in geometries if g is not None]
    if not present:
        return None
    outline = shapely.union_all(np.asarray(present, dtype=object), grid_size=1e-5)
    if simplify_tolerance:
        outline = shapely.simplify(outline, simplify_tolerance, preserve_topology=True)
    return outline


def grow_territory(
    seed: int,
    neighbours: Mapping[int, Iterable[int]],
    populations: Sequence[int],
    target_population: int,
    taken: set[int],
    max_population: int | None = None,
) -> list[int]:
    """Breadth-first growth from `seed` over free neighbours until `target_population`.

    Deterministic: neighbours are visited in index order. A neighbour that would take the
    total over `max_population` is skipped (a big city next door is left out). Returns the
    chosen indices (the seed first); `taken` is not modified.

    >>> grow_territory(0, {0: [1], 1: [0, 2], 2: [1]}, [10, 10, 10], 15, set())
    [0, 1]
    """
    if seed in taken:
        raise ValueError(f"seed {seed} is already taken")
    chosen = [seed]
    seen = {seed}
    frontier = [seed]
    total = populations[seed]
    while frontier and total < target_population:
        next_frontier = []
        for index in frontier:
            for neighbour in sorted(neighbours.get(index, ())):
                if neighbour in seen or neighbour in taken:
                    continue
                if total >= target_population:
                    break
                seen.add(neighbour)
                if max_population is not None and total + populations[neighbour] > max_population:
                    continue
                chosen.append(neighbour)
                total += populations[neighbour]
                next_frontier.append(neighbour)
        frontier = next_frontier
    return chosen


def _sorted(keys: list) -> list:
    """Natural order for comparable keys (ids: 9 before 10), text order otherwise."""
    try:
        return sorted(keys)
    except TypeError:
        return sorted(keys, key=str)


@dataclass
class Coverage:
    """How a set of territories covers a set of units (communes or districts)."""

    total_population: int
    covered_population: int
    covered_units: set = field(default_factory=set)
    uncovered_units: list = field(default_factory=list)
    overlaps: dict = field(default_factory=dict)

    @property
    def covered_share(self) -> float:
        if not self.total_population:
            return 0.0
        return self.covered_population / self.total_population


def coverage(
    populations: Mapping[Hashable, int | None],
    territories: Mapping[Hashable, Iterable[Hashable]],
) -> Coverage:
    """Covered and uncovered units, and units claimed by several territories.

    `populations` maps every unit of the area to its population (None counts as 0);
    `territories` maps a territory key to its units (units outside the area are ignored).

    >>> c = coverage({"a": 10, "b": 5, "c": 1}, {"t1": ["a"], "t2": ["a", "b"]})
    >>> c.covered_population, c.uncovered_units, c.overlaps
    (15, ['c'], {'a': ['t1', 't2']})
    """
    claims: dict[Hashable, list] = defaultdict(list)
    for key, units in territories.items():
        for unit in units:
            if unit in populations:
                claims[unit].append(key)
    covered = set(claims)
    total = sum(p or 0 for p in populations.values())
    covered_population = sum(populations[u] or 0 for u in covered)
    uncovered = sorted(
        (u for u in populations if u not in covered),
        key=lambda u: (-(populations[u] or 0), str(u)),
    )
    overlaps = {u: _sorted(keys) for u, keys in claims.items() if len(keys) > 1}
    return Coverage(total, covered_population, covered, uncovered, overlaps)
