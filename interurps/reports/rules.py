"""Pure rules of the activity report (no Django import)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date


@dataclass
class RepeatedEntry:
    """Calendar entries sharing one kind and title (a training meeting held 13 times),
    reported as one line with its number of sessions instead of 13 near-identical lines."""

    kind_label: str
    title: str
    days: list[date] = field(default_factory=list)

    @property
    def label(self) -> str:
        if not self.kind_label or self.kind_label == self.title:
            return self.title
        return f"{self.kind_label} — {self.title}"

    @property
    def count(self) -> int:
        return len(self.days)

    @property
    def first(self) -> date:
        return self.days[0]

    @property
    def last(self) -> date:
        return self.days[-1]


def group_repeated(items: Iterable[tuple[str, str, date]]) -> list[RepeatedEntry]:
    """Group `(kind_label, title, day)` items by kind and title, in the order of their
    first day; each group's days are sorted.

    >>> lines = group_repeated([
    ...     ("Relais", "Réunion", date(2021, 3, 2)),
    ...     ("PACTE", "Jour 1", date(2021, 2, 1)),
    ...     ("Relais", "Réunion", date(2021, 1, 8)),
    ... ])
    >>> [(line.label, line.count, line.first.isoformat()) for line in lines]
    [('Relais — Réunion', 2, '2021-01-08'), ('PACTE — Jour 1', 1, '2021-02-01')]
    """
    groups: dict[tuple[str, str], RepeatedEntry] = {}
    for kind_label, title, day in items:
        group = groups.setdefault((kind_label, title), RepeatedEntry(kind_label, title))
        group.days.append(day)
    for group in groups.values():
        group.days.sort()
    return sorted(groups.values(), key=lambda group: (group.first, group.label))
