"""Read the Annuaire Santé open extraction « PS_LibreAcces_Personne_activite » (no Django).

The file
--------
The Agence du Numérique en Santé (ANS) publishes, under the Licence Ouverte 2.0, a daily
extraction of the RPPS and ADELI directories (annuaire.sante.fr, « extractions publiques »,
also on data.gouv.fr as « Annuaire santé : extractions des données en libre accès des
professionnels intervenant dans le système de santé (RPPS) »). Its main file,
``PS_LibreAcces_Personne_activite_<timestamp>.txt``, is UTF-8 text, one header line, fields
separated by ``|`` and not quoted, **one line per activity** (a professional practising at
two sites has two lines). It weighs about 1 to 2 GB: it is read line by line here, never
whole.

Column names, as read (2025) in public code that parses the real file — they agree with
each other and with the order given below:

- faits-politiques, ``internal/sante`` RPPS connector: the full header of 56 columns
  « vérifiée sur un extrait réel »: Type d'identifiant PP, Identifiant PP, Identification
  nationale PP, Code civilité d'exercice, Libellé civilité d'exercice, Code civilité,
  Libellé civilité, Nom d'exercice, Prénom d'exercice, Code profession, Libellé profession,
  Code catégorie professionnelle, Libellé catégorie professionnelle, Code type savoir-faire,
  Libellé type savoir-faire, Code savoir-faire, Libellé savoir-faire, Code mode exercice,
  Libellé mode exercice, Numéro SIRET site, Numéro SIREN site, Numéro FINESS site, Numéro
  FINESS établissement juridique, Identifiant technique de la structure, Raison sociale
  site, Enseigne commerciale site, Complément destinataire / Complément point géographique
  / Numéro Voie / Indice répétition voie / Code type de voie / Libellé type de voie /
  Libellé Voie / Mention distribution / Bureau cedex / Code postal / Code commune / Libellé
  commune / Code pays / Libellé pays / Téléphone / Téléphone 2 / Télécopie / Adresse
  e-mail (each followed by « (coord. structure) »), Code Département (structure), Libellé
  Département (structure), Ancien identifiant de la structure, Autorité d'enregistrement,
  Code secteur d'activité, Libellé secteur d'activité, Code section tableau pharmaciens,
  Libellé section tableau pharmaciens, Code rôle, Libellé rôle, Code genre activité,
  Libellé genre activité;
- mapistar (``praticiens`` model): the same first 48 columns, numbered 0 to 47, from an
  older file (the last eight columns were added since).

Columns are therefore looked up **by name in the header**, not by position; only the
columns in ``REQUIRED_COLUMNS`` must be present, the others are used when they are.

Nomenclatures (ANS, « Terminologies de santé », FHIR code systems read in the
ansforge/IG-terminologie-de-sante sources):

- TRE_G15_ProfessionSante (« Code profession »): 10 Médecin, 21 Pharmacien, 40
  Chirurgien-Dentiste, 50 Sage-Femme, 60 Infirmier, 69 Infirmier psychiatrique, 70
  Masseur-Kinésithérapeute, 80 Pédicure-Podologue, 91 Orthophoniste, 92 Orthoptiste
  (read in JDV_J01_XdsAuthorSpecialty_CISIS, which lists the G15 codes).
- TRE_R23_ModeExercice (« Code mode exercice »): L libéral, indépendant, artisan,
  commerçant; S salarié; B bénévole.
- TRE_R38_SpecialiteOrdinale (« Code savoir-faire »): SM03 Biologie médicale; SM63 to
  SM67 Biologie médicale option biologie générale / médecine moléculaire, génétique et
  pharmacologie / hématologie et immunologie / agents infectieux / biologie de la
  reproduction (2017 reform); SM26 Qualifié en médecine générale, SM53 Spécialiste en
  médecine générale, SM54 Médecine générale.
- TRE_R06_SectionTableauCNOP (« Code section tableau pharmaciens »): A titulaire
  d'officine, D adjoint, G pharmacien biologiste, H établissement de santé…

Rules of this importer
----------------------
- Only the ten URPS professions are kept (code de la santé publique, L4031-1); lines of
  other professions are skipped and counted by profession label.
- Code 69 (infirmier de secteur psychiatrique, a nursing diploma entitling to practise as
  a nurse) is counted with the nurses: a decision of ours, not the nomenclature's.
- Biologists: the file has no « biologiste » profession. A médecin whose savoir-faire is
  one of ``BIOLOGY_SKILL_CODES``, or a pharmacien whose savoir-faire is one of them or
  whose section of the Ordre is G (« pharmacien biologiste »), is filed under the
  project's « biologistes » profession with the specialty « Biologie médicale ». One such
  line is enough for the whole professional.
- Physicians' specialty: SM26, SM53 and SM54 read « Médecine générale »; other
  savoir-faire keep the file's label. Other professions have no specialty.
- Sites: a line with mode L makes a liberal site, S a salaried site. Volunteer activity
  (B) creates no site and is counted; a line without mode is a professional without
  declared activity.
- Identifiers: « Identifiant PP » (RPPS, 11 digits; ADELI, 9 characters). The kind comes
  from « Type d'identifiant PP » when it is 8 (RPPS) or 0 (ADELI), else from the length.

What we could not confirm
-------------------------
- The ANS's own specification document of the extraction (its PDF) was not available to
  us: column names come from code that reads the real file, not from the publisher.
- « Type d'identifiant PP » values 8 = RPPS and 0 = ADELI are inferred from « Identification
  nationale PP » being the type followed by the identifier (e.g. 8 + 10000000011 in a
  parser's test), not read in a nomenclature; the length check is what we rely on.
- Whether pharmacist biologists carry a SM03-like savoir-faire in this file (their DES of
  biologie médicale is shared with physicians) is unconfirmed: the section G rule covers
  them either way.
- Whether every line ends with a trailing ``|`` (some extractions do): tolerated.
- The file has no activity start date: ``activity_start`` stays empty for imported records.
"""

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from interurps.professionals import rules

