"""Territories from patient flows: attraction poles, candidate territories, quality.

Plain functions over NumPy arrays and SciPy sparse matrices (igraph for Leiden); no Django
import. Communes are numbered 0..n-1 by the caller; flows are given as three arrays
(`origins`, `destinations`, `counts`: residents of commune `origins[k]` cared for in
commune `destinations[k]`, `counts[k]` times), turned into an n × n matrix F whose rows are
origins and columns destinations.

Method (the « pôles d'attraction » approach some ORS use, see seed 004):

- *self-containment* of a set of communes T: the share of its residents' flows that stay
  inside, F(T, T) / F(T, ·);
- *attraction* of T: the share of the care given in T that comes from residents of other
  communes, (F(·, T) − F(T, T)) / F(·, T);
- *modularity* of a partition (directed, Leicht & Newman 2008, self-loops included):
  Q = Σ_T [F(T, T) / m − F(T, ·) F(·, T) / m²], m the total of F; each territory's term is
  its contribution;
- *plurality assignment*: each commune points to the commune where most of its residents'
  flows go; following the pointers ends at a pole (a commune that keeps most of its own
  flows), whose basin is a candidate territory;
- *Leiden* (Traag, Waltman & van Eck 2019) maximises the modularity of the symmetrised flow
  graph F + Fᵀ (igraph's implementation);
- *constraints*, applied identically after either method: territories never cross a group
  (department or region), are contiguous (commune adjacency from the geometries; a piece
  with no land neighbour, an island, is joined to the nearest commune by centroid), keep
  the fixed territories (existing CPTS) as they are, and have a population between bounds:
  too small ones are merged into the adjacent territory they exchange most flows with,
  too large ones are split again (Leiden on their own flows at a higher resolution, then
  growth from their main pole). A single commune above the upper bound cannot be split and
  is reported, as is a piece that has no neighbour to merge with.

>>> import numpy as np
>>> F = flow_matrix(np.array([0, 0, 1, 2]), np.array([0, 1, 1, 2]), np.array([6, 4, 9, 5]), 3)
>>> q = quality(np.array([0, 0, 1]), F, np.array([100, 200, 300]))
>>> [round(float(x), 3) for x in q.self_containment]
[1.0, 1.0]
"""

import heapq
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

METHODS = ("leiden", "plurality")
# Seed 004 and the CPTS checks (interurps/cpts/rules.py USUAL_POPULATION_RANGE).
DEFAULT_MIN_POPULATION = 10_000
DEFAULT_MAX_POPULATION = 200_000
# Seed 004: « 3 à 6 pôles infra-départementaux ».
DEFAULT_POLE_RANGE = (3, 6)
EARTH_RADIUS_KM = 6371.0
SPLIT_RESOLUTIONS = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0)


# --- inputs ---------------------------------------------------------------------------


def flow_matrix(origins, destinations, counts, size: int) -> sparse.csr_matrix:
    """The n × n flow matrix (rows: origins, columns: destinations); repeated pairs add up.

    >>> flow_matrix([0, 1], [1, 1], [3, 2], 2).toarray().tolist()
    [[0.0, 3.0], [0.0, 2.0]]
    """
    origins = np.asarray(origins, dtype=np.int64)
    destinations = np.asarray(destinations, dtype=np.int64)
    counts = np.asarray(counts, dtype=float)
    if not (len(origins) == len(destinations) == len(counts)):
        raise ValueError("origins, destinations and counts must have the same length")
    if len(counts) and (counts < 0).any():
        raise ValueError("flow counts must not be negative")
    for name, array in (("origins", origins), ("destinations", destinations)):
        if len(array) and (array.min() < 0 or array.max() >= size):
            raise ValueError(f"{name} must be indices between 0 and {size - 1}")
    matrix = sparse.csr_matrix((counts, (origins, destinations)), shape=(size, size))
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    return matrix


