"""Bulk import of CPTS from a CSV or Excel file: read, validate every line, then import
all of them or none.

Reading and validating write nothing (the dry run); `import_cpts` writes through the CPTS
services, in one transaction, and only from a report without any error.
"""

import base64
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone

from interurps.core import exports, french, imports
from interurps.core.dates import OUT_OF_RANGE_MESSAGE, in_range
from interurps.core.text import normalize_name
from interurps.cpts import rules, selectors, services
from interurps.cpts.models import Cpts
from interurps.cpts.selectors import TerritoryCheck

COLUMNS = (
    "nom",
    "departement",
    "etape",
    "date_etape",
    "forme_juridique",
    "siret",
    "rna",
    "courriel",
    "site_web",
    "codes_insee",
)
REQUIRED_COLUMNS = ("nom", "departement", "codes_insee")
# Other spellings met in real files, after normalisation (lower case, no accent, "_").
COLUMN_ALIASES = {
    "date": "date_etape",
    "email": "courriel",
    "e_mail": "courriel",
    "mail": "courriel",
    "site": "site_web",
    "site_internet": "site_web",
    "code_insee": "codes_insee",
    "communes": "codes_insee",
    "dept": "departement",
}
SUPPORTED_EXTENSIONS = (".csv", ".xlsx")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
SIRET_RE = re.compile(r"^\d{14}$")
RNA_RE = re.compile(r"^W\d{9}$")
NAME_MAX_LENGTH = Cpts._meta.get_field("name").max_length
EMAIL_MAX_LENGTH = Cpts._meta.get_field("email").max_length
WEBSITE_MAX_LENGTH = Cpts._meta.get_field("website").max_length

TEMPLATE_HEADER = list(COLUMNS)


class ImportFileError(ValueError):
    """The file as a whole cannot be read (format, encoding, header); message for users."""


# --- reading ------------------------------------------------------------------------


def _column_key(header: str) -> str:
    key = normalize_name(header).replace(" ", "_")
    return COLUMN_ALIASES.get(key, key)


def _bounded_table(lines) -> list[list[str]]:
    """The cells of at most MAX_ROWS data lines (and MAX_COLUMNS columns), read lazily."""
    table = []
    try:
        for line, cells in lines:
            if len(table) > imports.MAX_ROWS:
                raise ImportFileError(
                    f"Le fichier compte plus de {imports.MAX_ROWS:,} lignes : découpez-le en "
                    "plusieurs fichiers.".replace(",", "\u202f")
                )
            texts = [imports.cell_text(cell) for cell in cells]
            if any(texts[imports.MAX_COLUMNS :]):
                raise ImportFileError(
                    f"Ligne {line} : plus de {imports.MAX_COLUMNS} colonnes ; colonnes "
                    f"attendues : {', '.join(COLUMNS)}."
                )
            table.append(texts[: imports.MAX_COLUMNS])
    except imports.FileRefused as refusal:
        raise ImportFileError(str(refusal)) from None
    return table


def _csv_table(content: bytes) -> list[list[str]]:
    return _bounded_table(imports.csv_lines(content))


def _xlsx_table(content: bytes) -> list[list[str]]:
    return _bounded_table(imports.xlsx_lines(content))


