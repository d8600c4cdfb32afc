"""Reading uploaded CSV and Excel files, one way for every import.

Every refusal is a French message that says what is wrong and where (line, column):
- the file is decoded as UTF-8 (with or without BOM), UTF-16 with a BOM, or Windows-1252
  (French Excel's "CSV (séparateur : point-virgule)"); NUL bytes or undecodable bytes are
  refused naming the line;
- files above `MAX_UPLOAD_BYTES`, more than `MAX_ROWS` data lines or `MAX_COLUMNS` columns
  are refused, whatever an Excel sheet declares as its dimension (rows are read lazily);
- Excel files are read by openpyxl in read-only mode; with defusedxml installed (it is a
  dependency) an XML entity declaration (the "billion laughs" bomb) is refused;
- the header must hold the required columns, unknown columns are refused by name, each
  value is checked against its column's maximum length;
- integers and dates are parsed with bounds (64-bit integers, dates 1900–2100).
"""

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from interurps.core import french
from interurps.core.dates import OUT_OF_RANGE_MESSAGE, in_range

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 10_000
MAX_COLUMNS = 50
# Blank lines (often formatted but empty rows in Excel) are skipped, up to this many.
MAX_BLANK_ROWS = 100_000
MAX_FIELD_CHARS = 100_000
INT64_MAX = 2**63 - 1
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


class FileRefused(ValueError):
    """The file as a whole cannot be used; the message (in French) says why and where."""


def where(line: int, column: str | None = None) -> str:
    return f"Ligne {line}, colonne « {column} »" if column else f"Ligne {line}"


def size_refusal(size: int, max_bytes: int = MAX_UPLOAD_BYTES) -> str | None:
    """The French reason a file of `size` bytes is refused ("50,0 Mo : 10 Mo au plus."),
    or None when it is small enough. Only the figures take a decimal comma."""
    if size <= max_bytes:
        return None
    size_mb = french.format_number(size / 1024 / 1024, 1)
    return f"{size_mb} Mo : {max_bytes // 1024 // 1024} Mo au plus."


def check_size(content: bytes, max_bytes: int = MAX_UPLOAD_BYTES) -> None:
    reason = size_refusal(len(content), max_bytes)
    if reason:
        raise FileRefused(f"Le fichier pèse {reason}")


def _line_of(content: bytes, offset: int) -> int:
    return content.count(b"\n", 0, offset) + 1


def decode_text(content: bytes) -> str:
    """The text of an uploaded file; `FileRefused` naming the line when it cannot be read."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = content.decode("utf-16")
        except UnicodeDecodeError:
            raise FileRefused(
                "Le fichier est en UTF-16 mais contient des octets illisibles : "
                "enregistrez-le en « CSV UTF-8 »."
            ) from None
    else:
        nul = content.find(b"\x00")
        if nul != -1:
            raise FileRefused(
                f"Ligne {_line_of(content, nul)} : le fichier contient des caractères nuls ; "
                "ce n'est pas un fichier texte UTF-8 (enregistrez-le en « CSV UTF-8 »)."
            )
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            try:
                # French Excel saves "CSV (séparateur : point-virgule)" in Windows-1252.
                text = content.decode("cp1252")
            except UnicodeDecodeError:
                raise FileRefused(
                    f"Ligne {_line_of(content, error.start)} : octets illisibles ; le fichier "
                    "doit être en UTF-8 (enregistrez-le en « CSV UTF-8 »)."
                ) from None
    if "\x00" in text:
        raise FileRefused("Le fichier contient des caractères nuls : ce n'est pas un CSV.")
    return text.lstrip("\ufeff")


def sniff_delimiter(text: str) -> str:
    first_line = text.lstrip().split("\n", 1)[0]
    return ";" if first_line.count(";") >= first_line.count(",") else ","


def csv_lines(content: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES) -> Iterator[tuple[int, list]]:
    """(line number, cells) for each record of a CSV file, the header included."""
    check_size(content, max_bytes)
    text = decode_text(content)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text), strict=True)
    previous_size = csv.field_size_limit()
    csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise FileRefused(
                    f"Ligne {line} : ligne CSV mal formée ({_csv_error(error)})."
                ) from None
            yield reader.line_num, cells
    finally:
        csv.field_size_limit(previous_size)


def _csv_error(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return f"une valeur dépasse {MAX_FIELD_CHARS:,} caractères".replace(",", "\u202f")
    if "unexpected end of data" in text or "EOF" in text:
        return "guillemet non refermé"
    return "guillemets ou séparateurs incohérents"


def xlsx_lines(content: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES) -> Iterator[tuple[int, list]]:
    """(line number, values) for each row of the first sheet of an .xlsx file.

    Read lazily, at most `MAX_COLUMNS + 1` columns per row whatever the sheet declares.
    """
    from openpyxl import load_workbook

    check_size(content, max_bytes)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # zip, XML or openpyxl errors: all mean "not a readable .xlsx"
        raise _xlsx_refusal(error) from error
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # ignore the declared dimension: read what is there
        rows = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
        for line in itertools.count(1):
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception as error:
                raise _xlsx_refusal(error) from error
            values = list(values)
            while values and values[-1] is None:
                values.pop()
            yield line, values
    finally:
        workbook.close()


def _xlsx_refusal(error: Exception) -> FileRefused:
    try:
        from defusedxml import DefusedXmlException
    except ImportError:  # pragma: no cover - defusedxml is a dependency
        DefusedXmlException = ()  # noqa: N806
    chain = []
    while error is not None and error not in chain:  # openpyxl wraps the parser's error
        chain.append(error)
        error = error.__cause__ or error.__context__
    if any(isinstance(e, DefusedXmlException) for e in chain):
        return FileRefused(
            "Le fichier Excel contient des déclarations XML interdites (entités) : il est "
            "refusé par sécurité. Enregistrez-le de nouveau depuis votre tableur."
        )
    return FileRefused(
        "Le fichier Excel n'a pas pu être lu : vérifiez qu'il s'agit bien d'un classeur "
        ".xlsx (les anciens fichiers .xls ne sont pas pris en charge)."
    )


def cell_text(value) -> str:
    """A cell (CSV text or Excel value) as stripped text; whole floats without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class Table:
    """The data lines of a file: each row maps the expected column names to text, with
    `line` its line in the file (the header is line 1)."""

    keys: list[str]
    rows: list[tuple[int, dict[str, str]]]


