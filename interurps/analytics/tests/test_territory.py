import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from shapely import box

from interurps.analytics import territory


def grid(n):
    """n x n unit squares, index = row * n + column."""
    return [box(c, r, c + 1, r + 1) for r in range(n) for c in range(n)]


def test_adjacency_on_a_grid_counts_rook_and_queen_neighbours():
    pairs = territory.adjacency_pairs(grid(3))
    # 12 shared edges and 8 shared corners in a 3 x 3 grid.
    assert len(pairs) == 20
    assert [0, 1] in pairs.tolist() and [0, 4] in pairs.tolist()
    assert [0, 2] not in pairs.tolist()


def test_connected_parts_finds_islands_largest_first():
    squares = grid(3)
    keep = [0, 1, 2, 8]  # the bottom row, and the opposite corner on its own
    parts = territory.connected_parts([squares[i] for i in keep])
    assert parts == [[0, 1, 2], [3]]
    assert territory.connected_parts([]) == []


def test_dissolve_merges_neighbours():
    outline = territory.dissolve(grid(2), simplify_tolerance=0)
    assert outline.area == 4
    assert outline.geom_type == "Polygon"
    assert territory.dissolve([]) is None


def test_grow_territory_stops_at_target_and_avoids_taken_and_big_neighbours():
    squares = grid(3)
    neighbours = {}
    for a, b in territory.adjacency_pairs(squares).tolist():
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    populations = [10] * 9
    populations[1] = 1000
    chosen = territory.grow_territory(0, neighbours, populations, 30, taken={3}, max_population=100)
    assert chosen[0] == 0
    assert 3 not in chosen and 1 not in chosen
    assert sum(populations[i] for i in chosen) >= 30


def test_coverage_reports_white_zones_and_overlaps():
    result = territory.coverage(
        {"a": 100, "b": 50, "c": 10, "d": None},
        {"t1": ["a", "b"], "t2": ["b"], "t3": ["zz"]},
    )
    assert result.total_population == 160
    assert result.covered_population == 150
    assert result.uncovered_units == ["c", "d"]
    assert result.overlaps == {"b": ["t1", "t2"]}
    assert round(result.covered_share, 4) == round(150 / 160, 4)


@given(
    st.dictionaries(st.integers(0, 30), st.integers(0, 10_000), min_size=1),
    st.dictionaries(st.integers(0, 4), st.lists(st.integers(0, 40), max_size=10)),
)
def test_coverage_partitions_the_population(populations, territories):
    result = territory.coverage(populations, territories)
    uncovered = sum(populations[u] for u in result.uncovered_units)
    assert result.covered_population + uncovered == result.total_population
    assert set(result.uncovered_units).isdisjoint(result.covered_units)
    assert 0 <= result.covered_share <= 1


def test_naive_adjacency_agrees_with_the_tree_on_random_boxes():
    rng = np.random.default_rng(7)
    boxes = [
        box(x, y, x + w, y + h) for x, y, w, h in rng.uniform(0, 10, size=(40, 4)) / [1, 1, 3, 3]
    ]
    naive = sorted(
        [i, j]
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i].distance(boxes[j]) <= territory.ADJACENCY_TOLERANCE
    )
    assert sorted(territory.adjacency_pairs(boxes).tolist()) == naive


def test_overlap_keys_sort_naturally():
    result = territory.coverage({"a": 1}, {10: ["a"], 9: ["a"]})
    assert result.overlaps == {"a": [9, 10]}


def test_neighbours_a_hair_apart_count_and_overlapping_envelopes_do_not():
    from shapely import Polygon

    gap = territory.ADJACENCY_TOLERANCE / 2
    shapes = [
        box(0, 0, 1, 1),
        box(1 + gap, 0, 2, 1),  # a hair apart from 0: neighbours (the distance path)
        box(1 + 3 * territory.ADJACENCY_TOLERANCE, 2, 2, 3),  # apart from everything
        # An L whose envelope covers square 3 without touching it.
        Polygon([(3, 0), (5, 0), (5, 2), (4.5, 2), (4.5, 0.5), (3, 0.5)]),
        box(3, 1, 4, 2),
    ]
    assert territory.adjacency_pairs(shapes).tolist() == [[0, 1]]
    assert territory.adjacency_pairs(shapes[:1]).tolist() == []
