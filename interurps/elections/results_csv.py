"""Election results from a CSV file: one line per candidate.

Columns (header required, `;` or `,`): liste; syndicat; voix; rang; candidat;
date_naissance (JJ/MM/AAAA or AAAA-MM-JJ, optional). A list's votes are repeated on each
of its candidates' lines and must agree. The file is read by `interurps.core.imports`
(encoding, size, header, lengths, bounded integers and dates).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from interurps.core import imports

COLUMNS = ("liste", "syndicat", "voix", "rang", "candidat", "date_naissance")
REQUIRED = ("liste", "voix", "rang", "candidat")


@dataclass
class ParsedCandidate:
    position: int
    full_name: str
    birth_date: date | None


@dataclass
class ParsedList:
    name: str
    syndicate: str
    votes: int
    first_line: int
    candidates: list[ParsedCandidate] = field(default_factory=list)


@dataclass
class ParsedResults:
    lists: list[ParsedList] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.lists)


# Column → maximum length (the model's fields).
COLUMN_LENGTHS = {
    "liste": 200,
    "syndicat": 200,
    "voix": 12,
    "rang": 6,
    "candidat": 200,
    "date_naissance": 10,
}
MAX_VOTES = 2**31 - 1  # PositiveIntegerField
MAX_POSITION = 32767  # PositiveSmallIntegerField


def parse_birth_date(value: str) -> date:
    """JJ/MM/AAAA or AAAA-MM-JJ, between 1900 and 2100; ValueError otherwise."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = datetime.strptime(value.strip(), pattern).date()  # noqa: DTZ007 (a calendar date)
        except ValueError:
            continue
        if not 1900 <= day.year <= 2100:
            raise ValueError(value)
        return day
    raise ValueError(value)


_parse_date = parse_birth_date


def parse_results(content: bytes) -> ParsedResults:
    """Every problem of the file, each naming its line and column, or the parsed lists."""
    result = ParsedResults()
    if not content.strip():
        result.errors.append("Le fichier est vide.")
        return result
    try:
        table = imports.read_table(
            imports.csv_lines(content), columns=COLUMN_LENGTHS, required=REQUIRED
        )
    except imports.FileRefused as refusal:
        result.errors.extend(str(refusal).splitlines())
        return result
    by_name: dict[str, ParsedList] = {}
    for line, row in table.rows:
        problems = []
        name = row.get("liste", "")
        if not name:
            problems.append(f"{imports.where(line, 'liste')} : le nom de la liste est vide.")
        try:
            votes = imports.parse_int(
                row.get("voix", ""), line=line, column="voix", maximum=MAX_VOTES
            )
        except ValueError as error:
            problems.append(f"{error} Nombre de voix invalide (entier positif attendu).")
        try:
            position = imports.parse_int(
                row.get("rang", ""), line=line, column="rang", minimum=1, maximum=MAX_POSITION
            )
        except ValueError as error:
            problems.append(f"{error} Rang invalide (1, 2, 3…).")
        candidate = row.get("candidat", "")
        if not candidate:
            problems.append(
                f"{imports.where(line, 'candidat')} : le nom du ou de la candidat·e est vide."
            )
        birth_date = None
        if row.get("date_naissance"):
            try:
                birth_date = imports.parse_date(
                    row["date_naissance"], line=line, column="date_naissance"
                )
            except ValueError as error:
                problems.append(str(error))
        if problems:
            result.errors.extend(problems)
            continue
        key = " ".join(name.split()).casefold()
        parsed = by_name.get(key)
        if parsed is None:
            parsed = ParsedList(name, row.get("syndicat", ""), votes, line)
            by_name[key] = parsed
            result.lists.append(parsed)
        elif parsed.votes != votes:
            result.errors.append(
                f"Ligne {line} : la liste « {name} » a {votes} voix ici mais {parsed.votes} "
                f"à la ligne {parsed.first_line}."
            )
            continue
        if any(c.position == position for c in parsed.candidates):
            result.errors.append(
                f"Ligne {line} : le rang {position} est déjà occupé sur la liste « {name} »."
            )
            continue
        parsed.candidates.append(ParsedCandidate(position, candidate, birth_date))
    for parsed in result.lists:
        parsed.candidates.sort(key=lambda c: c.position)
    if not result.lists and not result.errors:
        result.errors.append("Le fichier ne contient aucune ligne de résultat.")
    return result
