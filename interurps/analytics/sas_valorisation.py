"""SAS valorisation: the amounts an effector or a regulator receives, and an effector's
monthly statement of SNP majorations computed from their bookings.

Pure Python (stdlib only, no Django import). Every amount carries its source and a
``confirmed`` flag: a figure is *confirmed* only when the rule was read in the text that
sets it; figures only read in secondary sources (press, professional unions, accountants'
sites) are kept with ``confirmed=False`` and a note saying what is reported where.

Sources actually read (public copies, consulted while writing this module)
---------------------------------------------------------------------------
[NGAP-14.1.3]  Légifrance, JORFTEXT000047542123: modification of article III-4-I of the
               arrêté du 27 mars 1972 (NGAP) « pour les médecins »: new key letter « SNP -
               Majoration pour soins non programmés » and new article 14.1.3: the
               consultation « réalisée sous 48 heures par le médecin correspondant autre que
               le médecin traitant sollicité par le médecin régulateur du Service d'accès aux
               soins » opens the SNP majoration; « Le nombre de majorations SNP pouvant être
               cotées par un médecin par semaine est limité à 20 »; not for psychiatrists
               (art. 15.2.4); not cumulated with MCG, other emergency / PDSA majorations,
               complex consultations, nor for the doctor's own « patientèle médecin
               traitant ». The passage read does NOT state the amount.
[FMF-SNP]      fmfpro.org, « La curieuse gestion de la majoration SNP »: quotes the arrêté du
               11 juillet 2022 (« supplément de rémunération de 15 euros pour tout acte de
               soins non programmés [...] dans les 48 heures après régulation par le service
               d'accès aux soins ou le service d'aide médicale urgente, en dehors des horaires
               de la permanence de soins ambulatoire », until 30 September 2022), then the
               règlement arbitral (28 April 2023) and the JO of 14 May 2023 that « inscrit un
               nouvel article 14.1.3 à la NGAP ». Also fmfpro.org, « La majoration SNP, une
               bonne affaire ? »: « La majoration SNP de 15 € ».
[AGA-PS]       aga-ps.com, « La rémunération des professionnels engagés dans le SAS »: « Le
               règlement arbitral [...] arrêté le 28 avril 2023, prévoit les rémunérations
               pour les médecins régulateurs et effecteurs du SAS »; regulators « une
               rémunération horaire de 100€/heure » outside PDSA hours; effectors « une
               rémunération de 1400 euros/an dans le cadre du forfait struct[ure] » (the
               excerpt read stops there: the 2-hours-a-week condition was not read).
[SANTE-GOUV]   sante.gouv.fr, « La rémunération des professionnels engagés dans le SAS »:
               regulators 100 €/hour until 30 September 2022 (mission flash, arrêté du 11
               juillet 2022), « A compter du 1er octobre 2022 [...] 90€ par heure de
               régulation effectuée pour le SAS ».

Confirmed
---------
- The SNP majoration is due for a consultation within 48 hours of the SAS regulator's
  request, by a doctor other than the patient's médecin traitant [NGAP-14.1.3].
- At most 20 SNP majorations per doctor per week [NGAP-14.1.3].

NOT confirmed (``confirmed=False``)
-----------------------------------
- The amount of the majoration, 15 €: read only as quoted from the 2022 temporary arrêté
  and in union articles [FMF-SNP]; the NGAP tariff itself was not read.
- The effector's yearly amount of 1,400 € for taking part with at least 2 hours of slots a
  week under the 2023 arbitration rules [AGA-PS]; the text of the règlement arbitral was not
  read, nor the 2-hours condition.
- Regulators' hourly pay, 100 € [AGA-PS] (sante.gouv.fr gives 90 € from 1 October 2022,
  [SANTE-GOUV]: the sources disagree).
- The date from which the 2023 rules apply: 14 May 2023 is the JO date reported by
  [FMF-SNP], not checked on Légifrance.

Weekly cap and months
---------------------
The cap of 20 is per doctor and per week. Weeks are ISO weeks (Monday to Sunday, local
dates). Within a week the eligible acts are ranked in chronological order (time of the
act, then the order given); the first 20 are paid, the others are not, whichever month
they fall in. A week that spans two months is split by the date of each act: each act is
reported in the month of its date, with the rank it has in its whole week. So the January
statement of a week from Monday 29 January to Sunday 4 February counts, towards the cap,
the acts of 1 to 4 February only after those of 29 to 31 January; the two monthly
statements together pay exactly what the week pays. A statement therefore needs the acts
of the whole weeks that overlap its month (`monthly_statement` ignores the others).

Example
-------
>>> from datetime import datetime
>>> acts = [Act(datetime(2026, 3, 2, 9 + i % 8, 0), True, True) for i in range(21)]
>>> s = monthly_statement(acts, 2026, 3)
>>> s.paid_acts, s.over_cap_acts, s.total
(20, 1, Decimal('300.00'))
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
NOT_CONFIRMED = "chiffre non confirmé"


@dataclass(frozen=True)
class Figure:
    """One figure of the valorisation with its provenance.

    Parameters
    ----------
    value : Decimal
        The amount (euros), count or duration (hours), as `unit` says.
    unit : str
        « € par acte », « actes par semaine », « heures », « € par an », « € par heure ».
    source : str
        The text and article, and where it was read.
    confirmed : bool
        ``True`` only if the figure was read in the text that sets it.
    note : str
        What is reported where; mandatory when ``confirmed`` is ``False``.

    Examples
    --------
    >>> Figure(Decimal(15), "€ par acte", "test", False, "rapporté").value
    Decimal('15')
    """

    value: Decimal
    unit: str
    source: str
    confirmed: bool
    note: str = ""

    def __post_init__(self):
        if not isinstance(self.value, Decimal) or not self.value.is_finite() or self.value < 0:
            raise ValueError(f"Valeur invalide (nombre décimal positif attendu) : {self.value!r}")
        if not self.confirmed and not self.note:
            raise ValueError("Un chiffre non confirmé doit être accompagné d'une note.")

    def as_dict(self) -> dict:
        return {
            "value": float(self.value),
            "unit": self.unit,
            "source": self.source,
            "confirmed": self.confirmed,
            "note": self.note,
        }


@dataclass(frozen=True)
class ValorisationVersion:
    """The SAS valorisation rules applying from `effective_from`."""

    name: str
    effective_from: date
    effective_from_confirmed: bool
    snp_amount: Figure
    snp_weekly_cap: Figure
    snp_window_hours: Figure
    effector_yearly_amount: Figure
    effector_min_weekly_hours: Figure
    regulator_hourly_pay: Figure
    note: str = ""

    def figures(self) -> list[tuple[str, Figure]]:
        """(label, figure) of every figure of the version, for pages and exports."""
        return [
            ("Majoration SNP par acte", self.snp_amount),
            ("Plafond de majorations SNP par médecin et par semaine", self.snp_weekly_cap),
            ("Délai entre la régulation et la consultation", self.snp_window_hours),
            ("Forfait annuel de l'effecteur participant", self.effector_yearly_amount),
            ("Participation minimale de l'effecteur", self.effector_min_weekly_hours),
            ("Rémunération horaire du médecin régulateur libéral", self.regulator_hourly_pay),
        ]


_NGAP = (
    "NGAP, art. 14.1.3 (majoration SNP), inséré par la décision publiée au JO "
    "(Légifrance JORFTEXT000047542123)"
)

SAS_2023 = ValorisationVersion(
    name="Règlement arbitral 2023 et NGAP art. 14.1.3",
    # JO of 14 May 2023 as reported by [FMF-SNP]; not checked on Légifrance.
    effective_from=date(2023, 5, 14),
    effective_from_confirmed=False,
    snp_amount=Figure(
        Decimal(15),
        "€ par acte",
        source=(
            "Arrêté du 11 juillet 2022 (mesure provisoire) cité par la FMF ; NGAP art. 14.1.3 "
            "pour la règle"
        ),
        confirmed=False,
        note=(
            "15 € rapportés par la FMF (citation de l'arrêté du 11 juillet 2022, mesure "
            "provisoire jusqu'au 30 septembre 2022) ; le texte de l'art. 14.1.3 lu ne donne "
            "pas le montant et le tarif de la NGAP n'a pas été lu."
        ),
    ),
    # [NGAP-14.1.3]: « Le nombre de majorations SNP pouvant être cotées par un médecin par
    # semaine est limité à 20. »
    snp_weekly_cap=Figure(Decimal(20), "actes par semaine", source=_NGAP, confirmed=True),
    # [NGAP-14.1.3]: « La consultation réalisée sous 48 heures [...] sollicité par le
    # médecin régulateur du Service d'accès aux soins ».
    snp_window_hours=Figure(Decimal(48), "heures", source=_NGAP, confirmed=True),
    effector_yearly_amount=Figure(
        Decimal(1400),
        "€ par an",
        source="Règlement arbitral du 28 avril 2023 (forfait structure), d'après aga-ps.com",
        confirmed=False,
        note=(
            "1 400 € par an rapportés par aga-ps.com au titre du règlement arbitral de 2023 ; "
            "le texte du règlement et la condition de 2 heures par semaine n'ont pas été lus."
        ),
    ),
    effector_min_weekly_hours=Figure(
        Decimal(2),
        "heures par semaine",
        source="Déclaration sur l'honneur de l'effecteur (cahier des charges du SAS)",
        confirmed=False,
        note="Seuil de 2 heures de créneaux par semaine rapporté ; texte non lu.",
    ),
    regulator_hourly_pay=Figure(
        Decimal(100),
        "€ par heure",
        source="Règlement arbitral du 28 avril 2023, d'après aga-ps.com",
        confirmed=False,
        note=(
            "100 € de l'heure hors horaires de PDSA rapportés par aga-ps.com ; sante.gouv.fr "
            "indique 90 € à compter du 1er octobre 2022 (100 € jusqu'au 30 septembre 2022) : "
            "les sources divergent, texte non lu."
        ),
    ),
    note="Les règles antérieures (mesures provisoires de 2022) ne sont pas modélisées.",
)

#: Known versions, oldest first.
VERSIONS: tuple[ValorisationVersion, ...] = (SAS_2023,)


def version_for(day: date, versions: Iterable[ValorisationVersion] = VERSIONS):
    """The version in force on `day`; before the first one, the first one (flagged by the
    caller through `effective_from`).

    >>> version_for(date(2026, 1, 1)).name
    'Règlement arbitral 2023 et NGAP art. 14.1.3'
    """
    versions = sorted(versions, key=lambda v: v.effective_from)
    if not versions:
        raise ValueError("Aucune version de la valorisation SAS n'est définie.")
    applicable = [v for v in versions if v.effective_from <= day]
    return applicable[-1] if applicable else versions[0]


# --- the monthly statement ---------------------------------------------------------------


@dataclass(frozen=True)
class Act:
    """One consultation of the effector booked through the SAS.

    Parameters
    ----------
    at : datetime
        When the act took place (the appointment's start, local time).
    within_48h : bool
        The act took place at most 48 hours after the call to the regulation.
    regulated : bool
        The patient was sent by the SAS regulation (a regulator's or the platform's booking).
    reference : str
        The booking's identifier, shown on the statement.
    """

    at: datetime
    within_48h: bool
    regulated: bool
    reference: str = ""

    @property
    def eligible(self) -> bool:
        return self.regulated and self.within_48h


@dataclass(frozen=True)
class WeekLine:
    """The part of one ISO week that falls in the statement's month."""

    iso_year: int
    iso_week: int
    monday: date
    first_day: date  # first day of the week inside the month
    last_day: date  # last day of the week inside the month
    acts: int  # acts of the week in the month
    eligible: int  # of which regulated and within 48 hours
    paid: int  # of which within the weekly cap
    over_cap: int  # eligible but beyond the 20th of the week
    eligible_in_week: int  # eligible acts of the whole week (both months)
    amount: Decimal
    spans_months: bool
    shared_hours: float | None = None  # hours of shared slots in the whole week, if given

    @property
    def label(self) -> str:
        return f"Semaine {self.iso_week} de {self.iso_year}"


@dataclass(frozen=True)
class Statement:
    year: int
    month: int
    version: ValorisationVersion
    lines: tuple[WeekLine, ...]
    acts: int
    eligible_acts: int
    paid_acts: int
    over_cap_acts: int
    late_acts: int  # regulated acts after 48 hours: not paid
    unregulated_acts: int
    total: Decimal
    confirmed: bool  # every figure the total uses is confirmed
    figures: tuple[tuple[str, Figure], ...] = field(default_factory=tuple)
    weeks_at_threshold: int | None = None  # weeks at or above 2 h of shared slots
    weeks_with_hours: int | None = None

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "month": self.month,
            "version": self.version.name,
            "acts": self.acts,
            "eligible_acts": self.eligible_acts,
            "paid_acts": self.paid_acts,
            "over_cap_acts": self.over_cap_acts,
            "late_acts": self.late_acts,
            "unregulated_acts": self.unregulated_acts,
            "total": float(self.total),
            "confirmed": self.confirmed,
            "lines": [
                {
                    "week": f"{line.iso_year}-W{line.iso_week:02d}",
                    "acts": line.acts,
                    "eligible": line.eligible,
                    "paid": line.paid,
                    "over_cap": line.over_cap,
                    "amount": float(line.amount),
                    "spans_months": line.spans_months,
                }
                for line in self.lines
            ],
            "figures": [{"label": label, **fig.as_dict()} for label, fig in self.figures],
        }


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """First and last day of a month.

    >>> month_bounds(2024, 2)
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    """
    if not (1 <= month <= 12) or not (1900 <= year <= 2100):
        raise ValueError(f"Mois invalide : {year}-{month:02d}.")
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def statement_window(year: int, month: int) -> tuple[date, date]:
    """The days whose acts a month's statement needs: the whole ISO weeks overlapping it.

    >>> statement_window(2026, 3)
    (datetime.date(2026, 2, 23), datetime.date(2026, 4, 5))
    """
    first, last = month_bounds(year, month)
    return first - timedelta(days=first.weekday()), last + timedelta(days=6 - last.weekday())


