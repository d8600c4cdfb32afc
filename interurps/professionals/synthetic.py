"""Synthetic health professionals for demos and benchmarks (no Django).

The counts are drawn, not observed: they only have the right order of magnitude.
"""

from collections.abc import Mapping, Sequence

import numpy as np


def draw_professionals(
    communes: Sequence[tuple[str, int]],
    densities: Mapping[str, float],
    seed: int,
) -> list[tuple[str, str, int]]:
    """Draw how many professionals of each profession practise in each commune.

    Parameters
    ----------
    communes : sequence of (commune_code, population)
        Population ``None`` counts as 0.
    densities : mapping of profession_code -> professionals per 10,000 inhabitants
    seed : int
        Seed of the numpy ``Generator``: the same arguments give the same draw.

    Returns
    -------
    list of (commune_code, profession_code, count)
        Only counts above zero, communes in the given order, professions sorted by code.
        Each count is Poisson-distributed with mean ``density * population / 10_000``.

    Raises
    ------
    ValueError
        On a negative population or density.

    Examples
    --------
    >>> draw_professionals([("44109", 0)], {"infirmiers": 14.5}, seed=1)
    []
    >>> len(draw_professionals([("44109", 320_000)], {"infirmiers": 14.5}, seed=1))
    1
    """
    professions = sorted(densities)
    rates = np.array([densities[p] for p in professions], dtype=float)
    if np.any(rates < 0) or np.any(np.isnan(rates)):
        raise ValueError("Les densités doivent être positives ou nulles.")
    populations = np.array([population or 0 for _, population in communes], dtype=float)
    if np.any(populations < 0):
        raise ValueError("Les populations doivent être positives ou nulles.")
    if not len(communes) or not professions:
        return []
    means = np.outer(populations, rates) / 10_000
    counts = np.random.default_rng(seed).poisson(means)
    rows, columns = np.nonzero(counts)
    return [
        (communes[row][0], professions[column], int(counts[row, column]))
        for row, column in zip(rows.tolist(), columns.tolist(), strict=True)
    ]
