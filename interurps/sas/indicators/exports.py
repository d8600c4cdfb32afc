"""The indicators' tables as CSV (one table per file) and Excel (one sheet per table),
written by `interurps.core.exports` (UTF-8 with BOM, semicolons, decimal commas; real
numbers in Excel)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from interurps.core import exports
from interurps.core.downloads import download_name
from interurps.sas.indicators.selectors import CATEGORY_LABELS, CommuneRow, Indicators


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    header: tuple[str, ...]
    rows: Callable[[Indicators, list[CommuneRow]], list[tuple]]
    widths: tuple[float, ...] = ()
    names: bool = False  # shows effectors' names


def _summary(result: Indicators, communes) -> list[tuple]:
    f = result.filters
    outcome_rows = [("Demandes de soins", label, n) for _, label, n in result.outcomes]
    return [
        ("Période", "Territoire", f.area_label),
        ("Période", "Du", f.start),
        ("Période", "Au", f.end),
        ("Effecteurs", "Effecteurs inscrits (non suspendus)", result.registered),
        ("Effecteurs", "dont déclaration sur l'honneur signée", result.with_statement),
        ("Effecteurs", "Participants (au moins un créneau partagé)", result.participants),
        (
            "Effecteurs",
            "Participants à 2 heures ou plus par semaine en moyenne",
            result.participants_at_threshold,
        ),
        ("Créneaux", "Heures de disponibilité partagées", result.total_hours),
        ("Créneaux", "Créneaux partagés", result.slots),
        ("Créneaux", "Places offertes", result.places),
        ("Créneaux", "Places prises", result.booked),
        ("Créneaux", "Taux d'occupation (%)", _round(result.occupancy)),
        ("Demandes de soins", "Demandes reçues", result.requests),
        *outcome_rows,
        ("Demandes de soins", "Demandes closes (issue connue)", result.closed_requests),
        ("Demandes de soins", "Avec un rendez-vous", result.with_appointment),
        ("Demandes de soins", "Rendez-vous dans les 48 heures", result.within_48h),
        ("Demandes de soins", "Part dans les 48 heures (%)", _round(result.within_48h_share)),
        ("Demandes de soins", "Délai médian (heures)", _round(result.median_delay_hours)),
        ("Zones blanches", "Rayon (km)", f.radius_km),
        ("Zones blanches", "Communes en zone blanche", sum(c.white_zone for c in communes)),
    ]


def _round(value, digits=1):
    return None if value is None else round(value, digits)


def _weeks(result, communes) -> list[tuple]:
    return [
        (
            w.label,
            w.monday,
            w.hours,
            w.participants,
            w.at_threshold,
            w.slots,
            w.places,
            w.booked,
            _round(w.occupancy),
            "oui" if w.partial else "non",
        )
        for w in result.weeks
    ]


def _groups(attribute):
    def rows(result, communes):
        return [
            (g.label, g.hours, g.effectors, g.slots, g.places, g.booked, _round(g.occupancy))
            for g in getattr(result, attribute)
        ]

    return rows


def _communes(result, communes) -> list[tuple]:
    return [
        (
            c.code,
            c.name,
            c.department,
            c.population,
            c.requests,
            c.hours,
            _round(c.distance_km),
            CATEGORY_LABELS[c.category],
        )
        for c in communes
    ]


def _effectors(result, communes) -> list[tuple]:
    return [
        (e.name, e.mode, e.hours, e.weekly_average, e.weeks_at_threshold) for e in result.effectors
    ]


def _bands(result, communes) -> list[tuple]:
    return result.hours_bands


GROUP_HEADER = (
    "Heures partagées",
    "Effecteurs",
    "Créneaux",
    "Places offertes",
    "Places prises",
    "Occupation (%)",
)
TABLES = [
    Table("synthese", "Synthèse", ("Rubrique", "Indicateur", "Valeur"), _summary, (20, 55, 30)),
    Table(
        "semaines",
        "Semaines",
        (
            "Semaine",
            "Lundi",
            "Heures partagées",
            "Participants",
            "Participants à 2 h ou plus",
            "Créneaux",
            "Places offertes",
            "Places prises",
            "Occupation (%)",
            "Semaine incomplète",
        ),
        _weeks,
    ),
    Table("departements", "Départements", ("Département", *GROUP_HEADER), _groups("departments")),
    Table("cpts", "CPTS", ("CPTS", *GROUP_HEADER), _groups("cpts")),
    Table(
        "communes",
        "Communes",
        (
            "Code INSEE",
            "Commune",
            "Département",
            "Population",
            "Demandes de soins",
            "Heures partagées",
            "Distance au créneau le plus proche (km)",
            "Situation",
        ),
        _communes,
    ),
    Table(
        "tranches",
        "Participation",
        ("Heures par semaine en moyenne", "Effecteurs"),
        _bands,
    ),
    Table(
        "effecteurs",
        "Effecteurs",
        (
            "Effecteur",
            "Mode de participation",
            "Heures partagées",
            "Heures par semaine en moyenne",
            "Semaines à 2 h ou plus",
        ),
        _effectors,
        names=True,
    ),
]
TABLE_KEYS = {table.key: table for table in TABLES}


def tables_for(with_names: bool) -> list[Table]:
    return [table for table in TABLES if with_names or not table.names]


def _filename(result: Indicators, *parts: str, extension: str) -> str:
    f = result.filters
    return download_name(
        "indicateurs-sas",
        f.area_label,
        f"{f.start.isoformat()}-{f.end.isoformat()}",
        *parts,
        day=timezone.localdate(),
        extension=extension,
    )


def csv_response(result, communes, key: str, *, with_names: bool):
    table = TABLE_KEYS.get(key) or TABLE_KEYS["synthese"]
    if table.names and not with_names:
        table = TABLE_KEYS["synthese"]
    return exports.csv_response(
        table.rows(result, communes),
        header=table.header,
        filename=_filename(result, table.key, extension="csv"),
    )


def xlsx_response(result, communes, *, with_names: bool):
    sheets = [
        exports.Sheet(
            table.title,
            table.rows(result, communes),
            header=table.header,
            widths=table.widths or (24,) * len(table.header),
            freeze_header=True,
        )
        for table in tables_for(with_names)
    ]
    return exports.xlsx_response(sheets, filename=_filename(result, extension="xlsx"))


def statement_rows(statement) -> list[tuple]:
    return [
        (
            line.label,
            line.first_day,
            line.last_day,
            line.acts,
            line.eligible,
            line.paid,
            line.over_cap,
            line.amount,
            line.shared_hours,
            "oui" if line.spans_months else "non",
        )
        for line in statement.lines
    ]


STATEMENT_HEADER = (
    "Semaine",
    "Du",
    "Au",
    "Actes",
    "Actes majorables (régulés, sous 48 h)",
    "Majorations payées",
    "Au-delà du plafond hebdomadaire",
    "Montant (€)",
    "Heures partagées dans la semaine",
    "Semaine à cheval sur deux mois",
)