def _day(moment: datetime | date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def monthly_statement(
    acts: Iterable[Act],
    year: int,
    month: int,
    *,
    version: ValorisationVersion | None = None,
    weekly_hours: Mapping[tuple[int, int], float] | None = None,
) -> Statement:
    """The SNP majorations of one effector for one month, week by week.

    Parameters
    ----------
    acts : iterable of Act
        The effector's acts; those outside the ISO weeks overlapping the month are ignored
        (give at least the acts of `statement_window`).
    year, month : int
        The month of the statement.
    version : ValorisationVersion, optional
        The rules; by default those in force on the first day of the month.
    weekly_hours : mapping, optional
        Hours of shared slots per ISO week ``(iso_year, iso_week)``: the statement then
        says how many weeks of the month reached the 2-hour participation threshold.

    Returns
    -------
    Statement
        One line per ISO week overlapping the month (weeks without acts included), the
        totals, and the figures used with their sources. ``confirmed`` is ``False`` when the
        total rests on an unconfirmed figure (the 15 € amount today): the total is then an
        estimate and says so.

    Raises
    ------
    ValueError
        For an invalid month or an act whose date is not a date.

    Examples
    --------
    Twenty-one eligible acts in one week: the 21st is not paid.

    >>> acts = [Act(datetime(2026, 3, 3, 8) + timedelta(minutes=20 * i), True, True)
    ...         for i in range(21)]
    >>> s = monthly_statement(acts, 2026, 3)
    >>> [(line.iso_week, line.paid, line.over_cap) for line in s.lines if line.acts]
    [(10, 20, 1)]
    """
    first, last = month_bounds(year, month)
    window_start, window_end = statement_window(year, month)
    version = version or version_for(first)
    cap = int(version.snp_weekly_cap.value)
    amount = version.snp_amount.value

    by_week: dict[tuple[int, int], list[tuple[int, Act]]] = {}
    for order, act in enumerate(acts):
        if not isinstance(act.at, date):
            raise ValueError(f"Date d'acte invalide : {act.at!r}.")
        day = _day(act.at)
        if not window_start <= day <= window_end:
            continue
        iso = day.isocalendar()
        by_week.setdefault((iso[0], iso[1]), []).append((order, act))

    lines = []
    totals = {"acts": 0, "eligible": 0, "paid": 0, "over": 0, "late": 0, "unregulated": 0}
    monday = window_start
    while monday <= window_end:
        iso = monday.isocalendar()
        key = (iso[0], iso[1])
        week_acts = by_week.get(key, [])
        # Chronological rank within the whole week (ties: the order given).
        eligible_sorted = sorted(
            (item for item in week_acts if item[1].eligible),
            key=lambda item: (_sort_key(item[1].at), item[0]),
        )
        paid_orders = {order for order, _ in eligible_sorted[:cap]}
        in_month = [(order, act) for order, act in week_acts if first <= _day(act.at) <= last]
        eligible = [(o, a) for o, a in in_month if a.eligible]
        paid = sum(1 for o, _ in eligible if o in paid_orders)
        line = WeekLine(
            iso_year=key[0],
            iso_week=key[1],
            monday=monday,
            first_day=max(monday, first),
            last_day=min(monday + timedelta(days=6), last),
            acts=len(in_month),
            eligible=len(eligible),
            paid=paid,
            over_cap=len(eligible) - paid,
            eligible_in_week=len(eligible_sorted),
            amount=(amount * paid).quantize(CENT, rounding=ROUND_HALF_UP),
            spans_months=monday < first or monday + timedelta(days=6) > last,
            shared_hours=None if weekly_hours is None else float(weekly_hours.get(key, 0.0)),
        )
        lines.append(line)
        totals["acts"] += line.acts
        totals["eligible"] += line.eligible
        totals["paid"] += line.paid
        totals["over"] += line.over_cap
        totals["late"] += sum(1 for _, a in in_month if a.regulated and not a.within_48h)
        totals["unregulated"] += sum(1 for _, a in in_month if not a.regulated)
        monday += timedelta(days=7)

    weeks_at_threshold = weeks_with_hours = None
    if weekly_hours is not None:
        threshold = float(version.effector_min_weekly_hours.value)
        weeks_with_hours = len(lines)
        weeks_at_threshold = sum(1 for line in lines if (line.shared_hours or 0) >= threshold)
    total = sum((line.amount for line in lines), Decimal(0)).quantize(CENT)
    used = (version.snp_amount, version.snp_weekly_cap, version.snp_window_hours)
    return Statement(
        year=year,
        month=month,
        version=version,
        lines=tuple(lines),
        acts=totals["acts"],
        eligible_acts=totals["eligible"],
        paid_acts=totals["paid"],
        over_cap_acts=totals["over"],
        late_acts=totals["late"],
        unregulated_acts=totals["unregulated"],
        total=total,
        confirmed=all(figure.confirmed for figure in used),
        figures=tuple(version.figures()),
        weeks_at_threshold=weeks_at_threshold,
        weeks_with_hours=weeks_with_hours,
    )


def _sort_key(moment: datetime | date) -> tuple:
    if isinstance(moment, datetime):
        return (moment.date(), moment.time().replace(tzinfo=None))
    return (moment, datetime.min.time())


def within_window(call: datetime, start: datetime, hours: Decimal | int = 48) -> bool:
    """Whether the act at `start` is at most `hours` after the call (48 h exactly counts).

    >>> within_window(datetime(2026, 3, 2, 9), datetime(2026, 3, 4, 9))
    True
    >>> within_window(datetime(2026, 3, 2, 9), datetime(2026, 3, 4, 9, 1))
    False
    """
    return start - call <= timedelta(hours=float(hours))
