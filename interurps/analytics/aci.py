"""ACI CPTS funding rules: size category, versioned amount table and funding breakdown.

Pure Python (stdlib only, no Django import) model of the funding of a CPTS under the
« Accord conventionnel interprofessionnel en faveur du développement de l'exercice coordonné
et du déploiement des communautés professionnelles territoriales de santé » (ACI CPTS),
signed on 20 June 2019 and amended by later avenants (notably avenant 2 of 20 December 2021).

Every amount of the table carries its source and a ``confirmed`` flag. A figure is
*confirmed* only when it was read in a source quoted below; nothing was taken from memory.
Where no source could be read, the figure is left empty (``None``) and the breakdown says
« montant non confirmé » instead of inventing a number.

Sources actually read (public copies, consulted while writing this module)
---------------------------------------------------------------------------
[JORF-2019]  Arrêté du 21 août 2019 portant approbation de l'ACI CPTS, JORF n°0196 du
             24 août 2019, annexe, articles 8 (fin) and 9.1 — https://juriblio.fr/arretes/
             arrete-du-21-aout-2019/173172467/annexe/307390210 (only the passage on art. 9.1
             was readable: fonctionnement paid in full at signature, then a 75 % advance).
[EFFET-2019] lescentresdesante.com, « CPTS – Episode 2 » : « L'ACI des CPTS est entré en
             vigueur le 25 août 2019 ».
[SENAT-2025] Sénat, rapport d'information n° 32 (2025-2026) de la MECSS sur les CPTS,
             https://www.senat.fr/rap/r25-032/r25-0325.html : fonctionnement « compris entre
             50 000 et 90 000 euros » ; 75 % of the fixed part paid at mission start, prorated
             to the contract anniversary, balance at the anniversary.
[QDM-2019]   Le Quotidien du médecin, 21/11/2019, « Missions, financement, montants : le
             b.a.-ba » : maximum yearly aid 220 000 / 287 000 / 370 000 / 450 000 € for sizes
             1-4, « montants maximum (qui incluent le financement spécifique lié à
             l'organisation des soins non programmés) » ; sizes « en dessous de 40 000 »,
             « entre 40 000 et 80 000 », « entre 80 000 et 175 000 », « au-delà de 175 000 ».
[PAPS-HDF]   PAPS Hauts-de-France, « Le financement de la CPTS : l'ACI » (updated 30/11/2023):
             sizes « < 40 000 », « Entre 40 et 80 000 », « Entre 80 et 175 000 »,
             « > 175 000 habitants ».
[AMELI-AV2]  ameli.fr, « ACI : signature d'un avenant favorisant l'exercice coordonné et la
             création de CPTS » : avenant 2 signed on 20 December 2021; new core mission
             « crises sanitaires graves » (4 missions socles).
[ACOORDE]    acoorde.fr, « Créer une CPTS » : avenant 2 « publié au J.O. du 31 mars 2022 ».
[FMF-2020]   FMF, https://fmfpro.org/?p=2134 (Nov. 2020, draft of avenant 2, article 1):
             +75 % of the fonctionnement amount paid at signature, « les montants passent
             donc à 87 500, 105 000, 131 250 et 157 500 € ». Same figures in Le Pharmacien de
             France (« La Cnam remet au pot ») and Le Quotidien du médecin (« Accord interpro :
             le nouveau compromis que propose la CNAM »): all describe the *draft*.

Confirmed figures
-----------------
- Size categories: < 40 000 / 40 000-80 000 / 80 000-175 000 / > 175 000 inhabitants
  [PAPS-HDF], [QDM-2019]. Read literally: « moins de / < 40 000 » excludes 40 000 (size 2),
  « entre 40 000 et 80 000 » and « entre 80 000 et 175 000 » include their upper bound,
  « au-delà de / > 175 000 » excludes 175 000: 40 000 -> 2, 80 000 -> 2, 175 000 -> 3
  (see ``size_category``).
- 2019 fonctionnement 50 000 / 60 000 / 75 000 / 90 000 €: 50 000 and 90 000 read in
  [SENAT-2025]; 60 000 and 75 000 derived from [FMF-2020] (105 000 / 1.75 and
  131 250 / 1.75) — the four values are consistent with the +75 % draft.
- 2019 annual ceiling, all missions including unscheduled care, fonctionnement included
  (« aide totale versée »): 220 000 / 287 000 / 370 000 / 450 000 € [QDM-2019].
  Hence the 2019 mission envelope, all missions together, is 170 000 / 227 000 / 295 000 /
  360 000 € (ceiling minus fonctionnement); it could NOT be split per mission.
- 2019 entry into force 25 August 2019 [EFFET-2019], JO of 24 August 2019 [JORF-2019].
- Payment schedule (fonctionnement in full at signature then 75 % advance [JORF-2019] art.
  9.1; fixed parts 75 % at mission start, prorated, balance at anniversary [SENAT-2025]).
- Avenant 2 signed 20 December 2021 and introduces the « crises sanitaires graves » mission
  [AMELI-AV2].

NOT confirmed (``confirmed=False``)
-----------------------------------
- Every per-mission fixed (« moyens ») and variable (« actions et résultats ») maximum, in
  both versions: the tables of article 8 of the ACI and of avenant 2 could not be read.
  They are left empty (``None``) and reported as « montant non confirmé ».
- Avenant 2 fonctionnement 87 500 / 105 000 / 131 250 / 157 500 €: only read in press
  reports of the November 2020 *draft* [FMF-2020]; the published text was not read, and
  whether the +75 % is yearly or only the amount paid at signature is unclear.
- Avenant 2 annual ceiling: unknown (``None``).
- Avenant 2 entry into force: 2022-04-01 is assumed (day after the JO of 31 March 2022
  reported by [ACOORDE], not checked on Légifrance).
- Later avenants are not modelled.

Example
-------
>>> from datetime import date
>>> b = compute_funding(population=50_000, signed_on=date(2020, 3, 1))
>>> b.size_category, b.version_name, b.total_maximum
(2, 'ACI CPTS 2019', 60000)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from numbers import Real
from zoneinfo import ZoneInfo

# --- Mission codes (shared with the Django app) -------------------------------------------

ACCESS_PHYSICIAN = "acces_medecin_traitant"
ACCESS_UNSCHEDULED = "acces_soins_non_programmes"
CARE_PATHWAYS = "parcours"
PREVENTION = "prevention"
HEALTH_CRISES = "crises_sanitaires"
QUALITY = "qualite_pertinence"
PROFESSIONAL_SUPPORT = "accompagnement_professionnels"

#: Core missions (« missions socles »); access to care is split in two funding lines.
CORE_MISSIONS = (ACCESS_PHYSICIAN, ACCESS_UNSCHEDULED, CARE_PATHWAYS, PREVENTION, HEALTH_CRISES)
#: Optional missions (« missions complémentaires »).
OPTIONAL_MISSIONS = (QUALITY, PROFESSIONAL_SUPPORT)
MISSION_CODES = CORE_MISSIONS + OPTIONAL_MISSIONS

MISSION_LABELS = {
    ACCESS_PHYSICIAN: "Accès aux soins : accès à un médecin traitant",
    ACCESS_UNSCHEDULED: "Accès aux soins : soins non programmés",
    CARE_PATHWAYS: "Organisation de parcours pluriprofessionnels autour du patient",
    PREVENTION: "Développement d'actions coordonnées de prévention",
    HEALTH_CRISES: "Réponse aux crises sanitaires graves",
    QUALITY: "Développement de la qualité et de la pertinence des soins",
    PROFESSIONAL_SUPPORT: "Accompagnement des professionnels de santé sur le territoire",
}

OPERATING = "fonctionnement"
KIND_OPERATING = "fonctionnement"
KIND_FIXED = "fixe"
KIND_VARIABLE = "variable"

SIZE_CATEGORIES = (1, 2, 3, 4)
NOT_CONFIRMED = "montant non confirmé"
PARIS = ZoneInfo("Europe/Paris")
CENT = Decimal("0.01")

# Size bounds, read literally in [PAPS-HDF] « < 40 000 », « Entre 40 et 80 000 »,
# « Entre 80 et 175 000 », « > 175 000 habitants » and [QDM-2019] « en dessous de 40 000 »,
# « entre 40 000 et 80 000 », « entre 80 000 et 175 000 », « au-delà de 175 000 »:
# size 1 is strictly below 40 000; « entre A et B » includes B, so 80 000 is size 2 and
# 175 000 is size 3; size 4 is strictly above 175 000.
#: Smallest population of size 2 (inclusive).
SIZE_2_FROM = 40_000
#: Largest population of sizes 2 and 3 (inclusive).
SIZE_UPPER_BOUNDS = (80_000, 175_000)


# --- Amount table ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One amount of the ACI, by size category, with its provenance.

    Parameters
    ----------
    by_size : tuple of 4 ``int`` or ``None``
        Yearly maximum in euros for sizes 1, 2, 3 and 4; ``None`` when unknown.
    source : str
        Article / annexe of the text and the document it was read in.
    confirmed : bool
        ``True`` only if the amounts were read in the cited source.
    note : str
        Free explanation, mandatory when ``confirmed`` is ``False``.

    Examples
    --------
    >>> Figure((1, 2, 3, 4), source="test", confirmed=True).for_size(3)
    3
    """

    by_size: tuple[int | None, int | None, int | None, int | None]
    source: str
    confirmed: bool
    note: str = ""

    def __post_init__(self):
        if len(self.by_size) != len(SIZE_CATEGORIES):
            raise ValueError(f"Un montant doit être donné pour les 4 tailles : {self.by_size!r}")
        for value in self.by_size:
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise ValueError(f"Montant invalide (entier en euros attendu) : {value!r}")
            if value is not None and value < 0:
                raise ValueError(f"Montant négatif : {value!r}")
        if not self.confirmed and not self.note:
            raise ValueError("Un montant non confirmé doit être accompagné d'une note.")

    def for_size(self, size: int) -> int | None:
        """Return the amount for `size` (1 to 4), or ``None`` when unknown."""
        if size not in SIZE_CATEGORIES:
            raise ValueError(f"Taille de CPTS invalide : {size!r} (attendu 1, 2, 3 ou 4).")
        return self.by_size[size - 1]