def read_rows(uploaded_name: str, content: bytes) -> list[dict]:
    """The data lines of a .csv or .xlsx file, as dicts keyed by the expected column names.

    Each dict also holds `_line` (its line in the file, the header being line 1) and
    `_extra` (values found beyond the header's columns). Fully blank lines are skipped.
    Raises `ImportFileError` when the file or its header cannot be used.
    """
    extension = PurePath(uploaded_name or "").suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        raise ImportFileError(
            f"Format de fichier non pris en charge ({extension or 'sans extension'}) : "
            "envoyez un fichier .csv ou .xlsx."
        )
    table = _csv_table(content) if extension == ".csv" else _xlsx_table(content)
    if not table or not any(cell.strip() for cell in table[0]):
        raise ImportFileError(
            "La première ligne du fichier doit contenir les en-têtes de colonnes "
            f"({', '.join(COLUMNS)})."
        )
    headers = [cell.strip() for cell in table[0]]
    keys = [_column_key(header) if header else "" for header in headers]
    unknown = [
        header for header, key in zip(headers, keys, strict=True) if key and key not in COLUMNS
    ]
    duplicated = sorted({key for key in keys if key and keys.count(key) > 1})
    missing = [column for column in REQUIRED_COLUMNS if column not in keys]
    problems = []
    if unknown:
        label = french.plural(unknown, "colonne inconnue", "colonnes inconnues")
        problems.append(f"{label} : {', '.join(unknown)}")
    if duplicated:
        label = french.plural(duplicated, "colonne en double", "colonnes en double")
        problems.append(f"{label} : {', '.join(duplicated)}")
    if missing:
        label = french.plural(
            missing, "colonne obligatoire manquante", "colonnes obligatoires manquantes"
        )
        problems.append(f"{label} : {', '.join(missing)}")
    if problems:
        raise ImportFileError(
            "En-têtes de colonnes incorrects (ligne 1) — "
            + " ; ".join(problems)
            + f". Colonnes attendues : {', '.join(COLUMNS)}."
        )

    rows = []
    for line, cells in enumerate(table[1:], start=2):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        row = dict.fromkeys(COLUMNS, "")
        extra = []
        for index, value in enumerate(cells):
            key = keys[index] if index < len(keys) else ""
            if key:
                row[key] = value
            elif value:
                extra.append(value)
        row["_line"] = line
        row["_extra"] = extra
        rows.append(row)
    return rows


# --- validation ---------------------------------------------------------------------


@dataclass
class RowResult:
    line: int
    name: str
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    check: TerritoryCheck | None = None

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def stage_label(self) -> str:
        stage = self.values.get("stage")
        return rules.label(stage) if stage else ""

    @property
    def commune_count(self) -> int:
        return len(self.check.communes) if self.check else 0

    @property
    def population(self) -> int:
        return self.check.population if self.check else 0

    def error(self, message: str) -> None:
        self.errors.append(f"Ligne {self.line} : {message}")

    def warn(self, message: str) -> None:
        self.warnings.append(f"Ligne {self.line} : {message}")


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.file_errors and all(r.is_valid for r in self.rows)

    @property
    def valid_count(self) -> int:
        return sum(r.is_valid for r in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.rows) - self.valid_count

    @property
    def warning_count(self) -> int:
        return sum(len(r.warnings) for r in self.rows)


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def _parse_stage(value: str) -> rules.Stage | None:
    if not value:
        return rules.Stage.EMERGENCE
    wanted = normalize_name(value)
    for stage in rules.Stage:
        if wanted in (normalize_name(stage.value), normalize_name(rules.STAGE_LABELS[stage])):
            return stage
    return None


