"""SVG geometry for the report's charts. No Django import."""

import math
from decimal import Decimal

PALETTE = ["#1d4f91", "#41b6c4", "#f59e72", "#7fcdbb", "#9e9e9e", "#c2410c", "#225ea8", "#fde0c5"]


def pie_slices(
    values: list[Decimal | float], radius: float = 90, centre: float = 100
) -> list[dict]:
    """SVG path data for a pie chart, clockwise from 12 o'clock, one slice per value.

    >>> [s["path"][:9] for s in pie_slices([1, 1])]
    ['M 100.0 1', 'M 100.0 1']
    """
    total = float(sum(values))
    if total <= 0:
        return []
    slices = []
    angle = -math.pi / 2
    for index, value in enumerate(values):
        share = float(value) / total
        if share >= 1:
            path = (
                f"M {centre} {centre - radius} A {radius} {radius} 0 1 1 {centre - 0.01} "
                f"{centre - radius} Z"
            )
        else:
            end = angle + share * 2 * math.pi
            x1, y1 = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
            x2, y2 = centre + radius * math.cos(end), centre + radius * math.sin(end)
            large = 1 if share > 0.5 else 0
            path = (
                f"M {x1:.1f} {y1:.1f} A {radius} {radius} 0 {large} 1 {x2:.1f} {y2:.1f} "
                f"L {centre} {centre} Z"
            )
            angle = end
        slices.append({"path": path, "color": PALETTE[index % len(PALETTE)]})
    return slices