def unknown(source: str, note: str) -> Figure:
    """A figure whose amounts could not be read in any source (all sizes ``None``)."""
    return Figure((None, None, None, None), source=source, confirmed=False, note=note)


@dataclass(frozen=True)
class MissionFunding:
    """Fixed (« moyens ») and variable (« actions et résultats ») maxima of one mission."""

    fixed: Figure
    variable: Figure


@dataclass(frozen=True)
class AciVersion:
    """One state of the ACI amounts, applying from `effective_from`.

    Parameters
    ----------
    name, source : str
        Human name and legal reference of the text.
    effective_from : date
        First day the amounts apply.
    operating : Figure
        Yearly fonctionnement amount.
    missions : Mapping[str, MissionFunding]
        Missions provided for by this version; a mission code absent from it did not exist
        in this version (e.g. « crises sanitaires » before avenant 2).
    annual_ceiling : Figure or None
        Yearly maximum of all lines together (fonctionnement and all missions), if known.
    effective_from_confirmed : bool
        Whether `effective_from` was read in a source.
    note : str
        Remarks shown to administrators.
    """

    name: str
    effective_from: date
    source: str
    operating: Figure
    missions: Mapping[str, MissionFunding]
    annual_ceiling: Figure | None = None
    effective_from_confirmed: bool = True
    note: str = ""

    def __post_init__(self):
        unknown_codes = set(self.missions) - set(MISSION_CODES)
        if unknown_codes:
            raise ValueError(f"Codes de mission inconnus : {', '.join(sorted(unknown_codes))}")

    def mission_envelope(self, size: int) -> int | None:
        """Yearly envelope of all missions together: ceiling minus fonctionnement.

        ``None`` when either figure is unknown. For the 2019 agreement this is the only
        confirmed statement about mission funding (it is not split per mission).
        """
        ceiling = self.annual_ceiling.for_size(size) if self.annual_ceiling else None
        operating = self.operating.for_size(size)
        if ceiling is None or operating is None:
            return None
        return ceiling - operating