def adjacency_matrix(pairs, size: int) -> sparse.csr_matrix:
    """Symmetric boolean adjacency from index pairs (i, j)."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
    matrix = sparse.csr_matrix((np.ones(len(rows), dtype=bool), (rows, cols)), shape=(size, size))
    matrix.setdiag(False)
    matrix.eliminate_zeros()
    return matrix


def _planar_km(latitudes, longitudes) -> np.ndarray:
    """Equirectangular coordinates in km (good enough to find nearest neighbours)."""
    latitudes = np.asarray(latitudes, dtype=float)
    longitudes = np.asarray(longitudes, dtype=float)
    mean_latitude = np.radians(np.nanmean(latitudes)) if len(latitudes) else 0.0
    x = np.radians(longitudes) * math.cos(mean_latitude) * EARTH_RADIUS_KM
    y = np.radians(latitudes) * EARTH_RADIUS_KM
    return np.column_stack([x, y])


def connect_pieces(
    adjacency: sparse.csr_matrix, latitudes, longitudes, groups=None
) -> sparse.csr_matrix:
    """Adjacency where, inside each group, every piece with no land link (islands, communes
    without geometry) is joined to the nearest commune of another piece, by centroid.

    Repeated until each group is one piece, so any territory can be made contiguous.

    >>> a = adjacency_matrix([[0, 1]], 3)
    >>> connect_pieces(a, [0.0, 0.0, 0.0], [0.0, 0.1, 0.5]).toarray().astype(int).tolist()
    [[0, 1, 0], [1, 0, 1], [0, 1, 0]]
    """
    size = adjacency.shape[0]
    points = _planar_km(latitudes, longitudes)
    groups = np.zeros(size, dtype=np.int64) if groups is None else np.asarray(groups)
    extra = []
    for group in np.unique(groups):
        members = np.flatnonzero(groups == group)
        if len(members) < 2:
            continue
        local = adjacency[members][:, members].tolil()
        while True:
            count, pieces = connected_components(local.tocsr(), directed=False)
            if count == 1:
                break
            # Join every piece but the largest to its nearest commune outside it.
            sizes = np.bincount(pieces)
            largest = int(np.argmax(sizes))
            for piece in range(count):
                if piece == largest:
                    continue
                inside = np.flatnonzero(pieces == piece)
                outside = np.flatnonzero(pieces != piece)
                tree = cKDTree(points[members[outside]])
                distances, nearest = tree.query(points[members[inside]])
                best = int(np.argmin(distances))
                i, j = int(inside[best]), int(outside[nearest[best]])
                local[i, j] = local[j, i] = True
                extra.append((members[i], members[j]))
    if not extra:
        return adjacency
    return (adjacency + adjacency_matrix(np.array(extra), size)).astype(bool).tocsr()


# --- synthetic flows --------------------------------------------------------------------


def gravity_flows(
    latitudes,
    longitudes,
    populations,
    supply,
    *,
    neighbours: int = 40,
    visits_per_inhabitant: float = 1.0,
    decay_km: float = 8.0,
    supply_floor: float = 0.02,
    seed: int = 0,
):
    """Synthetic flows from a gravity model: (origins, destinations, counts).

    The residents of commune i make `visits_per_inhabitant` visits each, shared among the
    `neighbours` nearest communes j (i included) in proportion to
    (supply_j + supply_floor) · exp(−d_ij / decay_km); each pair's count is drawn from a
    Poisson law with that mean (seeded: the same arguments give the same flows). Pairs with
    a zero count are left out. `supply` is the care offered in each commune (professionals,
    for example); the floor keeps a little care everywhere (home visits).

    >>> o, d, c = gravity_flows([47.0, 47.0], [-1.0, -0.9], [1000, 0], [1, 10], seed=1)
    >>> sorted(set(o.tolist()))
    [0]
    """
    populations = np.asarray(populations, dtype=float)
    supply = np.asarray(supply, dtype=float)
    size = len(populations)
    if not (len(latitudes) == len(longitudes) == size == len(supply)):
        raise ValueError("latitudes, longitudes, populations and supply must have one length")
    if size == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty
    if (supply < 0).any() or (populations < 0).any():
        raise ValueError("populations and supply must not be negative")
    points = _planar_km(latitudes, longitudes)
    k = min(neighbours, size)
    distances, nearest = cKDTree(points).query(points, k=k)
    distances = distances.reshape(size, k)
    nearest = nearest.reshape(size, k)
    weights = (supply[nearest] + supply_floor) * np.exp(-distances / decay_km)
    weights /= weights.sum(axis=1, keepdims=True)
    expected = weights * (populations * visits_per_inhabitant)[:, None]
    counts = np.random.default_rng(seed).poisson(expected)
    keep = counts > 0
    origins = np.repeat(np.arange(size, dtype=np.int64), k).reshape(size, k)[keep]
    return origins, nearest[keep].astype(np.int64), counts[keep].astype(np.int64)


# --- poles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pole:
    index: int
    inflow: float  # flows received from residents of other communes
    self_containment: float  # share of its own residents' flows that stay in the commune
    basin: list[int]  # communes whose plurality chain ends at this pole (itself included)
    basin_population: int


def _row_sums(matrix) -> np.ndarray:
    return np.asarray(matrix.sum(axis=1)).ravel()


def _column_sums(matrix) -> np.ndarray:
    return np.asarray(matrix.sum(axis=0)).ravel()


def commune_self_containment(matrix: sparse.csr_matrix) -> np.ndarray:
    """Per commune: share of its residents' flows cared for in the commune (0 without flows)."""
    outflow = _row_sums(matrix)
    own = matrix.diagonal()
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(outflow > 0, own / np.where(outflow > 0, outflow, 1), 0.0)


