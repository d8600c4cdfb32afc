"""Election results from a CSV file: one line per candidate.

Columns (header required, `;` or `,`): liste; syndicat; voix; rang; candidat;
date_naissance (JJ/MM/AAAA or AAAA-MM-JJ, optional). A list's votes are repeated on each
of its candidates' lines and must agree. No Django import.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

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
    result = ParsedResults()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")
    if not text.strip():
        result.errors.append("Le fichier est vide.")
        return result
    delimiter = ";" if text.splitlines()[0].count(";") >= text.splitlines()[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        result.errors.append(
            f"Colonne(s) manquante(s) : {', '.join(missing)}. Colonnes attendues : "
            f"{'; '.join(COLUMNS)}."
        )
        return result
    by_name: dict[str, ParsedList] = {}
    for row in reader:
        line = reader.line_num
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        name = row.get("liste", "")
        if not name:
            result.errors.append(f"Ligne {line} : le nom de la liste est vide.")
            continue
        try:
            votes = int(row.get("voix", ""))
            if votes < 0:
                raise ValueError
        except ValueError:
            result.errors.append(
                f"Ligne {line} : nombre de voix invalide « {row.get('voix', '')} » "
                "(entier positif attendu)."
            )
            continue
        try:
            position = int(row.get("rang", ""))
            if position < 1:
                raise ValueError
        except ValueError:
            result.errors.append(
                f"Ligne {line} : rang invalide « {row.get('rang', '')} » (1, 2, 3…)."
            )
            continue
        candidate = row.get("candidat", "")
        if not candidate:
            result.errors.append(f"Ligne {line} : le nom du ou de la candidat·e est vide.")
            continue
        birth_date = None
        if row.get("date_naissance"):
            try:
                birth_date = _parse_date(row["date_naissance"])
            except ValueError:
                result.errors.append(
                    f"Ligne {line} : date de naissance illisible « {row['date_naissance']} » "
                    "(JJ/MM/AAAA attendu)."
                )
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