SOURCE_2019 = (
    "ACI CPTS signé le 20 juin 2019, approuvé par arrêté du 21 août 2019 "
    "(JORF n°0196 du 24 août 2019), entré en vigueur le 25 août 2019"
)
SOURCE_AV2 = (
    "Avenant 2 à l'ACI CPTS signé le 20 décembre 2021 (ameli.fr), "
    "publié au JO du 31 mars 2022 (acoorde.fr, non vérifié sur Légifrance)"
)
_ART8_2019 = "ACI 2019, art. 8 (tableaux par mission)"
_NOTE_MISSION_2019 = (
    "Montant par mission non confirmé : le tableau de l'art. 8 de l'ACI n'a pas pu être lu. "
    "Seul le plafond global toutes missions est confirmé (Le Quotidien du médecin, "
    "21/11/2019)."
)
_NOTE_ACCESS_2019 = (
    "En 2019, l'accès aux soins (médecin traitant et soins non programmés, avec un "
    "financement spécifique pour les soins non programmés) forme une seule mission socle ; "
    "la répartition entre les deux lignes n'a pas pu être lue. "
)
_AV2_MISSIONS = "Avenant 2, tableaux des missions"
_NOTE_MISSION_AV2 = (
    "Montant par mission non confirmé : le texte publié de l'avenant 2 n'a pas pu être lu."
)


def _unknown_mission(source: str, note: str) -> MissionFunding:
    return MissionFunding(fixed=unknown(source, note), variable=unknown(source, note))


ACI_2019 = AciVersion(
    name="ACI CPTS 2019",
    # [EFFET-2019] « entré en vigueur le 25 août 2019 »; JO n°0196 of 24 August 2019
    # [JORF-2019].
    effective_from=date(2019, 8, 25),
    source=SOURCE_2019,
    operating=Figure(
        # ACI 2019, art. 8 (fonctionnement) — 50 000 and 90 000 read in [SENAT-2025]
        # (« entre 50 000 et 90 000 euros »); 60 000 and 75 000 derived from the avenant 2
        # draft figures 105 000 and 131 250 = +75 % [FMF-2020].
        (50_000, 60_000, 75_000, 90_000),
        source=(
            "ACI 2019, art. 8 et 9.1 — bornes 50 000 / 90 000 € : rapport Sénat n° 32 "
            "(2025-2026) ; 60 000 / 75 000 € : déduits des montants +75 % du projet "
            "d'avenant 2 (FMF, nov. 2020)"
        ),
        confirmed=True,
        note="60 000 et 75 000 € déduits (105 000 / 1,75 et 131 250 / 1,75).",
    ),
    missions={
        ACCESS_PHYSICIAN: _unknown_mission(_ART8_2019, _NOTE_ACCESS_2019 + _NOTE_MISSION_2019),
        ACCESS_UNSCHEDULED: _unknown_mission(_ART8_2019, _NOTE_ACCESS_2019 + _NOTE_MISSION_2019),
        CARE_PATHWAYS: _unknown_mission(_ART8_2019, _NOTE_MISSION_2019),
        PREVENTION: _unknown_mission(_ART8_2019, _NOTE_MISSION_2019),
        # No HEALTH_CRISES: the mission was introduced by avenant 2 [AMELI-AV2].
        QUALITY: _unknown_mission(_ART8_2019, _NOTE_MISSION_2019),
        PROFESSIONAL_SUPPORT: _unknown_mission(_ART8_2019, _NOTE_MISSION_2019),
    },
    annual_ceiling=Figure(
        # [QDM-2019]: « jusqu'à 220 000 euros par an pour la taille 1 [...] 287 000 [...]
        # 370 000 [...] 450 000 euros pour la taille 4 », soins non programmés included.
        (220_000, 287_000, 370_000, 450_000),
        source=(
            "ACI 2019, art. 8 — plafond annuel toutes missions, soins non programmés "
            "compris : Le Quotidien du médecin, 21/11/2019"
        ),
        confirmed=True,
        note="« Aide totale versée » : interprété comme incluant le fonctionnement.",
    ),
    note=(
        "Missions socles : accès aux soins, parcours, prévention ; missions complémentaires : "
        "qualité et pertinence, accompagnement des professionnels."
    ),
)