def plurality_targets(matrix: sparse.csr_matrix, active=None) -> np.ndarray:
    """Per commune, where its plurality chain goes next (dominant flows, Nystuen & Dacey
    1961): the active commune, other than itself, receiving most of its residents' flows
    (ties to the lower index), when that commune receives more flows from other communes
    than it does; otherwise itself (a pole). Chains only climb, so they never loop."""
    size = matrix.shape[0]
    active = np.ones(size, dtype=bool) if active is None else np.asarray(active, dtype=bool)
    inflow = _column_sums(matrix) - matrix.diagonal()
    coo = matrix.tocoo()
    keep = active[coo.col] & active[coo.row] & (coo.row != coo.col)
    rows, cols, data = coo.row[keep], coo.col[keep], coo.data[keep]
    target = np.arange(size)
    if len(data):
        # Sort by row, then count descending, then column: the first of each row wins.
        order = np.lexsort((cols, -data, rows))
        rows, cols = rows[order], cols[order]
        first = np.ones(len(rows), dtype=bool)
        first[1:] = rows[1:] != rows[:-1]
        rows, cols = rows[first], cols[first]
        climbs = inflow[cols] > inflow[rows]
        target[rows[climbs]] = cols[climbs]
    return target


def _roots(target: np.ndarray, inflow: np.ndarray) -> np.ndarray:
    """Where following `target` ends: a commune pointing to itself (or, should a cycle
    occur, the member of the cycle with the largest inflow, lowest index on ties)."""
    size = len(target)
    root = np.full(size, -1, dtype=np.int64)
    for start in range(size):
        if root[start] >= 0:
            continue
        path = []
        seen = {}
        node = start
        while root[node] < 0 and node not in seen:
            seen[node] = len(path)
            path.append(node)
            node = int(target[node])
        if root[node] >= 0:
            end = int(root[node])
        else:  # a cycle starting at seen[node]
            cycle = path[seen[node] :]
            end = min(cycle, key=lambda c: (-inflow[c], c))
            for member in cycle:
                root[member] = end
        for member in path:
            root[member] = end
    return root


def attraction_poles(
    matrix: sparse.csr_matrix, candidates, populations, count: int | None = None
) -> tuple[list[Pole], int]:
    """The attraction poles among `candidates` (a boolean mask) and the default count.

    Communes are ranked by the flows they receive from residents of *other* communes; the
    communes that keep at least half of their own residents' flows come first (a pole
    retains its residents), then the others. Each pole's basin is the set of candidate
    communes whose plurality chain (to where most residents' flows go, among candidates)
    ends at it. The default count is the number of natural poles (communes that end a
    chain with a basin of at least 10,000 inhabitants), kept between 3 and 6 (seed 004).
    Returns (the `count` first poles, or the default number of them; the default count).
    """
    candidates = np.asarray(candidates, dtype=bool)
    populations = np.asarray(populations, dtype=float)
    inflow = _column_sums(matrix) - matrix.diagonal()
    containment = commune_self_containment(matrix)
    indices = np.flatnonzero(candidates)
    root = _roots(plurality_targets(matrix, candidates), inflow)
    basins: dict[int, list[int]] = defaultdict(list)
    for index in indices:
        basins[int(root[index])].append(int(index))
    natural = sum(
        1
        for pole, basin in basins.items()
        if populations[basin].sum() >= DEFAULT_MIN_POPULATION and len(basin) > 1
    )
    low, high = DEFAULT_POLE_RANGE
    default = max(min(natural, high), low)
    default = min(default, len(indices))
    chosen = count if count is not None else default
    ranked = sorted(
        indices.tolist(), key=lambda i: (containment[i] < 0.5, -inflow[i], -populations[i], i)
    )
    # Basins are recomputed around the chosen poles: every candidate commune goes to the
    # chosen pole its plurality chain reaches first, else to the pole it sends most flows to.
    poles = ranked[: max(chosen, 0)]
    assignment = _assign_to_poles(matrix, candidates, poles, root)
    result = []
    for pole in poles:
        basin = sorted(int(i) for i in np.flatnonzero(assignment == pole))
        result.append(
            Pole(
                index=int(pole),
                inflow=float(inflow[pole]),
                self_containment=float(containment[pole]),
                basin=basin,
                basin_population=int(populations[basin].sum()),
            )
        )
    return result, default


def _assign_to_poles(matrix, candidates, poles, root) -> np.ndarray:
    size = matrix.shape[0]
    assignment = np.full(size, -1, dtype=np.int64)
    if not poles:
        return assignment
    pole_set = np.zeros(size, dtype=bool)
    pole_set[poles] = True
    target = plurality_targets(matrix, candidates)
    for start in np.flatnonzero(candidates):
        node, steps = int(start), 0
        while not pole_set[node] and target[node] != node and steps < size:
            node, steps = int(target[node]), steps + 1
        if pole_set[node]:
            assignment[start] = node
    missing = np.flatnonzero(candidates & (assignment < 0))
    if len(missing):
        to_poles = matrix[missing][:, poles].toarray()
        best = np.argmax(to_poles, axis=1)
        assignment[missing] = np.asarray(poles)[best]
    return assignment