def _default_key(header: str) -> str:
    return header.strip().lower()


def read_table(
    lines: Iterable[tuple[int, list]],
    *,
    columns: Mapping[str, int | None],
    required: Iterable[str],
    key=_default_key,
    max_rows: int = MAX_ROWS,
) -> Table:
    """Check the header and every line's shape; `FileRefused` with every problem found.

    `columns` maps each accepted column to its maximum length (None: no limit). Unknown
    columns are refused by name; values beyond the header's columns are refused naming
    the line. Fully blank lines are skipped.
    """
    iterator = iter(lines)
    expected = ", ".join(columns)
    try:
        _, header_cells = next(iterator)
    except StopIteration:
        raise FileRefused(f"Le fichier est vide. Colonnes attendues : {expected}.") from None
    headers = [cell_text(cell) for cell in header_cells]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise FileRefused(
            f"La première ligne du fichier doit contenir les en-têtes de colonnes ({expected})."
        )
    if len(headers) > MAX_COLUMNS:
        raise FileRefused(
            f"Ligne 1 : plus de {MAX_COLUMNS} colonnes ; colonnes attendues : {expected}."
        )
    keys = [key(header) if header else "" for header in headers]
    unknown = [h for h, k in zip(headers, keys, strict=True) if h and k not in columns]
    duplicated = sorted({k for k in keys if k and keys.count(k) > 1})
    missing = [column for column in required if column not in keys]
    problems = []
    if unknown:
        problems.append("colonne(s) inconnue(s) : " + ", ".join(f"« {h} »" for h in unknown))
    if duplicated:
        problems.append("colonne(s) en double : " + ", ".join(f"« {k} »" for k in duplicated))
    if missing:
        problems.append("colonne(s) obligatoire(s) manquante(s) : " + ", ".join(missing))
    if problems:
        raise FileRefused(
            "En-têtes de colonnes incorrects (ligne 1) — "
            + " ; ".join(problems)
            + f". Colonnes attendues : {expected}."
        )
    rows = []
    errors = []
    blank = 0
    for line, cells in iterator:
        texts = [cell_text(cell) for cell in cells]
        if not any(texts):
            blank += 1
            if blank > MAX_BLANK_ROWS:
                break
            continue
        if len(rows) >= max_rows:
            raise FileRefused(
                f"Le fichier compte plus de {max_rows:,} lignes : découpez-le en plusieurs "
                "fichiers.".replace(",", "\u202f")
            )
        extra = [text for text in texts[len(keys) :] if text]
        if extra:
            errors.append(
                f"{where(line)} : {len(extra)} valeur(s) au-delà des {len(keys)} colonnes de "
                "l'en-tête (un séparateur en trop ?)."
            )
            continue
        row = dict.fromkeys((k for k in keys if k), "")
        for k, text in zip(keys, texts, strict=False):
            if not k:
                continue
            limit = columns[k]
            if limit is not None and len(text) > limit:
                errors.append(f"{where(line, k)} : {len(text)} caractères, {limit} au plus.")
            row[k] = text
        rows.append((line, row))
        if len(errors) > 50:
            break
    if errors:
        raise FileRefused("\n".join(errors))
    return Table(keys=keys, rows=rows)


INTEGER_RE = re.compile(r"^[+-]?\d{1,19}$")


def parse_int(text: str, *, line: int, column: str, minimum: int = 0, maximum: int = INT64_MAX):
    """An integer within bounds, or ValueError with a French message naming the place."""
    compact = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if not INTEGER_RE.match(compact):
        raise ValueError(f"{where(line, column)} : « {text[:40]} » n'est pas un nombre entier.")
    value = int(compact)
    if not minimum <= value <= maximum:
        raise ValueError(
            f"{where(line, column)} : {text[:40]} hors des bornes ({minimum} à {maximum})."
        )
    return value


def parse_date(text: str, *, line: int, column: str, formats=DATE_FORMATS) -> date:
    """A date (JJ/MM/AAAA or AAAA-MM-JJ) within 1900–2100, or ValueError naming the place."""
    for pattern in formats:
        try:
            value = datetime.strptime(text.strip(), pattern).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
        if not in_range(value):
            raise ValueError(f"{where(line, column)} : {OUT_OF_RANGE_MESSAGE}")
        return value
    raise ValueError(
        f"{where(line, column)} : date illisible « {text[:40]} » (JJ/MM/AAAA ou AAAA-MM-JJ)."
    )