ACI_AVENANT_2 = AciVersion(
    name="ACI CPTS avenant 2",
    # Signed 20 December 2021 [AMELI-AV2]; JO of 31 March 2022 [ACOORDE]. Assumed to apply
    # from the day after publication: not confirmed.
    effective_from=date(2022, 4, 1),
    effective_from_confirmed=False,
    source=SOURCE_AV2,
    operating=Figure(
        # Draft avenant 2, article 1, as reported by [FMF-2020] (« les montants passent donc à
        # 87 500, 105 000, 131 250 et 157 500 € ») and by Le Pharmacien de France / Le
        # Quotidien du médecin. The published text was not read.
        (87_500, 105_000, 131_250, 157_500),
        source=(
            "Avenant 2, art. 1 (fonctionnement +75 %) — d'après le projet de novembre 2020 "
            "rapporté par la FMF, Le Pharmacien de France et Le Quotidien du médecin"
        ),
        confirmed=False,
        note=(
            "Montants du projet d'avenant (2020), texte publié non lu ; on ne sait pas si la "
            "majoration de 75 % est annuelle ou limitée au versement à la signature."
        ),
    ),
    missions={code: _unknown_mission(_AV2_MISSIONS, _NOTE_MISSION_AV2) for code in MISSION_CODES},
    annual_ceiling=None,
    note=(
        "Ajoute la mission socle « réponse aux crises sanitaires graves » (ameli.fr). "
        "Les avenants postérieurs ne sont pas modélisés."
    ),
)

#: Known versions, oldest first.
ACI_VERSIONS: tuple[AciVersion, ...] = (ACI_2019, ACI_AVENANT_2)


# --- Rules -------------------------------------------------------------------------------------


def size_category(population: int) -> int:
    """Return the ACI size category (1 to 4) of a CPTS covering `population` inhabitants.

    Parameters
    ----------
    population : int
        Inhabitants of the CPTS territory (zero or more).

    Returns
    -------
    int
        1 below 40 000, 2 from 40 000 to 80 000, 3 from 80 001 to 175 000, 4 above
        175 000 (« moins de 40 000 », « entre 40 000 et 80 000 », « entre 80 000 et
        175 000 », « au-delà de 175 000 »).

    Raises
    ------
    ValueError
        If `population` is negative or not an integer.

    Examples
    --------
    >>> [size_category(p) for p in (39_999, 40_000, 80_000, 80_001, 175_000, 175_001)]
    [1, 2, 2, 3, 3, 4]
    """
    if isinstance(population, bool) or not isinstance(population, int):
        raise ValueError(f"La population doit être un nombre entier : {population!r}.")
    if population < 0:
        raise ValueError(f"La population ne peut pas être négative : {population}.")
    if population < SIZE_2_FROM:
        return 1
    return 2 + sum(population > bound for bound in SIZE_UPPER_BOUNDS)


def today_in_france() -> date:
    """Today's date in Europe/Paris (the default `as_of`)."""
    return datetime.now(PARIS).date()


def version_for(
    signed_on: date | None,
    as_of: date,
    versions: Sequence[AciVersion] = ACI_VERSIONS,
) -> AciVersion:
    """Return the version of the ACI whose amounts apply on `as_of`.

    Avenants apply to contracts already running, so the version depends on `as_of` only;
    `signed_on` is checked for consistency.

    Parameters
    ----------
    signed_on : date or None
        Signature date of the CPTS contract, if known.
    as_of : date
        Date at which the amounts are wanted.
    versions : sequence of AciVersion
        Table to choose from (defaults to ``ACI_VERSIONS``).

    Raises
    ------
    ValueError
        If no version is in force on `as_of`, if `signed_on` predates the ACI or if
        `as_of` is before `signed_on`.

    Examples
    --------
    >>> version_for(date(2020, 1, 1), date(2023, 1, 1)).name
    'ACI CPTS avenant 2'
    """
    if not versions:
        raise ValueError("Aucune version de l'ACI n'est définie.")
    first = min(v.effective_from for v in versions)
    if signed_on is not None and signed_on < first:
        raise ValueError(
            f"Date de signature {signed_on.isoformat()} antérieure à l'entrée en vigueur de "
            f"l'ACI CPTS ({first.isoformat()})."
        )
    if signed_on is not None and as_of < signed_on:
        raise ValueError(
            f"Date de calcul {as_of.isoformat()} antérieure à la signature du contrat "
            f"({signed_on.isoformat()})."
        )
    applicable = [v for v in versions if v.effective_from <= as_of]
    if not applicable:
        raise ValueError(
            f"Aucune version de l'ACI CPTS n'est en vigueur au {as_of.isoformat()} "
            f"(première version : {first.isoformat()})."
        )
    return max(applicable, key=lambda v: v.effective_from)


def validate_missions(missions: Mapping[str, float] | None) -> dict[str, Decimal]:
    """Check mission codes and achievement rates; return rates as ``Decimal``.

    Raises
    ------
    ValueError
        Naming the unknown code or the rate outside [0, 1].

    Examples
    --------
    >>> validate_missions({"prevention": 0.5})
    {'prevention': Decimal('0.5')}
    """
    rates: dict[str, Decimal] = {}
    for code, rate in (missions or {}).items():
        if code not in MISSION_CODES:
            raise ValueError(
                f"Code de mission inconnu : {code}. Codes possibles : {', '.join(MISSION_CODES)}."
            )
        if (
            isinstance(rate, bool)
            or not isinstance(rate, Real | Decimal)
            or not math.isfinite(rate)
            or not 0 <= rate <= 1
        ):
            raise ValueError(
                f"Taux d'atteinte invalide pour la mission {code} : {rate!r} "
                "(attendu un nombre entre 0 et 1)."
            )
        rates[code] = Decimal(str(rate))
    return rates