# --- detection --------------------------------------------------------------------------


def plurality_labels(matrix: sparse.csr_matrix, active) -> np.ndarray:
    """Each active commune labelled by the pole its plurality chain ends at (-1: inactive)."""
    active = np.asarray(active, dtype=bool)
    inflow = _column_sums(matrix) - matrix.diagonal()
    root = _roots(plurality_targets(matrix, active), inflow)
    return np.where(active, root, -1)


def symmetric_graph(matrix: sparse.csr_matrix, nodes=None, groups=None):
    """The undirected igraph graph of F + Fᵀ (restricted to `nodes`), weights in "weight";
    with `groups`, only the edges inside one group (territories never cross one).

    The pairs are aggregated with SciPy and handed to igraph as tuples of Python ints
    (igraph iterates a 2-D NumPy array row by row, which is several times slower).

    >>> g = symmetric_graph(flow_matrix([0, 1, 1], [1, 0, 2], [3, 2, 5], 3))
    >>> sorted(zip(g.get_edgelist(), g.es["weight"]))
    [((0, 1), 5.0), ((1, 2), 5.0)]
    """
    import igraph

    if nodes is not None:
        matrix = matrix[nodes][:, nodes]
        groups = None if groups is None else np.asarray(groups)[nodes]
    both = sparse.triu(matrix + matrix.T).tocoo()
    rows, cols, weights = both.row, both.col, both.data
    if groups is not None:
        groups = np.asarray(groups)
        keep = groups[rows] == groups[cols]
        rows, cols, weights = rows[keep], cols[keep], weights[keep]
    graph = igraph.Graph(
        n=matrix.shape[0],
        edges=list(zip(rows.tolist(), cols.tolist(), strict=True)),
        directed=False,
    )
    graph.es["weight"] = weights.tolist()
    return graph


def leiden_labels(
    matrix: sparse.csr_matrix,
    active,
    *,
    resolution: float = 1.0,
    seed: int = 0,
    graph=None,
    groups=None,
) -> np.ndarray:
    """Leiden communities (modularity, `resolution`) of the active communes' symmetrised
    flow graph; -1 for inactive communes. Seeded: igraph draws from Python's `random`,
    re-seeded here and restored afterwards."""
    import igraph

    active = np.asarray(active, dtype=bool)
    nodes = np.flatnonzero(active)
    labels = np.full(len(active), -1, dtype=np.int64)
    if len(nodes) == 0:
        return labels
    if graph is None:
        graph = symmetric_graph(matrix, nodes, groups)
    state = random.getstate()
    generator = random.Random(seed)
    igraph.set_random_number_generator(generator)
    try:
        clustering = graph.community_leiden(
            objective_function="modularity",
            weights="weight",
            resolution=resolution,
            n_iterations=-1,
        )
    finally:
        igraph.set_random_number_generator(random)
        random.setstate(state)
    labels[nodes] = np.asarray(clustering.membership, dtype=np.int64)
    return labels


# --- constraints ------------------------------------------------------------------------


@dataclass
class Unmet:
    """A constraint that could not be met, and why (an English code and the communes)."""

    reason: str  # "single_commune_above_max", "no_neighbour_below_min", "cannot_split"
    communes: list[int]
    population: int


@dataclass
class Constraints:
    min_population: int | None = DEFAULT_MIN_POPULATION
    max_population: int | None = DEFAULT_MAX_POPULATION
    contiguous: bool = True


def _renumber(labels: np.ndarray) -> np.ndarray:
    out = np.full(len(labels), -1, dtype=np.int64)
    present = labels >= 0
    if present.any():
        _, inverse = np.unique(labels[present], return_inverse=True)
        out[present] = inverse
    return out