SEPARATOR = "|"
# The extraction's time stamp in its file name: PS_LibreAcces_Personne_activite_202610120823.txt
EXTRACTION_STAMP = re.compile(r"_((?:19|20)\d{2})(\d{2})(\d{2})\d{0,6}(?:\.\w+)?$")


def extraction_date(file_name: str) -> date | None:
    """The extraction date read in the file name's time stamp, or None.

    >>> extraction_date("PS_LibreAcces_Personne_activite_202610120823.txt")
    datetime.date(2026, 10, 12)
    >>> extraction_date("export.txt") is None
    True
    """
    match = EXTRACTION_STAMP.search(file_name)
    if match is None:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


COL_ID_TYPE = "Type d'identifiant PP"
COL_ID = "Identifiant PP"
COL_LAST_NAME = "Nom d'exercice"
COL_FIRST_NAME = "Prénom d'exercice"
COL_PROFESSION = "Code profession"
COL_PROFESSION_LABEL = "Libellé profession"
COL_SKILL = "Code savoir-faire"
COL_SKILL_LABEL = "Libellé savoir-faire"
COL_MODE = "Code mode exercice"
COL_SIRET = "Numéro SIRET site"
COL_FINESS = "Numéro FINESS site"
COL_STRUCTURE_ID = "Identifiant technique de la structure"
COL_COMPANY_NAME = "Raison sociale site"
COL_TRADE_NAME = "Enseigne commerciale site"
COL_STREET_NUMBER = "Numéro Voie (coord. structure)"
COL_STREET_REPEAT = "Indice répétition voie (coord. structure)"
COL_STREET_TYPE = "Libellé type de voie (coord. structure)"
COL_STREET = "Libellé Voie (coord. structure)"
COL_POSTCODE = "Code postal (coord. structure)"
COL_COMMUNE = "Code commune (coord. structure)"
COL_COMMUNE_LABEL = "Libellé commune (coord. structure)"
COL_PHARMACIST_SECTION = "Code section tableau pharmaciens"

REQUIRED_COLUMNS = (
    COL_ID,
    COL_LAST_NAME,
    COL_FIRST_NAME,
    COL_PROFESSION,
    COL_MODE,
    COL_COMMUNE,
)