def _parse_date(value: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    return None


def _parse_legal_form(value: str) -> str | None:
    if not value:
        return Cpts.LegalForm.NONE
    wanted = normalize_name(value)
    for choice, label in Cpts.LegalForm.choices:
        if wanted in (normalize_name(choice), normalize_name(label)):
            return choice
    return None


def _department_code(value: str) -> str:
    value = value.strip().upper()
    return value.zfill(2) if value.isdigit() and len(value) == 1 else value


def _insee_codes(value: str) -> list[str]:
    # A spreadsheet turns 01001 into 1001: put the leading zero back.
    codes = (
        code.zfill(5) if code.isdigit() and len(code) == 4 else code
        for code in selectors.parse_insee_codes(value)
    )
    return list(dict.fromkeys(codes))


def _commune_names(communes, limit=8) -> str:
    shown = ", ".join(f"{c.name} ({c.code})" for c in communes[:limit])
    if len(communes) > limit:
        shown += f" et {french.count(len(communes) - limit, 'autre,autres')}"
    return shown


def _validate_row(raw: dict, result: RowResult, *, region, departments, today) -> None:
    values = result.values
    if raw.get("_extra"):
        label = french.plural(raw["_extra"], "valeur", "valeurs")
        result.error(f"{label} hors des colonnes de l'en-tête : {', '.join(raw['_extra'])}.")

    if not result.name:
        result.error("nom de la CPTS manquant.")
    elif len(result.name) > NAME_MAX_LENGTH:
        result.error(f"nom trop long ({len(result.name)} caractères, {NAME_MAX_LENGTH} au plus).")

    code = _department_code(raw.get("departement", ""))
    values["department"] = departments.get(code)
    if not code:
        result.error("département manquant.")
    elif values["department"] is None:
        result.error(f"département {code} inconnu ou hors de la région {region.name}.")

    stage_text = raw.get("etape", "")
    values["stage"] = _parse_stage(stage_text)
    if values["stage"] is None:
        result.error(
            f"étape « {stage_text} » inconnue. Étapes possibles : "
            + ", ".join(f"{s.value} ({rules.STAGE_LABELS[s]})" for s in rules.Stage)
            + "."
        )

    date_text = raw.get("date_etape", "")
    values["date"] = _parse_date(date_text) if date_text else today
    if values["date"] is None:
        result.error(
            f"date d'étape « {date_text} » illisible (formats acceptés : AAAA-MM-JJ ou JJ/MM/AAAA)."
        )
    elif values["date"] > today:
        result.error(f"la date d'étape ({values['date']:%d/%m/%Y}) est dans le futur.")
    elif not in_range(values["date"]):
        result.error(f"colonne « date_etape » : {OUT_OF_RANGE_MESSAGE}")

    legal_text = raw.get("forme_juridique", "")
    values["legal_form"] = _parse_legal_form(legal_text)
    if values["legal_form"] is None:
        result.error(
            f"forme juridique « {legal_text} » inconnue (valeurs possibles : "
            + ", ".join(Cpts.LegalForm.values)
            + ")."
        )

    siret = re.sub(r"\s", "", raw.get("siret", ""))
    values["siret"] = siret
    if siret and not SIRET_RE.match(siret):
        result.error(f"SIRET « {raw['siret']} » invalide : il compte 14 chiffres.")

    rna = re.sub(r"\s", "", raw.get("rna", "")).upper()
    values["rna"] = rna
    if rna and not RNA_RE.match(rna):
        result.error(f"numéro RNA « {raw['rna']} » invalide : W suivi de 9 chiffres attendu.")

    email = raw.get("courriel", "")
    values["email"] = email
    if len(email) > EMAIL_MAX_LENGTH:
        result.error(f"colonne « courriel » : {len(email)} caractères, {EMAIL_MAX_LENGTH} au plus.")
    elif email:
        try:
            EmailValidator()(email)
        except ValidationError:
            result.error(f"courriel « {email} » invalide.")

    website = raw.get("site_web", "")
    if website and "://" not in website:
        website = f"https://{website}"
    values["website"] = website
    if len(website) > WEBSITE_MAX_LENGTH:
        result.error(
            f"colonne « site_web » : {len(website)} caractères, {WEBSITE_MAX_LENGTH} au plus."
        )
    elif website:
        try:
            URLValidator()(website)
        except ValidationError:
            result.error(f"adresse de site web « {raw['site_web']} » invalide.")

    size_error = selectors.insee_codes_size_error(raw.get("codes_insee", ""))
    if size_error:
        result.error(f"colonne « codes_insee » : {size_error}")
        return
    codes = _insee_codes(raw.get("codes_insee", ""))
    values["codes"] = codes
    if not codes:
        result.error(
            "aucun code INSEE : indiquez les communes du territoire (colonne codes_insee)."
        )
        return
    check = selectors.territory_check(codes)
    result.check = check
    for message in check.errors:
        result.error(message)
    for message in check.warnings:
        result.warn(message)
    outside = [c for c in check.communes if c.department.region_id != region.pk]
    if outside and len(outside) == len(check.communes):
        result.warn(f"aucune commune du territoire n'est dans la région {region.name}.")
    department = values["department"]
    if (
        department
        and check.communes
        and not any(c.department_id == department.code for c in check.communes)
    ):
        result.warn(
            f"aucune commune du territoire n'est dans le département {department.code} "
            f"({department.name}) indiqué."
        )


def validate(rows: list[dict], *, region) -> ImportReport:
    """Check every line; nothing is written. Errors block the import, warnings do not."""
    report = ImportReport()
    if not rows:
        report.file_errors.append("Le fichier ne contient aucune ligne de données.")
        return report
    today = timezone.localdate()
    departments = {d.code: d for d in region.departments.all()}
    existing = {
        _name_key(name): name
        for name in Cpts.objects.filter(region=region).values_list("name", flat=True)
    }
    first_line_of: dict[str, int] = {}
    for raw in rows:
        result = RowResult(line=raw["_line"], name=(raw.get("nom") or "").strip())
        _validate_row(raw, result, region=region, departments=departments, today=today)
        if result.name:
            key = _name_key(result.name)
            if key in first_line_of:
                result.error(
                    f"le nom « {result.name} » figure déjà à la ligne {first_line_of[key]} "
                    "du fichier."
                )
            else:
                first_line_of[key] = result.line
            if key in existing:
                result.error(
                    f"une CPTS nommée « {existing[key]} » existe déjà dans la région "
                    f"{region.name} (l'import ne fait que créer des CPTS)."
                )
        report.rows.append(result)
    _warn_overlaps_in_file(report.rows)
    return report


def _warn_overlaps_in_file(results: list[RowResult]) -> None:
    lines_of: dict[str, list[RowResult]] = {}
    for result in results:
        for commune in result.check.communes if result.check else []:
            lines_of.setdefault(commune.code, []).append(result)
    for result in results:
        shared: dict[int, list] = {}
        others: dict[int, RowResult] = {}
        for commune in result.check.communes if result.check else []:
            for other in lines_of[commune.code]:
                if other is not result:
                    shared.setdefault(other.line, []).append(commune)
                    others[other.line] = other
        for line in sorted(shared):
            result.warn(
                f"communes en commun avec la ligne {line} (« {others[line].name} ») : "
                f"{_commune_names(shared[line])}."
            )


def validate_file(uploaded_name: str, content: bytes, *, region) -> ImportReport:
    """`read_rows` then `validate`, with file-level problems reported instead of raised."""
    try:
        rows = read_rows(uploaded_name, content)
    except ImportFileError as exc:
        return ImportReport(file_errors=[str(exc)])
    return validate(rows, region=region)


# --- import -------------------------------------------------------------------------

INTERMEDIATE_NOTE = (
    "Import en masse : étape intermédiaire, enregistrée à la date de l'étape « {target} » "
    "indiquée dans le fichier."
)
IMPORT_NOTE = "Import en masse depuis un fichier."


def _stages_after_emergence(target: rules.Stage) -> list[rules.Stage]:
    if target in rules.PATH:
        return rules.PATH[1 : rules.PATH.index(target) + 1]
    return [target]  # suspended or dissolved, straight from emergence


@transaction.atomic
def import_cpts(report: ImportReport, *, region, by) -> list[Cpts]:
    """Create every CPTS of a valid report, with its stage history and territory.

    All or nothing: any error rolls the whole import back.
    """
    if not report.is_valid:
        raise ValueError("Import refusé : le fichier contient des erreurs.")
    created = []
    for row in report.rows:
        values = row.values
        target, on = rules.Stage(values["stage"]), values["date"]
        cpts = services.cpts_create(
            region=region,
            name=row.name,
            main_department=values["department"],
            by=by,
            started_on=on,
            legal_form=values["legal_form"],
            siret=values["siret"],
            rna=values["rna"],
            email=values["email"],
            website=values["website"],
        )
        for stage in _stages_after_emergence(target):
            note = (
                IMPORT_NOTE
                if stage == target
                else INTERMEDIATE_NOTE.format(target=rules.STAGE_LABELS[target])
            )
            services.cpts_transition(cpts=cpts, stage=stage, occurred_on=on, by=by, note=note)
        services.cpts_set_territory(cpts=cpts, codes=values["codes"])
        cpts.refresh_from_db()
        created.append(cpts)
    return created


# --- helpers for the view and the command -------------------------------------------


def template_csv(region) -> bytes:
    """A CSV model (UTF-8 with BOM, for Excel) with the header and one example line."""
    from interurps.geography.models import Commune

    department = region.departments.order_by("code").first()
    communes = (
        list(
            Commune.objects.filter(department=department, kind=Commune.Kind.COMMUNE)
            .order_by("-population", "code")
            .values_list("code", flat=True)[:2]
        )
        if department
        else []
    )
    example = [
        "CPTS exemple",
        department.code if department else "",
        rules.Stage.EMERGENCE.value,
        timezone.localdate().isoformat(),
        Cpts.LegalForm.ASSOCIATION.value,
        "",
        "",
        "contact@exemple.fr",
        "https://exemple.fr",
        " ".join(communes),
    ]
    return exports.csv_text([example], header=TEMPLATE_HEADER).encode("utf-8")


def encode_content(content: bytes) -> str:
    return base64.b64encode(content).decode("ascii")


def decode_content(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))