def prorated_fixed_advance(annual_fixed: int, months_remaining: int) -> Decimal:
    """First-year advance on a mission's fixed part: 75 % prorated to the contract year.

    Parameters
    ----------
    annual_fixed : int
        Yearly fixed part of the mission, in euros.
    months_remaining : int
        Whole months from the mission start to the contract anniversary (0 to 12).

    Examples
    --------
    >>> prorated_fixed_advance(20_000, 6)
    Decimal('7500.00')
    """
    if not 0 <= months_remaining <= 12:
        raise ValueError(f"Nombre de mois restant invalide : {months_remaining} (0 à 12).")
    if annual_fixed < 0:
        raise ValueError(f"Part fixe négative : {annual_fixed}.")
    advance = Decimal(annual_fixed) * Decimal("0.75") * months_remaining / 12
    return advance.quantize(CENT, rounding=ROUND_HALF_UP)


# --- Breakdown ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundingLine:
    """One line of a funding breakdown (fonctionnement, or one part of one mission)."""

    label: str
    mission: str
    kind: str
    maximum: int | None
    amount: Decimal | None
    source: str
    confirmed: bool
    achievement: Decimal | None = None
    note: str = ""

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "mission": self.mission,
            "kind": self.kind,
            "maximum": self.maximum,
            "amount": None if self.amount is None else float(self.amount),
            "achievement": None if self.achievement is None else float(self.achievement),
            "source": self.source,
            "confirmed": self.confirmed,
            "note": self.note,
        }


@dataclass(frozen=True)
class FundingBreakdown:
    """Expected yearly ACI funding of a CPTS.

    ``total_maximum`` and ``total_amount`` only add the lines that have a figure; when
    ``complete`` is ``False`` some lines are « montant non confirmé » and the totals are
    lower bounds. ``annual_ceiling`` is the version's maximum for all missions together.
    """

    population: int
    size_category: int
    version_name: str
    version_source: str
    version_effective_from: date
    version_effective_from_confirmed: bool
    signed_on: date | None
    as_of: date
    lines: tuple[FundingLine, ...]
    total_maximum: int
    total_amount: Decimal
    complete: bool
    all_confirmed: bool
    annual_ceiling: int | None
    annual_ceiling_source: str
    annual_ceiling_confirmed: bool
    payment_schedule: tuple[str, ...] = field(default_factory=tuple)
    version_note: str = ""

    def as_dict(self) -> dict:
        """JSON-serialisable representation (dates as ISO strings, amounts as floats)."""
        return {
            "population": self.population,
            "size_category": self.size_category,
            "version": {
                "name": self.version_name,
                "source": self.version_source,
                "effective_from": self.version_effective_from.isoformat(),
                "effective_from_confirmed": self.version_effective_from_confirmed,
                "note": self.version_note,
            },
            "signed_on": self.signed_on.isoformat() if self.signed_on else None,
            "as_of": self.as_of.isoformat(),
            "lines": [line.as_dict() for line in self.lines],
            "total_maximum": self.total_maximum,
            "total_amount": float(self.total_amount),
            "complete": self.complete,
            "all_confirmed": self.all_confirmed,
            "annual_ceiling": {
                "amount": self.annual_ceiling,
                "source": self.annual_ceiling_source,
                "confirmed": self.annual_ceiling_confirmed,
            },
            "payment_schedule": list(self.payment_schedule),
        }


def _figure_line(
    figure: Figure,
    *,
    size: int,
    label: str,
    mission: str,
    kind: str,
    rate: Decimal | None = None,
) -> FundingLine:
    maximum = figure.for_size(size)
    if maximum is None:
        amount = None
        note = figure.note or NOT_CONFIRMED
    else:
        share = Decimal(maximum) if rate is None else Decimal(maximum) * rate
        amount = share.quantize(CENT, rounding=ROUND_HALF_UP)
        note = figure.note
    return FundingLine(
        label=label,
        mission=mission,
        kind=kind,
        maximum=maximum,
        amount=amount,
        source=figure.source,
        confirmed=figure.confirmed and maximum is not None,
        achievement=rate,
        note=note,
    )


def format_euros(value: int | Decimal | None) -> str:
    if value is None:
        return NOT_CONFIRMED
    text = f"{value:,.2f}".replace(",", " ").replace(".", ",")
    return (text[:-3] if text.endswith(",00") else text) + " €"


def _payment_schedule(lines: Sequence[FundingLine]) -> tuple[str, ...]:
    schedule = []
    operating = next(line for line in lines if line.kind == KIND_OPERATING)
    schedule.append(
        "À la signature du contrat : fonctionnement versé en totalité "
        f"({format_euros(operating.amount)}) ; les années suivantes, avance de 75 % au début "
        "de chaque année contractuelle et solde avec la rémunération de l'année "
        "(ACI 2019, art. 9.1)."
    )
    for line in lines:
        if line.kind != KIND_FIXED or line.maximum == 0:
            continue
        if line.maximum is None:
            advance = f"75 % de la part fixe ({NOT_CONFIRMED})"
        else:
            first = (Decimal(line.maximum) * Decimal("0.75")).quantize(CENT)
            advance = f"75 % de la part fixe, soit au plus {format_euros(first)}"
        schedule.append(
            f"Au démarrage de la mission « {MISSION_LABELS[line.mission]} » : {advance}, "
            "proratisés selon les mois restant jusqu'à la date anniversaire du contrat."
        )
    schedule.append(
        "À la date anniversaire du contrat : solde des parts fixes, parts variables selon "
        "l'atteinte des indicateurs, puis avance de 75 % pour l'année suivante "
        "(rapport Sénat n° 32, 2025-2026)."
    )
    return tuple(schedule)