def _split_by(labels: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """New labels: one per distinct (label, key) pair of labelled communes."""
    present = labels >= 0
    out = np.full(len(labels), -1, dtype=np.int64)
    if present.any():
        pairs = np.column_stack([labels[present], keys[present]])
        _, inverse = np.unique(pairs, axis=0, return_inverse=True)
        out[present] = inverse.ravel()
    return out


def contiguous_parts(labels: np.ndarray, link: sparse.csr_matrix) -> np.ndarray:
    """Labels split into pieces connected through `link` (same-label links only)."""
    coo = link.tocoo()
    same = (labels[coo.row] == labels[coo.col]) & (labels[coo.row] >= 0)
    size = len(labels)
    inside = sparse.csr_matrix(
        (np.ones(int(same.sum()), dtype=bool), (coo.row[same], coo.col[same])), shape=(size, size)
    )
    _, pieces = connected_components(inside, directed=False)
    return np.where(labels >= 0, _renumber(np.where(labels >= 0, pieces, -1)), -1)


class _Territories:
    """Mutable territories for merging: populations, members and links between them."""

    def __init__(self, labels, populations, link, ties, mergeable):
        self.labels = labels.copy()
        count = int(labels.max()) + 1 if (labels >= 0).any() else 0
        present = labels >= 0
        self.population = np.bincount(
            labels[present], weights=populations[present], minlength=count
        )
        self.members: dict[int, list[int]] = defaultdict(list)
        for index in np.flatnonzero(present):
            self.members[int(labels[index])].append(int(index))
        self.mergeable = mergeable  # territory → may take part in merges (not fixed)
        # neighbours[t][u] = flows exchanged between t and u (u linked to t): territory
        # totals (every commune pair), kept for linked territories only.
        self.neighbours: dict[int, dict[int, float]] = defaultdict(dict)
        rows = np.flatnonzero(present)
        membership = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, labels[present])), shape=(len(labels), count)
        )
        linked = (membership.T @ link.astype(float) @ membership).tocoo()
        exchanged = (membership.T @ ties @ membership).tocsr()
        off_diagonal = linked.row != linked.col
        t_list, u_list = linked.row[off_diagonal], linked.col[off_diagonal]
        weights = np.asarray(exchanged[t_list, u_list]).ravel() if len(t_list) else []
        for t, u, w in zip(t_list.tolist(), u_list.tolist(), list(weights), strict=True):
            self.neighbours[t][u] = float(w)

    def merge(self, small: int, into: int) -> None:
        for index in self.members.pop(small):
            self.labels[index] = into
            self.members[into].append(index)
        self.population[into] += self.population[small]
        self.population[small] = 0
        for other, weight in self.neighbours.pop(small).items():
            self.neighbours[other].pop(small, None)
            if other == into:
                continue
            self.neighbours[into][other] = self.neighbours[into].get(other, 0.0) + weight
            self.neighbours[other][into] = self.neighbours[other].get(into, 0.0) + weight


def _merge_small(territories: _Territories, minimum, maximum, unmet: list[Unmet]) -> None:
    """Merge every mergeable territory below `minimum` into its linked mergeable neighbour
    with the strongest flow tie (staying under `maximum` when some neighbour allows it),
    smallest first."""
    heap = [(territories.population[t], t) for t in territories.members if territories.mergeable(t)]
    heapq.heapify(heap)
    while heap:
        population, t = heapq.heappop(heap)
        if t not in territories.members or population != territories.population[t]:
            continue
        if population >= minimum:
            break
        candidates = [
            (u, w) for u, w in territories.neighbours[t].items() if territories.mergeable(u)
        ]
        if not candidates:
            unmet.append(
                Unmet("no_neighbour_below_min", sorted(territories.members[t]), int(population))
            )
            continue
        within = [
            (u, w)
            for u, w in candidates
            if maximum is None or population + territories.population[u] <= maximum
        ]
        pool = within or candidates
        into = max(pool, key=lambda uw: (uw[1], -territories.population[uw[0]], -uw[0]))[0]
        territories.merge(t, into)
        heapq.heappush(heap, (territories.population[into], into))