# TRE_G15_ProfessionSante -> the project's profession codes (organizations.reference).
PROFESSION_BY_G15 = {
    "10": "medecins",
    "21": "pharmaciens",
    "40": "chirurgiens-dentistes",
    "50": "sages-femmes",
    "60": "infirmiers",
    "69": "infirmiers",
    "70": "masseurs-kinesitherapeutes",
    "80": "pedicures-podologues",
    "91": "orthophonistes",
    "92": "orthoptistes",
}
PHYSICIAN, PHARMACIST, BIOLOGIST = "10", "21", "biologistes"
# TRE_R38_SpecialiteOrdinale: biologie médicale and its 2017 options.
BIOLOGY_SKILL_CODES = frozenset({"SM03", "SM63", "SM64", "SM65", "SM66", "SM67"})
BIOLOGIST_PHARMACIST_SECTIONS = frozenset({"G"})  # TRE_R06_SectionTableauCNOP
GENERAL_PRACTICE_SKILL_CODES = frozenset({"SM26", "SM53", "SM54"})
GENERAL_PRACTICE = "Médecine générale"
MEDICAL_BIOLOGY = "Biologie médicale"
# TRE_R23_ModeExercice
SITE_MODE_BY_CODE = {"L": rules.SITE_LIBERAL, "S": rules.SITE_SALARIED}
VOLUNTEER_MODE = "B"
ID_TYPE_KINDS = {"8": rules.KIND_RPPS, "0": rules.KIND_ADELI}

MAX_KEPT_ERRORS = 1000


class AnnuaireDataError(Exception):
    """The file cannot be read at all (missing, empty, header without the needed columns)."""


@dataclass(frozen=True)
class LineError:
    line: int
    message: str

    def __str__(self):
        return f"ligne {self.line} : {self.message}"


@dataclass(frozen=True)
class ActivityRow:
    """One kept line of the file: a professional and, when `site_mode` is set, a site."""

    line: int
    identifier: str
    identifier_kind: str
    last_name: str
    first_name: str
    profession_code: str
    specialty: str
    site_mode: str | None
    structure_name: str = ""
    address: str = ""
    commune_code: str = ""
    site_identifier: str = ""