def compute_funding(
    *,
    population: int,
    signed_on: date | None,
    missions: Mapping[str, float] | None = None,
    as_of: date | None = None,
    version: AciVersion | None = None,
) -> FundingBreakdown:
    """Compute the expected yearly ACI funding of a CPTS.

    Parameters
    ----------
    population : int
        Inhabitants of the CPTS territory.
    signed_on : date or None
        Signature date of the contract.
    missions : mapping of str to float, optional
        Mission code -> achievement rate of the variable part, in [0, 1] (1.0 = every
        indicator met). Missions absent from the mapping are not funded; the fixed part of
        a listed mission is due in full.
    as_of : date, optional
        Date of the amounts; defaults to `signed_on`, else today (Europe/Paris).
    version : AciVersion, optional
        Force a version instead of choosing it from `as_of` (used by tests and simulations).

    Returns
    -------
    FundingBreakdown

    Raises
    ------
    ValueError
        Negative population, unknown mission code, achievement outside [0, 1], or dates
        outside the ACI (see ``version_for``).

    Examples
    --------
    >>> from datetime import date
    >>> b = compute_funding(population=200_000, signed_on=date(2019, 10, 1),
    ...                     missions={"prevention": 0.5})
    >>> [(line.kind, line.maximum) for line in b.lines]
    [('fonctionnement', 90000), ('fixe', None), ('variable', None)]
    >>> b.complete, b.annual_ceiling
    (False, 450000)
    """
    size = size_category(population)
    rates = validate_missions(missions)
    if as_of is None:
        as_of = signed_on or today_in_france()
    if version is None:
        version = version_for(signed_on, as_of)

    lines = [
        _figure_line(
            version.operating,
            size=size,
            label="Fonctionnement de la CPTS",
            mission=OPERATING,
            kind=KIND_OPERATING,
        )
    ]
    for code in MISSION_CODES:  # stable, documented order
        if code not in rates:
            continue
        label = MISSION_LABELS[code]
        funding = version.missions.get(code)
        if funding is None:
            for kind in (KIND_FIXED, KIND_VARIABLE):
                lines.append(
                    FundingLine(
                        label=f"{label} — part {kind}",
                        mission=code,
                        kind=kind,
                        maximum=0,
                        amount=Decimal("0.00"),
                        source=version.source,
                        confirmed=True,
                        achievement=rates[code] if kind == KIND_VARIABLE else None,
                        note=f"Mission non prévue par la version « {version.name} ».",
                    )
                )
            continue
        lines.append(
            _figure_line(
                funding.fixed,
                size=size,
                label=f"{label} — part fixe (moyens)",
                mission=code,
                kind=KIND_FIXED,
            )
        )
        lines.append(
            _figure_line(
                funding.variable,
                size=size,
                label=f"{label} — part variable (actions et résultats)",
                mission=code,
                kind=KIND_VARIABLE,
                rate=rates[code],
            )
        )

    ceiling = version.annual_ceiling
    return FundingBreakdown(
        population=population,
        size_category=size,
        version_name=version.name,
        version_source=version.source,
        version_effective_from=version.effective_from,
        version_effective_from_confirmed=version.effective_from_confirmed,
        version_note=version.note,
        signed_on=signed_on,
        as_of=as_of,
        lines=tuple(lines),
        total_maximum=sum(line.maximum for line in lines if line.maximum is not None),
        total_amount=sum(
            (line.amount for line in lines if line.amount is not None), Decimal("0.00")
        ),
        complete=all(line.maximum is not None for line in lines),
        all_confirmed=all(line.confirmed for line in lines),
        annual_ceiling=ceiling.for_size(size) if ceiling else None,
        annual_ceiling_source=ceiling.source if ceiling else "",
        annual_ceiling_confirmed=bool(ceiling and ceiling.confirmed),
        payment_schedule=_payment_schedule(lines),
    )


# --- The signed contract of one CPTS -----------------------------------------------------------
#
# What a CPTS is paid depends on its own contract (« contrat tripartite » with the ARS and
# the CPAM): the amounts of fonctionnement and of each mission's fixed and variable parts,
# per contract year, and each year's achievement of the indicators. The national tables
# above serve only as confirmed ceilings (an amount above one gets a warning) and as
# defaults when the contract is entered.
#
# Payment schedule applied (sources quoted in ``_payment_schedule``):
# - fonctionnement: in full at signature for year 1 ([JORF-2019] art. 9.1); from year 2,
#   75 % at the start of the contract year and the balance at its anniversary;
# - fixed part of a mission: due from the mission's start, prorated in whole months to the
#   anniversary when the mission starts during the year; 75 % at the start (of the year, or
#   of the mission) and the balance at the anniversary ([SENAT-2025]);
# - variable part: at the anniversary, contract amount x achievement rate of the year.

CONTRACT_YEARS_MAX = 5


@dataclass(frozen=True)
class ContractMission:
    """One mission's amounts in one contract year, as signed, and the year's achievement.

    ``achievement`` is the rate in [0, 1] of the variable part reached, ``None`` while the
    indicators have not been assessed. ``started_on`` is the mission's start (``None``: it
    runs from the start of the contract year).
    """

    mission: str
    fixed: Decimal
    variable: Decimal
    achievement: Decimal | None = None
    started_on: date | None = None


@dataclass(frozen=True)
class ContractYear:
    """One contract year: its number (1 = the year starting at signature), the
    fonctionnement amount and the missions' amounts."""

    number: int
    operating: Decimal
    missions: tuple[ContractMission, ...] = ()


