"""Pages of a large queryset without counting it: one row more than the page tells whether
a next page exists."""

from dataclasses import dataclass


@dataclass
class Page:
    number: int
    object_list: list
    has_next: bool
    count: int | None = None  # the total when known without counting, else None
    per_page: int = 50

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.object_list)

    @property
    def num_pages(self) -> int | None:
        if self.count is None:
            return None
        return max(1, -(-self.count // self.per_page))


def page_of(queryset, number, per_page: int, *, count: int | None = None) -> Page:
    """The page `number` (1 when missing or not a positive number; the last existing one
    when past the end is not known, so an empty page is returned) of `queryset`."""
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    if count is not None:
        number = min(number, max(1, -(-count // per_page)))
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return Page(
        number=number,
        object_list=rows[:per_page],
        has_next=len(rows) > per_page,
        count=count,
        per_page=per_page,
    )
