"""Reading a flows CSV file: `origin,destination,count[,profession]`, streamed line by line.

Every refusal names the line (and the value); the whole file is checked before anything is
written (all or nothing). Codes are INSEE commune codes; a municipal district of Paris,
Lyon or Marseille is folded into its city (flows are between communes).
"""

import codecs
import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from interurps.core import french

REQUIRED = ("origin", "destination", "count")
OPTIONAL = ("profession",)
# French headers are accepted too.
ALIASES = {
    "origine": "origin",
    "commune_residence": "origin",
    "commune_soins": "destination",
    "nombre": "count",
    "effectif": "count",
}
MAX_ERRORS = 20
MAX_COUNT = 2**31 - 1
MAX_FIELD = 100


class FlowFileError(ValueError):
    """The file cannot be used; `errors` lists the French messages, each naming its line."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ParsedFlows:
    # (origin code, destination code, profession code or "") → count, codes folded
    counts: dict[tuple[str, str, str], int] = field(default_factory=dict)
    lines: int = 0
    zero_lines: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _text_lines(chunks: Iterable[bytes]) -> Iterable[str]:
    """Decoded lines of a byte stream (UTF-8, with or without BOM; Windows-1252 fallback
    decided on the first undecodable chunk is not attempted: the file must be UTF-8)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    pending = ""
    for chunk in chunks:
        pending += decoder.decode(chunk)
        *complete, pending = pending.split("\n")
        for line in complete:
            yield line + "\n"
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending


def parse_flows(
    chunks: Iterable[bytes],
    *,
    commune_codes: Mapping[str, str],
    professions: set[str],
    scope_profession: str | None = None,
) -> ParsedFlows:
    """Check and read a flows file given as byte chunks.

    `commune_codes` maps every known INSEE code to the commune it counts for (itself, or
    the city of a municipal district); `professions` the known profession codes;
    `scope_profession`, when set, the only profession the rows may name.
    """
    errors: list[str] = []
    more = 0

    def error(message: str) -> None:
        nonlocal more
        if len(errors) < MAX_ERRORS:
            errors.append(message)
        else:
            more += 1

    parsed = ParsedFlows()
    seen: dict[tuple[str, str, str], int] = {}
    try:
        lines = _text_lines(chunks)
        first = next(lines, None)
        if first is None or not first.strip():
            raise FlowFileError(["Le fichier est vide : la première ligne doit être l'en-tête."])
        delimiter = ";" if first.count(";") > first.count(",") else ","
        header = [h.strip().lower() for h in next(csv.reader([first], delimiter=delimiter))]
        header = [ALIASES.get(h, h) for h in header]
        missing = [c for c in REQUIRED if c not in header]
        unknown = [h for h in header if h not in REQUIRED + OPTIONAL]
        if missing or unknown:
            parts = []
            if missing:
                parts.append(f"colonnes manquantes : {', '.join(missing)}")
            if unknown:
                parts.append(f"colonnes inconnues : {', '.join(unknown)}")
            raise FlowFileError(
                [
                    f"Ligne 1 (en-tête) : {' ; '.join(parts)}. L'en-tête attendu est "
                    "« origin,destination,count » (colonne « profession » facultative)."
                ]
            )
        position = {name: header.index(name) for name in header}
        width = len(header)
        reader = csv.reader(lines, delimiter=delimiter)
        for number, row in enumerate(reader, start=2):
            if not row or not any(cell.strip() for cell in row):
                continue
            parsed.lines += 1
            if len(row) != width:
                error(f"Ligne {number} : {len(row)} valeurs au lieu de {width}.")
                continue
            values = {name: row[index].strip()[: MAX_FIELD + 1] for name, index in position.items()}
            origin_raw, destination_raw = values["origin"], values["destination"]
            origin = commune_codes.get(origin_raw.upper())
            destination = commune_codes.get(destination_raw.upper())
            if origin is None:
                error(f"Ligne {number} : code INSEE d'origine inconnu « {origin_raw[:20]} ».")
            if destination is None:
                error(
                    f"Ligne {number} : code INSEE de destination inconnu "
                    f"« {destination_raw[:20]} »."
                )
            profession = values.get("profession", "").lower()
            if profession and profession not in professions:
                error(f"Ligne {number} : profession inconnue « {profession[:40]} ».")
                continue
            if scope_profession and profession and profession != scope_profession:
                error(
                    f"Ligne {number} : profession « {profession} » hors du périmètre du jeu "
                    f"de flux ({scope_profession})."
                )
                continue
            text = values["count"].replace("\u202f", "").replace(" ", "")
            try:
                count = int(text)
            except ValueError:
                error(f"Ligne {number} : nombre de flux invalide « {values['count'][:20]} ».")
                continue
            if count < 0:
                error(f"Ligne {number} : nombre de flux négatif ({count}).")
                continue
            if count > MAX_COUNT:
                error(f"Ligne {number} : nombre de flux trop grand ({count}).")
                continue
            if origin is None or destination is None:
                continue
            raw_key = (origin_raw.upper(), destination_raw.upper(), profession)
            if raw_key in seen:
                error(
                    f"Ligne {number} : le couple {origin_raw} → {destination_raw}"
                    + (f" ({profession})" if profession else "")
                    + f" figure déjà ligne {seen[raw_key]}."
                )
                continue
            seen[raw_key] = number
            if count == 0:
                parsed.zero_lines += 1
                continue
            key = (origin, destination, profession or scope_profession or "")
            parsed.counts[key] = parsed.counts.get(key, 0) + count
    except UnicodeDecodeError:
        raise FlowFileError(
            ["Le fichier n'est pas en UTF-8 : enregistrez-le en « CSV UTF-8 »."]
        ) from None
    except csv.Error as exc:
        raise FlowFileError([f"Fichier CSV illisible : {exc}."]) from None
    if more:
        errors.append(f"… et {french.count(more, 'autre erreur,autres erreurs')}.")
    if errors:
        raise FlowFileError(errors)
    if not parsed.lines:
        raise FlowFileError(["Le fichier ne contient aucune ligne de flux après l'en-tête."])
    return parsed