@dataclass(frozen=True)
class Payment:
    due_on: date
    label: str
    amount: Decimal


@dataclass(frozen=True)
class ContractLine:
    """One line of a contract year: its contract amount, what is due for the year, what is
    paid by the date of the computation, and the confirmed national ceiling if any."""

    label: str
    mission: str
    kind: str
    contract_amount: Decimal
    expected: Decimal
    paid: Decimal
    achievement: Decimal | None = None
    ceiling: int | None = None

    @property
    def above_ceiling(self) -> bool:
        return self.ceiling is not None and self.contract_amount > self.ceiling


@dataclass(frozen=True)
class ContractYearFunding:
    number: int
    starts_on: date
    anniversary: date
    version_name: str
    lines: tuple[ContractLine, ...]
    payments: tuple[Payment, ...]
    annual_ceiling: int | None
    warnings: tuple[str, ...]
    pending_assessment: bool

    @property
    def contract_total(self) -> Decimal:
        return sum((line.contract_amount for line in self.lines), Decimal("0.00"))

    @property
    def expected(self) -> Decimal:
        return sum((line.expected for line in self.lines), Decimal("0.00"))

    @property
    def paid(self) -> Decimal:
        return sum((line.paid for line in self.lines), Decimal("0.00"))


@dataclass(frozen=True)
class ContractFunding:
    signed_on: date
    size_category: int
    as_of: date
    years: tuple[ContractYearFunding, ...]

    @property
    def expected(self) -> Decimal:
        return sum((year.expected for year in self.years), Decimal("0.00"))

    @property
    def paid(self) -> Decimal:
        return sum((year.paid for year in self.years), Decimal("0.00"))

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(w for year in self.years for w in year.warnings)

    def current_year(self) -> ContractYearFunding | None:
        """The contract year running on `as_of` (the last one once the contract is over)."""
        running = [y for y in self.years if y.starts_on <= self.as_of < y.anniversary]
        if running:
            return running[0]
        past = [y for y in self.years if y.starts_on <= self.as_of]
        return past[-1] if past else None