def _split_oversized(
    labels: np.ndarray,
    splittable,
    graph_factory,
    matrix,
    link,
    ties,
    populations,
    constraints: Constraints,
    seed: int,
    unmet: list[Unmet],
) -> np.ndarray:
    """Labels where every splittable territory above the maximum is cut into parts of at
    most the maximum when possible (contiguous, none below the minimum).

    Works in rounds over all the oversized territories at once: each is cut by Leiden on
    its own flow graph (the induced subgraph of the graph `graph_factory()` returns, built
    on first need; igraph's C code), at the lowest
    resolution of SPLIT_RESOLUTIONS not tried yet; then, for all of them together, the
    parts are made contiguous and the parts below the minimum merged into a linked part of
    the same territory (sparse operations over the whole country, not one territory at a
    time). A territory that still comes out whole is tried at the next resolution in the
    next round, then by growing half of its population from its farthest commune; parts
    still above the maximum are cut again in the next rounds. A single commune above the
    maximum, or a territory no method could cut, is reported as unmet.
    """
    maximum, minimum = constraints.max_population, constraints.min_population or 0
    size = len(labels)
    labels = labels.copy()
    attempts: dict[int, int] = {}  # territory → next step (index into SPLIT_RESOLUTIONS)
    settled: set[int] = set()  # territories reported as unmet, left as they are
    link_coo = link.tocoo()
    graph = None
    while True:
        present = labels >= 0
        count = int(labels.max()) + 1 if present.any() else 0
        population = np.bincount(labels[present], weights=populations[present], minlength=count)
        oversized = [
            int(t)
            for t in np.flatnonzero(population > maximum)
            if splittable(int(t)) and int(t) not in settled
        ]
        if not oversized:
            return labels
        order = np.argsort(labels, kind="stable")  # members in increasing commune order
        bounds = np.searchsorted(labels[order], np.arange(count + 1))
        parent = np.full(size, -1, dtype=np.int64)
        cut = np.full(size, -1, dtype=np.int64)
        next_part = 0
        for t in oversized:
            members = order[bounds[t] : bounds[t + 1]]
            step = attempts.get(t, 0)
            if len(members) == 1:
                unmet.append(
                    Unmet("single_commune_above_max", members.tolist(), int(population[t]))
                )
                settled.add(t)
                continue
            if step < len(SPLIT_RESOLUTIONS):
                graph = graph_factory() if graph is None else graph
                parts = _leiden_members(graph, members, SPLIT_RESOLUTIONS[step], seed)
            elif step == len(SPLIT_RESOLUTIONS):
                parts = _grow_halves(matrix, link, members, populations)
            else:
                unmet.append(Unmet("cannot_split", members.tolist(), int(population[t])))
                settled.add(t)
                continue
            parent[members] = t
            cut[members] = parts + next_part
            next_part += int(parts.max()) + 1
        if next_part == 0:
            continue
        # Contiguity and small parts, for every cut territory at once, in the index space
        # of the communes being cut; links only between parts of one territory.
        index = np.flatnonzero(parent >= 0)
        position = np.full(size, -1, dtype=np.int64)
        position[index] = np.arange(len(index))
        keep = (parent[link_coo.row] >= 0) & (parent[link_coo.row] == parent[link_coo.col])
        sub_link = sparse.csr_matrix(
            (
                np.ones(int(keep.sum()), dtype=bool),
                (position[link_coo.row[keep]], position[link_coo.col[keep]]),
            ),
            shape=(len(index), len(index)),
        )
        parts = _renumber(cut[index])
        if constraints.contiguous:
            parts = contiguous_parts(parts, sub_link)
        if minimum:
            sub_ties = ties[index][:, index]
            pieces = _Territories(parts, populations[index], sub_link, sub_ties, lambda t: True)
            _merge_small(pieces, minimum, maximum, [])
            parts = _renumber(pieces.labels)
        # A territory cut into one part only is tried again with the next method; the
        # parts of the others get new labels (their first tries start again at step 0).
        owners = np.zeros(int(parts.max()) + 1, dtype=np.int64)
        owners[parts] = parent[index]
        part_counts = np.bincount(owners, minlength=count)
        whole = part_counts[parent[index]] == 1
        for t in np.unique(parent[index][whole]).tolist():
            attempts[t] = attempts.get(t, 0) + 1
        split = ~whole
        labels[index[split]] = count + _renumber(parts[split])


def _leiden_members(graph, members: np.ndarray, resolution: float, seed: int) -> np.ndarray:
    """Leiden labels (0..k-1) of `members` (increasing indices) on their induced subgraph."""
    sub = graph.induced_subgraph(members.tolist())
    return leiden_labels(
        None, np.ones(len(members), dtype=bool), resolution=resolution, seed=seed, graph=sub
    )


def _grow_halves(matrix, link, members: np.ndarray, populations) -> np.ndarray:
    """Two parts of `members` (labels 0 and 1): grown over linked communes, from the commune
    farthest (in links) from the main pole, up to half the population; the pole's side
    stays in one piece more often."""
    from scipy.sparse.csgraph import breadth_first_order

    sub_matrix = matrix[members][:, members]
    sub_link = link[members][:, members].tocsr()
    sub_pop = populations[members]
    inflow = _column_sums(sub_matrix) - sub_matrix.diagonal()
    pole = int(np.argmax(inflow))
    order, predecessors = breadth_first_order(sub_link, pole, directed=False)
    depth = np.zeros(len(sub_pop), dtype=np.int64)
    for node in order[1:]:
        depth[node] = depth[predecessors[node]] + 1
    start = int(order[np.argmax(depth[order])])
    target = sub_pop.sum() / 2
    chosen = {start}
    total = sub_pop[start]
    frontier = [start]
    indptr, indices = sub_link.indptr, sub_link.indices
    while frontier and total < target:
        next_frontier = []
        for node in frontier:
            for neighbour in sorted(indices[indptr[node] : indptr[node + 1]].tolist()):
                if neighbour in chosen or total >= target:
                    continue
                chosen.add(neighbour)
                total += sub_pop[neighbour]
                next_frontier.append(neighbour)
        frontier = next_frontier
    labels = np.ones(len(sub_pop), dtype=np.int64)
    labels[list(chosen)] = 0
    return labels


@dataclass
class Partition:
    """Territories of the active communes: `labels[i]` is commune i's territory (-1 when
    inactive); territories numbered from 0, the fixed ones first (in `fixed_labels` order)."""

    labels: np.ndarray
    fixed: dict[int, int] = field(default_factory=dict)  # territory → fixed key (a CPTS)
    unmet: list[Unmet] = field(default_factory=list)

    @property
    def count(self) -> int:
        return int(self.labels.max()) + 1 if (self.labels >= 0).any() else 0


