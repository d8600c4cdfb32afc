"""Territories from flows: planted structures recovered, every constraint enforced, quality
measures against hand-computed cases, the gravity generator reproducible."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import connected_components

from interurps.analytics import flows


def grid(side: int):
    """Adjacency pairs of a side × side grid of square communes (rook contiguity)."""
    pairs = []
    for r in range(side):
        for c in range(side):
            i = r * side + c
            if c + 1 < side:
                pairs.append((i, i + 1))
            if r + 1 < side:
                pairs.append((i, i + side))
    return flows.adjacency_matrix(pairs, side * side)


def planted(side=12, blocks=2, own=50, to_pole=40, leak=5):
    """A grid cut in blocks × blocks square groups; every commune keeps `own` flows, sends
    `to_pole` to its group's pole and `leak` to the next group's pole."""
    size = side * side
    step = side // blocks
    group = np.array([(r // step) * blocks + (c // step) for r in range(side) for c in range(side)])
    poles = {
        g: int(np.flatnonzero(group == g)[len(np.flatnonzero(group == g)) // 2])
        for g in range(blocks**2)
    }
    o, d, n = [], [], []
    for i in range(size):
        g = int(group[i])
        o += [i, i, i]
        d += [i, poles[g], poles[(g + 1) % blocks**2]]
        n += [own, to_pole, leak]
    return flows.flow_matrix(o, d, n, size), group, poles


def is_partition_of_groups(labels, group):
    """Each planted group is exactly one territory, and distinct groups distinct ones."""
    mapping = {}
    for g in np.unique(group):
        found = set(labels[group == g].tolist())
        if len(found) != 1:
            return False
        mapping[g] = found.pop()
    return len(set(mapping.values())) == len(mapping)


def pieces(labels, link, territory):
    members = np.flatnonzero(labels == territory)
    count, _ = connected_components(link[members][:, members], directed=False)
    return count


# --- quality: hand-computed cases ----------------------------------------------------------


def test_quality_by_hand():
    # Communes 0, 1 in territory 0; commune 2 in territory 1; commune 3 in none.
    # Flows: 0→0 10, 0→1 5, 0→2 5, 1→0 4, 2→2 6, 2→0 2, 3→2 8.
    F = flows.flow_matrix([0, 0, 0, 1, 2, 2, 3], [0, 1, 2, 0, 2, 0, 2], [10, 5, 5, 4, 6, 2, 8], 4)
    q = flows.quality(np.array([0, 0, 1, -1]), F, np.array([100, 200, 300, 400]))
    # Territory 0: residents send 24, 19 stay → 19/24; receives 21, 2 from outside → 2/21.
    # Territory 1: residents send 8, 6 stay → 6/8; receives 19, 13 from outside → 13/19.
    assert q.self_containment.tolist() == pytest.approx([19 / 24, 6 / 8])
    assert q.attraction.tolist() == pytest.approx([2 / 21, 13 / 19])
    m = 40
    assert q.modularity.tolist() == pytest.approx([19 / m - 24 * 21 / m**2, 6 / m - 8 * 19 / m**2])
    assert q.population.tolist() == [300, 300]
    assert q.communes.tolist() == [2, 1]
    assert q.overall_self_containment == pytest.approx(25 / 32)
    assert q.overall_attraction == pytest.approx((40 - 25) / 40)
    summary = q.summary()
    assert summary["territories"] == 2 and summary["population_max"] == 300


def test_modularity_of_one_territory_is_zero():
    F = flows.flow_matrix([0, 1, 1], [1, 0, 1], [3, 4, 5], 2)
    q = flows.quality(np.array([0, 0]), F, np.array([1, 1]))
    assert q.overall_modularity == pytest.approx(0.0)
    assert q.overall_self_containment == 1.0


def test_flow_matrix_refuses_negative_and_out_of_range():
    with pytest.raises(ValueError, match="negative"):
        flows.flow_matrix([0], [0], [-1], 1)
    with pytest.raises(ValueError, match="indices"):
        flows.flow_matrix([0], [3], [1], 2)


# --- planted structures --------------------------------------------------------------------


@pytest.mark.parametrize("method", flows.METHODS)
def test_planted_groups_are_recovered(method):
    F, group, _ = planted()
    link = grid(12)
    result = flows.propose(
        F,
        link,
        np.full(144, 1000),
        np.ones(144, dtype=bool),
        method=method,
        constraints=flows.Constraints(10_000, 60_000),
    )
    assert is_partition_of_groups(result.partition.labels, group)
    assert result.quality.overall_self_containment == pytest.approx(
        0.95 * 50 / 95 + 0.95 * 45 / 95, rel=0.2
    )
    assert result.partition.unmet == []


def test_leiden_not_below_plurality_on_a_noisy_plant():
    F, group, _ = planted(side=12, blocks=3, own=20, to_pole=30, leak=15)
    rng = np.random.default_rng(3)
    noise = flows.flow_matrix(
        rng.integers(0, 144, 400), rng.integers(0, 144, 400), rng.integers(1, 6, 400), 144
    )
    F = F + noise
    link = grid(12)
    pops = np.full(144, 1000)
    cons = flows.Constraints(5000, 40_000)
    results = {
        m: flows.propose(F, link, pops, np.ones(144, dtype=bool), method=m, constraints=cons)
        for m in flows.METHODS
    }
    assert (
        results["leiden"].quality.overall_modularity
        >= results["plurality"].quality.overall_modularity - 1e-9
    )


def test_poles_of_a_planted_structure():
    F, group, poles = planted(blocks=2)
    found, default = flows.attraction_poles(F, np.ones(144, dtype=bool), np.full(144, 1000))
    assert default == 4
    assert {p.index for p in found} == set(poles.values())
    for pole in found:
        assert set(pole.basin) == set(np.flatnonzero(group == group[pole.index]).tolist())
        assert pole.basin_population == 36_000
        assert pole.self_containment == pytest.approx((50 + 40) / 95)
    two, _ = flows.attraction_poles(F, np.ones(144, dtype=bool), np.full(144, 1000), count=2)
    assert len(two) == 2
    # every commune goes to one of the two chosen poles
    assert sum(len(p.basin) for p in two) == 144


# --- constraints ---------------------------------------------------------------------------


def test_contiguity_is_repaired():
    # Two far-apart communes (0 and 8 of a 3 × 3 grid) in one community: split, then each
    # piece merged with a neighbour.
    link = grid(3)
    labels = np.array([0, 1, 1, 1, 1, 1, 1, 1, 0])
    F = flows.flow_matrix(list(range(9)), list(range(9)), [1] * 9, 9)
    part = flows.enforce_constraints(
        labels, F, link, np.full(9, 10), constraints=flows.Constraints(None, None)
    )
    for t in range(part.count):
        assert pieces(part.labels, link, t) == 1


def test_population_bounds_are_enforced():
    F, group, _ = planted(side=12, blocks=2)
    link = grid(12)
    pops = np.arange(144) * 10 + 500
    for low, high in ((20_000, 50_000), (5_000, 15_000), (40_000, 120_000)):
        result = flows.propose(
            F,
            link,
            pops,
            np.ones(144, dtype=bool),
            method="leiden",
            constraints=flows.Constraints(low, high),
        )
        population = result.quality.population
        assert result.partition.unmet == []
        assert (population >= low).all() and (population <= high).all(), (low, high, population)
        for t in range(result.partition.count):
            assert pieces(result.partition.labels, link, t) == 1


def test_single_commune_above_the_maximum_is_reported():
    F, _, _ = planted(side=6, blocks=2)
    pops = np.full(36, 100)
    pops[7] = 1_000_000
    result = flows.propose(
        F,
        grid(6),
        pops,
        np.ones(36, dtype=bool),
        method="plurality",
        constraints=flows.Constraints(100, 5000),
    )
    reasons = {u.reason for u in result.partition.unmet}
    assert "single_commune_above_max" in reasons
    too_big = result.quality.population > 5000
    assert too_big.sum() == 1 and result.quality.communes[too_big][0] == 1


def test_groups_are_never_crossed():
    F, group, _ = planted(side=12, blocks=2)
    departments = np.array([0 if (i % 12) < 5 else 1 for i in range(144)])  # not the plant
    result = flows.propose(
        F,
        grid(12),
        np.full(144, 1000),
        np.ones(144, dtype=bool),
        method="leiden",
        groups=departments,
        constraints=flows.Constraints(5000, 200_000),
    )
    for t in range(result.partition.count):
        assert len(set(departments[result.partition.labels == t].tolist())) == 1


def test_fixed_territories_are_kept_and_the_rest_divided():
    F, group, _ = planted(side=12, blocks=2)
    fixed = np.full(144, -1)
    # An existing CPTS made of part of group 0 and part of group 1.
    cpts = [0, 1, 2, 3, 4, 5, 6, 7, 8]
    fixed[cpts] = 42
    result = flows.propose(
        F,
        grid(12),
        np.full(144, 1000),
        np.ones(144, dtype=bool),
        method="leiden",
        fixed=fixed,
        constraints=flows.Constraints(5000, 60_000),
    )
    labels = result.partition.labels
    assert result.partition.fixed == {0: 42}
    assert set(np.flatnonzero(labels == 0).tolist()) == set(cpts)
    assert (labels >= 0).all()


def test_inactive_communes_stay_out():
    F, _, _ = planted(side=6, blocks=2)
    active = np.ones(36, dtype=bool)
    active[30:] = False
    result = flows.propose(
        F,
        grid(6),
        np.full(36, 1000),
        active,
        method="plurality",
        constraints=flows.Constraints(1000, 100_000),
    )
    assert (result.partition.labels[30:] == -1).all()
    assert (result.partition.labels[:30] >= 0).all()


def test_islands_are_joined_to_the_nearest_commune():
    link = flows.adjacency_matrix([[0, 1], [1, 2]], 4)
    joined = flows.connect_pieces(link, [0.0, 0.0, 0.0, 0.0], [0.0, 0.1, 0.2, 0.5])
    assert joined[3, 2] and joined[2, 3]
    assert connected_components(joined, directed=False)[0] == 1


@settings(max_examples=25, deadline=None)
@given(
    st.integers(min_value=3, max_value=7),
    st.integers(min_value=0, max_value=10_000),
    st.sampled_from(flows.METHODS),
)
def test_every_commune_in_exactly_one_contiguous_territory(side, seed, method):
    rng = np.random.default_rng(seed)
    size = side * side
    count = size * 4
    F = flows.flow_matrix(
        rng.integers(0, size, count), rng.integers(0, size, count), rng.integers(1, 50, count), size
    )
    link = grid(side)
    pops = rng.integers(100, 3000, size)
    result = flows.propose(
        F,
        link,
        pops,
        np.ones(size, dtype=bool),
        method=method,
        constraints=flows.Constraints(2000, 8000),
        seed=seed,
    )
    labels = result.partition.labels
    assert (labels >= 0).all()
    assert result.quality.population.sum() == pops.sum()
    for t in range(result.partition.count):
        assert pieces(labels, link, t) == 1
    unmet = {u.reason for u in result.partition.unmet}
    if not unmet:
        assert (result.quality.population >= 2000).all()
        assert (result.quality.population <= 8000).all()


# --- gravity generator ---------------------------------------------------------------------


def test_gravity_flows_are_seeded_and_follow_supply():
    lat = np.array([47.0, 47.0, 47.05, 47.5])
    lon = np.array([-1.0, -0.95, -1.0, -1.5])
    pops = np.array([5000, 3000, 2000, 100])
    supply = np.array([20.0, 0.0, 0.0, 1.0])
    a = flows.gravity_flows(lat, lon, pops, supply, seed=7)
    b = flows.gravity_flows(lat, lon, pops, supply, seed=7)
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    F = flows.flow_matrix(*a, 4)
    # the commune with the supply receives most of its neighbours' flows
    assert F[1, 0] > F[1, 1] and F[2, 0] > F[2, 2]
    total = F.sum()
    assert total == pytest.approx(pops.sum(), rel=0.05)
    with pytest.raises(ValueError):
        flows.gravity_flows(lat, lon, pops, -supply, seed=1)


def test_oversized_territories_are_cut_in_several_rounds_in_every_group():
    # One community per quadrant of 36,000 inhabitants; parts of 4,000 to 10,000 need
    # cuts of cuts, all quadrants in the same rounds; a given graph changes nothing.
    F, _, _ = planted(side=12, blocks=4)
    link = grid(12)
    quadrant = np.array([(r // 6) * 2 + (c // 6) for r in range(12) for c in range(12)])
    pops = np.full(144, 1000)
    cons = flows.Constraints(4000, 10_000)
    part = flows.enforce_constraints(quadrant, F, link, pops, groups=quadrant, constraints=cons)
    given_graph = flows.enforce_constraints(
        quadrant,
        F,
        link,
        pops,
        groups=quadrant,
        constraints=cons,
        graph=flows.symmetric_graph(F, groups=quadrant),
    )
    assert part.labels.tolist() == given_graph.labels.tolist()
    assert part.unmet == []
    population = np.bincount(part.labels, weights=pops)
    assert ((population >= 4000) & (population <= 10_000)).all(), population
    assert part.count >= 16
    for t in range(part.count):
        assert pieces(part.labels, link, t) == 1
        assert len(set(quadrant[part.labels == t].tolist())) == 1


def test_a_territory_no_method_can_cut_is_reported_whole():
    # Two linked communes of 150 inhabitants; parts must have 160 to 200: every Leiden
    # resolution, then the growth, gives one part only.
    F = flows.flow_matrix([0, 0, 1, 1], [0, 1, 1, 0], [10, 5, 10, 5], 2)
    link = flows.adjacency_matrix([[0, 1]], 2)
    part = flows.enforce_constraints(
        np.array([0, 0]), F, link, np.array([150, 150]), constraints=flows.Constraints(160, 200)
    )
    assert part.labels.tolist() == [0, 0]
    assert [(u.reason, u.communes, u.population) for u in part.unmet] == [
        ("cannot_split", [0, 1], 300)
    ]


def test_growth_takes_half_the_population_from_the_far_end():
    # A line of six communes; commune 1 receives most flows (the pole): the half grown
    # from the farthest commune (5) is 3, 4, 5.
    F = flows.flow_matrix([0, 2, 3, 4, 5], [1, 1, 1, 1, 1], [5, 5, 5, 5, 5], 6)
    link = flows.adjacency_matrix([[i, i + 1] for i in range(5)], 6)
    members = np.arange(6)
    halves = flows._grow_halves(F, link, members, np.full(6, 10.0))
    assert halves.tolist() == [1, 1, 1, 0, 0, 0]


def test_symmetric_graph_keeps_only_pairs_inside_a_group():
    F = flows.flow_matrix([0, 1, 2, 2], [1, 2, 0, 2], [4, 6, 1, 7], 3)
    graph = flows.symmetric_graph(F, groups=np.array([0, 0, 1]))
    assert sorted(zip(graph.get_edgelist(), graph.es["weight"], strict=True)) == [
        ((0, 1), 4.0),
        ((2, 2), 14.0),
    ]
    assert graph.vcount() == 3