@dataclass
class ReadStats:
    lines: int = 0
    kept: int = 0
    volunteer_lines: int = 0
    skipped_professions: Counter = field(default_factory=Counter)
    error_count: int = 0
    errors: list[LineError] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return sum(self.skipped_professions.values())

    def add_error(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_KEPT_ERRORS:
            self.errors.append(LineError(line, message))


def _profession_and_specialty(g15: str, skill: str, skill_label: str, section: str):
    if g15 in (PHYSICIAN, PHARMACIST) and (
        skill in BIOLOGY_SKILL_CODES
        or (g15 == PHARMACIST and section in BIOLOGIST_PHARMACIST_SECTIONS)
    ):
        return BIOLOGIST, MEDICAL_BIOLOGY
    if g15 == PHYSICIAN:
        if skill in GENERAL_PRACTICE_SKILL_CODES:
            return PROFESSION_BY_G15[g15], GENERAL_PRACTICE
        return PROFESSION_BY_G15[g15], skill_label
    return PROFESSION_BY_G15[g15], ""


def _address(get) -> str:
    street = " ".join(
        part
        for part in (get(COL_STREET_NUMBER), get(COL_STREET_REPEAT), get(COL_STREET_TYPE))
        if part
    )
    street = " ".join(part for part in (street, get(COL_STREET)) if part)
    town = " ".join(part for part in (get(COL_POSTCODE), get(COL_COMMUNE_LABEL)) if part)
    return ", ".join(part for part in (street, town) if part)


class AnnuaireReader:
    """Iterate over the kept lines of a PS_LibreAcces_Personne_activite file.

    Iterating yields `ActivityRow`s; `stats` counts lines, skipped professions and
    line-level errors (with their line numbers) as the reading goes. A file-level defect
    (missing file, unreadable header, missing column) raises `AnnuaireDataError`.
    `progress` wraps the line iterator (as `tqdm` does).
    """

    def __init__(self, path: Path | str, progress: Callable[..., Iterable] | None = None):
        self.path = Path(path)
        self.progress = progress or (lambda iterable, **kwargs: iterable)
        self.stats = ReadStats()
        self.extracted_on = extraction_date(self.path.name)
        if not self.path.is_file():
            raise AnnuaireDataError(f"Fichier introuvable : {self.path}")

    def __iter__(self) -> Iterator[ActivityRow]:
        name = self.path.name
        with self.path.open("rb") as handle:
            header_line = handle.readline()
            try:
                header = header_line.decode("utf-8-sig").rstrip("\r\n").split(SEPARATOR)
            except UnicodeDecodeError as exc:
                encoding = (
                    " (le fichier semble en UTF-16)"
                    if header_line.startswith((b"\xff\xfe", b"\xfe\xff"))
                    else ""
                )
                raise AnnuaireDataError(
                    f"{name}, ligne 1 : en-tête illisible, octet invalide en position "
                    f"{exc.start}{encoding} ; le fichier doit être en UTF-8."
                ) from exc
            if header and header[-1] == "":
                header.pop()
            missing = [column for column in REQUIRED_COLUMNS if column not in header]
            if missing:
                raise AnnuaireDataError(
                    f"{name}, ligne 1 : colonnes manquantes : {', '.join(missing)}"
                )
            index = {column: position for position, column in enumerate(header)}
            width = len(header)
            lines = self.progress(
                enumerate(handle, start=2), desc="Lecture de l'Annuaire Santé", unit=" lignes"
            )
            for number, raw in lines:
                row = self._parse(number, raw, index, width)
                if row is not None:
                    self.stats.kept += 1
                    yield row

    def _parse(self, number: int, raw: bytes, index: dict, width: int) -> ActivityRow | None:
        stats = self.stats
        try:
            text = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            stats.lines += 1
            stats.add_error(number, "caractères non UTF-8")
            return None
        if not text.strip():
            return None
        stats.lines += 1
        if "\x00" in text:  # PostgreSQL refuses NUL characters in text
            stats.add_error(number, "caractère nul (NUL) dans la ligne")
            return None
        fields = text.split(SEPARATOR)
        if len(fields) == width + 1 and fields[-1] == "":
            fields.pop()
        if len(fields) != width:
            stats.add_error(number, f"{len(fields)} colonnes au lieu de {width}")
            return None

        def get(column: str) -> str:
            position = index.get(column)
            return fields[position].strip() if position is not None else ""

        g15 = get(COL_PROFESSION)
        if g15 not in PROFESSION_BY_G15:
            stats.skipped_professions[get(COL_PROFESSION_LABEL) or g15 or "(vide)"] += 1
            return None
        identifier = get(COL_ID)
        if not identifier:
            stats.add_error(number, "identifiant PP manquant")
            return None
        kind = ID_TYPE_KINDS.get(get(COL_ID_TYPE)) or (
            rules.KIND_RPPS if len(identifier) == 11 else rules.KIND_ADELI
        )
        error = rules.identifier_error(identifier, kind, rules.SOURCE_ANNUAIRE)
        if error:
            stats.add_error(number, f"identifiant {identifier!r} invalide : {error}")
            return None
        last_name = get(COL_LAST_NAME)
        if not last_name:
            stats.add_error(number, f"nom d'exercice manquant ({identifier})")
            return None
        profession, specialty = _profession_and_specialty(
            g15, get(COL_SKILL), get(COL_SKILL_LABEL), get(COL_PHARMACIST_SECTION)
        )
        mode_code = get(COL_MODE)
        site_mode = SITE_MODE_BY_CODE.get(mode_code)
        if mode_code == VOLUNTEER_MODE:
            stats.volunteer_lines += 1
        row = ActivityRow(
            line=number,
            identifier=identifier,
            identifier_kind=kind,
            last_name=last_name[:100],
            first_name=get(COL_FIRST_NAME)[:100],
            profession_code=profession,
            specialty=specialty[:150],
            site_mode=site_mode,
        )
        if site_mode is None:
            return row
        return replace(
            row,
            structure_name=(get(COL_COMPANY_NAME) or get(COL_TRADE_NAME))[:200],
            address=_address(get)[:300],
            commune_code=get(COL_COMMUNE),
            site_identifier=(get(COL_STRUCTURE_ID) or get(COL_SIRET) or get(COL_FINESS))[:50],
        )