def add_years(day: date, years: int) -> date:
    """`day` moved by whole years; 29 February becomes 28 February in other years.

    >>> add_years(date(2024, 2, 29), 1)
    datetime.date(2025, 2, 28)
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def contract_year_bounds(signed_on: date, number: int) -> tuple[date, date]:
    """First day and anniversary (first day of the next year) of contract year `number`.

    >>> contract_year_bounds(date(2021, 3, 12), 2)
    (datetime.date(2022, 3, 12), datetime.date(2023, 3, 12))
    """
    if not 1 <= number <= CONTRACT_YEARS_MAX:
        raise ValueError(f"Année de contrat invalide : {number} (de 1 à {CONTRACT_YEARS_MAX}).")
    return add_years(signed_on, number - 1), add_years(signed_on, number)


def whole_months(start: date, end: date) -> int:
    """Whole months from `start` to `end` (0 when `end` is not after `start`).

    >>> whole_months(date(2021, 9, 1), date(2022, 3, 12))
    6
    >>> whole_months(date(2021, 3, 12), date(2022, 3, 12))
    12
    """
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _check_amount(value, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError(f"{what} : montant invalide ({value!r}), un nombre d'euros est attendu.")
    value = Decimal(value)
    if not value.is_finite() or value < 0:
        raise ValueError(f"{what} : le montant doit être positif ou nul ({value}).")
    return value


def _check_rate(value, what: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError(f"{what} : taux d'atteinte invalide ({value!r}).")
    value = Decimal(value)
    if not value.is_finite() or not 0 <= value <= 1:
        raise ValueError(f"{what} : le taux d'atteinte doit être compris entre 0 et 1 ({value}).")
    return value


def _split(total: Decimal, first_on: date, balance_on: date, as_of: date, share=Decimal("0.75")):
    """What of `total` is paid by `as_of`: `share` on `first_on`, the rest on `balance_on`."""
    advance = _money(total * share)
    paid = Decimal("0.00")
    if first_on <= as_of:
        paid += advance
    if balance_on <= as_of:
        paid += total - advance
    return advance, paid


def compute_contract(
    *,
    signed_on: date,
    population: int,
    years: Sequence[ContractYear],
    as_of: date,
    versions: Sequence[AciVersion] = ACI_VERSIONS,
) -> ContractFunding:
    """Expected and paid amounts of a CPTS's own ACI contract, year by year.

    Parameters
    ----------
    signed_on : date
        Signature of the contract: contract year n runs from the (n-1)th anniversary.
    population : int
        Inhabitants of the territory, for the size category of the national ceilings.
    years : sequence of ContractYear
        The contract's amounts, at most one per year number (1 to 5).
    as_of : date
        Date of the computation: payments due by then count as paid.
    versions : sequence of AciVersion
        National tables: only their *confirmed* figures are used, as ceilings.

    Returns
    -------
    ContractFunding
        Per year: the lines (fonctionnement, each mission's fixed and variable parts) with
        the contract amount, the amount due for the year, the amount paid by `as_of` and the
        confirmed ceiling; the dated payments; warnings for amounts above a confirmed
        ceiling. A variable part whose achievement is not assessed is due 0 and the year is
        flagged ``pending_assessment``.

    Raises
    ------
    ValueError
        On a negative amount, a rate outside [0, 1], an unknown mission, a repeated year
        or mission, or a year number outside 1-5.

    Examples
    --------
    >>> year = ContractYear(1, Decimal(60000), (ContractMission(
    ...     "prevention", Decimal(10000), Decimal(10000), Decimal("0.5")),))
    >>> result = compute_contract(signed_on=date(2021, 3, 12), population=50_000,
    ...                           years=[year], as_of=date(2022, 3, 12))
    >>> result.expected, result.paid
    (Decimal('75000.00'), Decimal('75000.00'))
    """
    size = size_category(population)
    numbers = [year.number for year in years]
    if len(set(numbers)) != len(numbers):
        raise ValueError("Une année de contrat est donnée deux fois.")
    results = []
    for year in sorted(years, key=lambda y: y.number):
        starts_on, anniversary = contract_year_bounds(signed_on, year.number)
        version = version_for(None, starts_on, versions)
        operating = _check_amount(year.operating, f"Année {year.number}, fonctionnement")
        operating_ceiling = (
            version.operating.for_size(size) if version.operating.confirmed else None
        )
        lines, payments, warnings = [], [], []
        if year.number == 1:
            advance, paid = _split(operating, starts_on, starts_on, as_of, share=Decimal(1))
            payments.append(Payment(starts_on, "Fonctionnement (versé à la signature)", operating))
        else:
            advance, paid = _split(operating, starts_on, anniversary, as_of)
            payments.append(Payment(starts_on, "Fonctionnement — avance de 75 %", advance))
            payments.append(Payment(anniversary, "Fonctionnement — solde", operating - advance))
        lines.append(
            ContractLine(
                label="Fonctionnement de la CPTS",
                mission=OPERATING,
                kind=KIND_OPERATING,
                contract_amount=_money(operating),
                expected=_money(operating),
                paid=paid,
                ceiling=operating_ceiling,
            )
        )
        seen = set()
        pending = False
        for code in MISSION_CODES:
            entries = [m for m in year.missions if m.mission == code]
            if len(entries) > 1:
                raise ValueError(f"Année {year.number} : la mission {code} est donnée deux fois.")
            if not entries:
                continue
            seen.add(code)
            entry = entries[0]
            label = MISSION_LABELS[code]
            where = f"Année {year.number}, {label}"
            fixed = _check_amount(entry.fixed, f"{where}, part fixe")
            variable = _check_amount(entry.variable, f"{where}, part variable")
            rate = _check_rate(entry.achievement, where)
            start = max(starts_on, entry.started_on or starts_on)
            months = whole_months(start, anniversary)
            due_fixed = fixed if start == starts_on else _money(fixed * months / 12)
            fixed_advance, fixed_paid = _split(due_fixed, start, anniversary, as_of)
            if due_fixed:
                payments.append(
                    Payment(start, f"{label} — part fixe, avance de 75 %", fixed_advance)
                )
                payments.append(
                    Payment(anniversary, f"{label} — part fixe, solde", due_fixed - fixed_advance)
                )
            lines.append(
                ContractLine(
                    label=f"{label} — part fixe (moyens)",
                    mission=code,
                    kind=KIND_FIXED,
                    contract_amount=_money(fixed),
                    expected=_money(due_fixed),
                    paid=fixed_paid,
                )
            )
            due_variable = Decimal("0.00") if rate is None else _money(variable * rate)
            pending = pending or (rate is None and variable > 0)
            if due_variable:
                payments.append(
                    Payment(
                        anniversary,
                        f"{label} — part variable (atteinte des indicateurs)",
                        due_variable,
                    )
                )
            lines.append(
                ContractLine(
                    label=f"{label} — part variable (actions et résultats)",
                    mission=code,
                    kind=KIND_VARIABLE,
                    contract_amount=_money(variable),
                    expected=due_variable,
                    paid=due_variable if anniversary <= as_of else Decimal("0.00"),
                    achievement=rate,
                )
            )
        unknown_codes = {m.mission for m in year.missions} - set(MISSION_CODES)
        if unknown_codes:
            raise ValueError(f"Codes de mission inconnus : {', '.join(sorted(unknown_codes))}.")
        ceiling = (
            version.annual_ceiling.for_size(size)
            if version.annual_ceiling is not None and version.annual_ceiling.confirmed
            else None
        )
        if operating_ceiling is not None and operating > operating_ceiling:
            warnings.append(
                f"Année {year.number} : fonctionnement de {format_euros(_money(operating))} "
                f"au-dessus du plafond confirmé de {format_euros(operating_ceiling)} "
                f"(taille {size}, {version.name})."
            )
        total = sum((line.contract_amount for line in lines), Decimal("0.00"))
        if ceiling is not None and total > ceiling:
            warnings.append(
                f"Année {year.number} : total du contrat de {format_euros(total)} au-dessus "
                f"du plafond annuel confirmé de {format_euros(ceiling)} "
                f"(taille {size}, {version.name})."
            )
        results.append(
            ContractYearFunding(
                number=year.number,
                starts_on=starts_on,
                anniversary=anniversary,
                version_name=version.name,
                lines=tuple(lines),
                payments=tuple(sorted(payments, key=lambda p: p.due_on)),
                annual_ceiling=ceiling,
                warnings=tuple(warnings),
                pending_assessment=pending,
            )
        )
    return ContractFunding(
        signed_on=signed_on, size_category=size, as_of=as_of, years=tuple(results)
    )


def default_operating(population: int, on: date, versions: Sequence[AciVersion] = ACI_VERSIONS):
    """The confirmed national fonctionnement amount for the CPTS's size on `on` (a default
    when a contract is entered), or ``None`` when it is not confirmed."""
    version = version_for(None, on, versions)
    if not version.operating.confirmed:
        return None
    return version.operating.for_size(size_category(population))