def enforce_constraints(
    labels,
    matrix: sparse.csr_matrix,
    link: sparse.csr_matrix,
    populations,
    *,
    groups=None,
    fixed=None,
    constraints: Constraints | None = None,
    seed: int = 0,
    graph=None,
) -> Partition:
    """Turn detected communities into territories meeting the constraints.

    `labels`: the method's labels (-1: inactive, left out); `link`: commune adjacency
    (symmetric, pieces already joined, see `connect_pieces`); `groups`: the department or
    region of each commune (territories never cross one); `fixed`: per commune the key
    (>= 0) of the fixed territory it belongs to (existing CPTS, kept as they are), -1
    otherwise. Fixed communes are never relabelled nor merged; only the other active
    communes are divided. `graph`: the symmetric flow graph of all the communes, as
    `symmetric_graph(matrix, groups=groups)` gives it (built here when a territory must be
    split and none is given).
    """
    constraints = constraints or Constraints()
    labels = np.asarray(labels, dtype=np.int64)
    size = len(labels)
    populations = np.nan_to_num(np.asarray(populations, dtype=float))
    groups = np.zeros(size, dtype=np.int64) if groups is None else np.asarray(groups)
    fixed = np.full(size, -1, dtype=np.int64) if fixed is None else np.asarray(fixed)
    active = labels >= 0
    free = active & (fixed < 0)
    ties = (matrix + matrix.T).tocsr()
    if not constraints.contiguous:
        link = (link.astype(bool) + (ties > 0)).astype(bool).tocsr()
    # Links only inside one group, between active communes.
    coo = link.tocoo()
    keep = (groups[coo.row] == groups[coo.col]) & active[coo.row] & active[coo.col]
    link = sparse.csr_matrix(
        (np.ones(int(keep.sum()), dtype=bool), (coo.row[keep], coo.col[keep])), shape=(size, size)
    )
    unmet: list[Unmet] = []
    free_labels = _split_by(np.where(free, labels, -1), groups)
    if constraints.contiguous:
        free_labels = contiguous_parts(free_labels, link)
    fixed_keys = sorted({int(k) for k in fixed[active & (fixed >= 0)]})
    offset = len(fixed_keys)
    combined = np.full(size, -1, dtype=np.int64)
    key_to_label = {key: position for position, key in enumerate(fixed_keys)}
    for key, position in key_to_label.items():
        combined[active & (fixed == key)] = position
    combined[free] = free_labels[free] + offset
    minimum, maximum = constraints.min_population, constraints.max_population
    if minimum:
        territories = _Territories(combined, populations, link, ties, lambda t: t >= offset)
        _merge_small(territories, minimum, maximum, unmet)
        combined = territories.labels
    if maximum:
        combined = _split_oversized(
            combined,
            lambda t: t >= offset,
            (lambda: graph)
            if graph is not None
            else (lambda: symmetric_graph(matrix, groups=groups)),
            matrix,
            link,
            ties,
            populations,
            constraints,
            seed,
            unmet,
        )
    # Fixed territories first, in key order, then the others by their first commune.
    renumbered = np.full(size, -1, dtype=np.int64)
    for position in key_to_label.values():
        renumbered[combined == position] = position
    others = [t for t in np.unique(combined[combined >= offset])]
    firsts = sorted((int(np.flatnonzero(combined == t)[0]), int(t)) for t in others)
    for number, (_, territory) in enumerate(firsts, start=offset):
        renumbered[combined == territory] = number
    return Partition(
        labels=renumbered,
        fixed={position: key for key, position in key_to_label.items()},
        unmet=unmet,
    )


# --- quality ----------------------------------------------------------------------------


@dataclass
class Quality:
    """Per territory (arrays indexed by territory number) and overall measures."""

    self_containment: np.ndarray
    attraction: np.ndarray
    modularity: np.ndarray
    population: np.ndarray
    communes: np.ndarray
    internal: np.ndarray
    outflow: np.ndarray
    inflow: np.ndarray
    total: float  # every flow of the matrix

    @property
    def count(self) -> int:
        return len(self.population)

    @property
    def overall_self_containment(self) -> float:
        out = self.outflow.sum()
        return float(self.internal.sum() / out) if out else 0.0

    @property
    def overall_attraction(self) -> float:
        inflow = self.inflow.sum()
        return float((inflow - self.internal.sum()) / inflow) if inflow else 0.0

    @property
    def overall_modularity(self) -> float:
        return float(self.modularity.sum())

    def summary(self) -> dict:
        """Overall figures as plain Python numbers (JSON-ready)."""
        populations = self.population
        return {
            "territories": int(self.count),
            "self_containment": round(self.overall_self_containment, 6),
            "attraction": round(self.overall_attraction, 6),
            "modularity": round(self.overall_modularity, 6),
            "population_min": int(populations.min()) if self.count else 0,
            "population_median": int(np.median(populations)) if self.count else 0,
            "population_max": int(populations.max()) if self.count else 0,
            "communes_min": int(self.communes.min()) if self.count else 0,
            "communes_max": int(self.communes.max()) if self.count else 0,
        }


