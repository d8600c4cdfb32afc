"""Legends and map labels of the diagnostic: decimal commas on numbers only."""

from interurps.diagnostics.svgmap import svg_paths
from interurps.diagnostics.views import _legend, _with_outline

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}


def test_legend_uses_decimal_commas_and_keeps_the_unit_intact():
    texts = [text for _, text in _legend([1.3, 3.5], "pour 10 000 hab.")]
    assert texts == [
        "jusqu'à 1,3 pour 10 000 hab.",
        "de 1,3 à 3,5 pour 10 000 hab.",
        "plus de 3,5 pour 10 000 hab.",
    ]


def test_the_cpts_outline_is_drawn_unfilled_over_the_printed_map():
    communes = {"features": [{"geometry": SQUARE, "properties": {"color": "#045a8d"}}]}
    outline = {"features": [{"geometry": SQUARE, "properties": {"kind": "outline"}}]}
    paths = svg_paths(_with_outline(communes, outline), 100)["paths"]
    assert [p["outline"] for p in paths] == [False, True]
    assert _with_outline(communes, None) is communes