def quality(labels, matrix: sparse.csr_matrix, populations) -> Quality:
    """Self-containment, attraction, modularity (see the module's docstring), population
    and number of communes of each territory (labels 0..t-1; -1: in no territory, its flows
    count as outside every territory).

    >>> import numpy as np
    >>> F = flow_matrix([0, 0, 1, 1], [0, 1, 1, 0], [8, 2, 5, 5], 2)
    >>> q = quality(np.array([0, 1]), F, np.array([10, 20]))
    >>> q.self_containment.tolist(), q.attraction.tolist()
    ([0.8, 0.5], [0.38461538461538464, 0.2857142857142857])
    """
    labels = np.asarray(labels, dtype=np.int64)
    populations = np.nan_to_num(np.asarray(populations, dtype=float))
    count = int(labels.max()) + 1 if (labels >= 0).any() else 0
    coo = matrix.tocoo()
    origin, destination = labels[coo.row], labels[coo.col]
    inside = (origin == destination) & (origin >= 0)
    internal = np.bincount(origin[inside], weights=coo.data[inside], minlength=count)
    has_origin = origin >= 0
    outflow = np.bincount(origin[has_origin], weights=coo.data[has_origin], minlength=count)
    has_destination = destination >= 0
    inflow = np.bincount(
        destination[has_destination], weights=coo.data[has_destination], minlength=count
    )
    total = float(coo.data.sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        containment = np.where(outflow > 0, internal / np.where(outflow > 0, outflow, 1), 0.0)
        attraction = np.where(
            inflow > 0, (inflow - internal) / np.where(inflow > 0, inflow, 1), 0.0
        )
    if total:
        modularity = internal / total - outflow * inflow / total**2
    else:
        modularity = np.zeros(count)
    present = labels >= 0
    population = np.bincount(labels[present], weights=populations[present], minlength=count)
    communes = np.bincount(labels[present], minlength=count)
    return Quality(
        self_containment=containment,
        attraction=attraction,
        modularity=modularity,
        population=population.astype(np.int64),
        communes=communes.astype(np.int64),
        internal=internal,
        outflow=outflow,
        inflow=inflow,
        total=total,
    )


# --- the whole pipeline -----------------------------------------------------------------


@dataclass
class Proposal:
    method: str
    partition: Partition
    quality: Quality
    detected: int  # communities found by the method, before the constraints


def propose(
    matrix: sparse.csr_matrix,
    link: sparse.csr_matrix,
    populations,
    active,
    *,
    method: str = "leiden",
    groups=None,
    fixed=None,
    constraints: Constraints | None = None,
    resolution: float = 1.0,
    seed: int = 0,
) -> Proposal:
    """Candidate territories of the active communes by `method` ("leiden" or "plurality"),
    under `constraints`, with their quality. Communes of fixed territories are left out of
    the detection and kept as they are."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}")
    active = np.asarray(active, dtype=bool)
    size = matrix.shape[0]
    fixed = np.full(size, -1, dtype=np.int64) if fixed is None else np.asarray(fixed)
    if constraints is not None:
        low, high = constraints.min_population, constraints.max_population
        if low is not None and high is not None and low > high:
            raise ValueError("the minimum population must not exceed the maximum")
    free = active & (fixed < 0)
    graph = None
    if method == "leiden":
        # One graph of every commune: its subgraphs serve the detection and the splits.
        graph = symmetric_graph(matrix, groups=groups)
        nodes = np.flatnonzero(free)
        detection = graph if len(nodes) == size else graph.induced_subgraph(nodes.tolist())
        labels = leiden_labels(matrix, free, resolution=resolution, seed=seed, graph=detection)
    else:
        labels = plurality_labels(matrix, free)
    detected = len(np.unique(labels[labels >= 0]))
    labels = np.where(active & (fixed >= 0), 0, labels)  # fixed communes: active, kept
    labels = np.where(active, np.maximum(labels, 0), -1)
    partition = enforce_constraints(
        labels,
        matrix,
        link,
        populations,
        groups=groups,
        fixed=fixed,
        constraints=constraints,
        seed=seed,
        graph=graph,
    )
    return Proposal(method, partition, quality(partition.labels, matrix, populations), detected)


def partition_from_sets(size: int, territories) -> np.ndarray:
    """Labels from lists of commune indices (today's CPTS, the EPCI); a commune in several
    sets goes to the first, -1 when in none."""
    labels = np.full(size, -1, dtype=np.int64)
    for number, members in enumerate(territories):
        members = np.asarray(list(members), dtype=np.int64)
        if len(members):
            free = members[labels[members] < 0]
            labels[free] = number
    return labels
