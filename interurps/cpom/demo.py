"""Demo CPOM data, from two source documents.

(a) Grand Est (region 44), seed 001: the « CPOM inter-URPS/ARS 2025-2027 », signed « lors
de la 2ème édition du congrès inter-URPS en mars 2025 à Strasbourg ». The seed gives the
month only: the 1st of March 2025 stands for it (illustrative day). Themes, objectives
and actions are the seed's own words. The seed calls « actions phares » only the two
actions of theme 2; the actions of themes 1, 3 and 4 are the ones the seed names for
those themes, recorded as ordinary actions. Action statuses, indicators, their baselines,
their targets and the one measurement are illustrative (the seed gives no figure).

(b) Pays de la Loire (region 52), seed 003 (activity report 2021): the 2021 funding, exactly
as printed: « ACCOMPAGNEMENT CPTS 100K € (ARS) 32.3 % ; SOLDE APPEL DE FONDS 2020 DES 10
URPS 80K € 25.8 % ; SAS (ARS) 55K € 17.7 % ; PACTE (ARS) 50K € 16.1 % ; COMMUNICATION (ARS)
25K € 8.1 % » (total 310,000 €). The report names no CPOM: the lines are attached to none.

(c) Pays de la Loire, the demo region, same seed 003: the report mentions the « Gestion du
CPOM » by the InterURPS coordinator but gives neither its dates nor its content. The demo
CPOM is therefore illustrative in its frame: its title, its years (2021-2026, so that it
covers the report's year and is in force today), no signature date, and every target.
Its themes, objectives and actions are the report's own words (the association's roles,
its projects SAS, REPER/ICOPE, PACTE, the CPTS support, the seminar, the website). Every
indicator is computed from the platform's records (the CPTS coverage as the coverage page
computes it, ACI signatures, CPTS supported, PACTE learners, meetings per project, events).
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from interurps.cpom import services
from interurps.cpom.models import (
    Action,
    Contract,
    FundingLine,
    FundingSource,
    Indicator,
    Objective,
    Theme,
)
from interurps.organizations.models import Federation, Partner

GRAND_EST, PAYS_DE_LA_LOIRE = "44", "52"
CONTRACT_TITLE = "CPOM inter-URPS/ARS 2025-2027"
CONTRACT_DESCRIPTION = (
    "Dans la continuité du protocole d’accord signé le 5 octobre 2022, le Contrat "
    "Pluriannuel d’Objectifs et de Moyens s’appuie sur la volonté de fédérer les 10 URPS de "
    "la Région Grand Est autour de projets communs. Les actions prévues dans ce cadre "
    "s’articulent avec celles des CPOM mono-professionnels en cours et à venir.\n"
    "La signature a eu lieu lors de la 2ème édition du congrès inter-URPS en mars 2025 à "
    "Strasbourg.\n"
    "Ce CPOM inter-URPS/ARS 2025-2027 marque la volonté des parties de décliner le projet "
    "régional de santé en impliquant fortement les 30 000 professionnels du Grand Est "
    "représentés par les 10 URPS."
)
SIGNED_ON = date(2025, 3, 1)  # « mars 2025 »: the day is illustrative.
ILLUSTRATIVE = " (Cibles de démonstration : le CPOM publié ne donne pas de chiffre.)"

# (order, theme, objective, objective description, [(action, flagship, partners, status)])
THEMES = [
    (
        1,
        "Animation de la coopération inter-URPS",
        "Renforcer la coopération pluriprofessionnelle en Grand Est par des échanges et "
        "actions communes entre URPS, ARS et Assurance Maladie.",
        "La connaissance réciproque des métiers est indispensable dans la chaîne des soins.",
        [
            ("Congrès inter-URPS", False, "ARS Grand Est, Assurance Maladie", "en_cours"),
            ("Séminaires annuels inter-URPS", False, "ARS Grand Est, Assurance Maladie",
             "en_cours"),
            ("Temps d’échanges à travers un espace de partage inter-URPS/ARS/Assurance Maladie",
             False, "ARS Grand Est, Assurance Maladie", "a_venir"),
        ],
    ),
    (
        2,
        "Santé numérique au service de l’accessibilité aux soins",
        "Accompagner le déploiement de la santé numérique en pluriprofessionnel pour toutes "
        "les professions, (moyens et modalités inter-URPS.)",
        "Engagement des URPS dans le Ségur Numérique : DMP et Mon Espace Santé, messagerie "
        "sécurisée en santé, identifiant numérique de santé, promotion de la cybersécurité, "
        "télésanté et son développement. Déploiement en cohérence avec la feuille de route "
        "santé de la région Grand Est 2021-2027 et la feuille de route télémédecine (TLM) "
        "Grand Est 2024-2026.",
        [
            ("Communiquer/sensibiliser les professionnels de santé et promouvoir auprès de "
             "ceux-ci les différents dispositifs en cours de déploiement", True,
             "ARS Grand Est, Assurance Maladie, GRADeS Pulsy", "en_cours"),
            ("Accompagner la formation des professionnels de santé sur les différents points "
             "retenus par l’agence est à fort enjeu pour développer les bons usages du "
             "numérique en santé pour toutes les professions", True, "ARS Grand Est",
             "en_cours"),
        ],
    ),
    (
        3,
        "Prendre soin des soignants et des étudiants",
        "Renforcer la santé, le bien-être et la prévention pour les professionnels et "
        "étudiants de santé.",
        "En lien avec le PRS 2023-2027 : prévention à destination des PS, attractivité des "
        "métiers.",
        [
            ("Partenariat SPS et URPS : soutien et bien-être des professionnels de santé du "
             "Grand Est", False, "Association Soins aux Professionnels de la Santé (SPS)",
             "en_cours"),
        ],
    ),
    (
        4,
        "Santé-Environnement",
        "Promouvoir l’écoresponsabilité en santé libérale en élaborant un guide régional de "
        "Bonnes Pratiques répondant aux enjeux du PRSE.",
        "Bâtiments et énergie, achats durables et procédures, valorisation des déchets, "
        "transport et mobilité, numérique en santé.",
        [
            ("Élaboration d’un guide régional de Bonnes Pratiques", False, "ARS Grand Est",
             "en_cours"),
        ],
    ),
]  # fmt: skip

# (theme order, action index or None for the objective, title, unit, computation, targets)
INDICATORS = [
    (1, None, "Congrès et séminaires inter-URPS tenus", "événements", "congres_seminaires",
     {2025: 2, 2026: 2, 2027: 2}),
    (2, 1, "Professionnels de santé formés aux usages du numérique en santé",
     "professionnels", Indicator.MANUAL, {2025: 300, 2026: 600, 2027: 900}),
    (3, 0, "Ateliers de sensibilisation SPS organisés", "ateliers", Indicator.MANUAL,
     {2025: 2, 2026: 4, 2027: 6}),
    (4, 0, "Avancement du guide régional de Bonnes Pratiques", "%", Indicator.MANUAL,
     {2025: 30, 2026: 70, 2027: 100}),
]  # fmt: skip
GUIDE_MEASUREMENT = (date(2025, 12, 1), Decimal(25))  # illustrative: amber in 2025

# Pays de la Loire (seed 003): the report's words; frame and targets illustrative.
PDL_CONTRACT_TITLE = "CPOM InterURPS / ARS Pays de la Loire (démonstration)"
PDL_CONTRACT_DESCRIPTION = (
    "CPOM de démonstration : le rapport d’activité 2021 de l’InterURPS mentionne la gestion "
    "du CPOM sans en donner les dates ni le contenu ; les années, l’intitulé et les cibles "
    "sont illustratifs, les thématiques, objectifs et actions reprennent les termes du "
    "rapport.\n"
    "L’Association InterURPS Pays de la Loire est le regroupement des 10 Unions Régionales "
    "des Professionnels de Santé du territoire. Le fonctionnement de l’InterURPS est assuré "
    "par des fonds propres (appel de fonds des 10 URPS) et les projets sur fonds ARS (FIR)."
)
PDL_ILLUSTRATIVE = (
    " Valeur calculée à partir des données de la plateforme ; cibles de démonstration."
)
PDL_THEMES = [
    (
        1,
        "Accompagnement des CPTS",
        "Faciliter la création de CPTS en Pays de la Loire avec le soutien de l’ARS et de "
        "l’Assurance maladie.",
        "Un partenariat avec les grandes instances de la santé, CPAM et ARS, a permis "
        "d’accélérer la création des CPTS, tout en garantissant la cohérence des territoires.",
        [
            ("Accompagner les professionnels de santé souhaitant se constituer en CPTS", True,
             "ARS Pays de la Loire, Assurance Maladie", "en_cours"),
            ("Animer le réseau des coordinateurs CPTS (par des réunions hebdomadaires et des "
             "journées trimestrielles)", False, "Collectif Inter CPTS PDL", "en_cours"),
            ("Former les coordinateurs CPTS à la formation PACTE, par le biais de 2 formateurs "
             "relais Inter URPS", False, "EHESP", "en_cours"),
        ],
    ),
    (
        2,
        "Service d’accès aux soins (SAS)",
        "Impliquer les professionnels de santé de ville des territoires dans le déploiement "
        "du SAS.",
        "Assurer la représentation, en lien étroit avec les URPS, des professionnels de santé "
        "de ville dans la négociation puis la gouvernance du SAS.",
        [
            ("Faire le lien entre les effecteurs et le SAS par l’intermédiaire notamment des "
             "coordonnateurs des CPTS", True, "ARS Pays de la Loire, CHU, ADOPS", "en_cours"),
        ],
    ),
    (
        3,
        "Prévention et promotion de la santé",
        "Développer des actions dans le domaine de la prévention et promotion de la santé.",
        "Projet « REPER – Repérage des PERsonnes âgées à domicile », s’appuyant sur la "
        "démarche ICOPE déployée par l’OMS.",
        [
            ("REPER – Repérage des PERsonnes âgées à domicile (démarche ICOPE)", True,
             "Gérontopôle des Pays de la Loire, GHT de Maine-et-Loire et de Loire-Atlantique",
             "en_cours"),
        ],
    ),
    (
        4,
        "Communication et coopération inter-URPS",
        "Communiquer, informer, concerter et structurer l’échange entre les différentes URPS "
        "sur les thématiques qui leur sont communes.",
        "",
        [
            ("Séminaire InterURPS « Mieux se connaître pour agir en santé sur nos "
             "territoires »", False, "ARS Pays de la Loire", "realisee"),
            ("Création du site internet", False, "", "en_cours"),
        ],
    ),
]  # fmt: skip
_EVERY_YEAR = range(2021, 2027)
PDL_INDICATORS = [
    (1, None, "Part de la population couverte par une CPTS", "%", "cpts_population_couverte",
     {2021: 30, 2022: 45, 2023: 60, 2024: 75, 2025: 90, 2026: 100}),
    (1, None, "CPTS ayant signé l’ACI au 31 décembre", "CPTS", "cpts_aci_signe",
     {2021: 7, 2022: 9, 2023: 11, 2024: 13, 2025: 14, 2026: 16}),
    (1, 0, "CPTS accompagnées dans l’année", "CPTS", "cpts_accompagnees",
     dict.fromkeys(_EVERY_YEAR, 9)),
    (1, 2, "Coordinateurs en formation PACTE", "coordinateurs", "coordinateurs_formes",
     dict.fromkeys(_EVERY_YEAR, 12)),
    (2, 0, "Réunions du projet SAS", "réunions", "reunions_sas", dict.fromkeys(_EVERY_YEAR, 50)),
    (3, 0, "Réunions du projet REPER / ICOPE", "réunions", "reunions_icope",
     dict.fromkeys(_EVERY_YEAR, 30)),
    (4, 0, "Congrès et séminaires tenus", "événements", "congres_seminaires",
     dict.fromkeys(_EVERY_YEAR, 1)),
]  # fmt: skip

# Seed 003, activity report 2021 of the Pays de la Loire InterURPS.
PDL_2021_FUNDING = [
    ("Accompagnement CPTS", FundingSource.ARS, Decimal(100_000)),
    ("Solde appel de fonds 2020 des 10 URPS", FundingSource.UNIONS, Decimal(80_000)),
    ("SAS", FundingSource.ARS, Decimal(55_000)),
    ("PACTE", FundingSource.ARS, Decimal(50_000)),
    ("Communication", FundingSource.ARS, Decimal(25_000)),
]


def _build_contract(
    federation, *, title, contract_fields, themes, indicators, owner, note
) -> Contract:
    """Create the contract and what it holds, matched by title so that a second run adds
    nothing. `themes` and `indicators` have the shapes of THEMES and INDICATORS."""
    contract = Contract.objects.filter(federation=federation, title=title).first()
    if contract is None:
        contract = services.contract_create(federation=federation, title=title, **contract_fields)
    actions_by_theme: dict[int, list[Action]] = {}
    objectives: dict[int, Objective] = {}
    for order, theme_title, objective_title, objective_text, actions in themes:
        theme = Theme.objects.filter(contract=contract, order=order).first()
        theme = theme or services.theme_create(contract=contract, order=order, title=theme_title)
        objective = Objective.objects.filter(theme=theme, order=1).first()
        objective = objective or services.objective_create(
            theme=theme, order=1, title=objective_title, description=objective_text
        )
        objectives[order] = objective
        actions_by_theme[order] = []
        for action_title, flagship, partners, status in actions:
            action = Action.objects.filter(objective=objective, title=action_title).first()
            action = action or services.action_create(
                objective=objective,
                title=action_title,
                owner=owner,
                partners=partners,
                status=status,
                flagship=flagship,
            )
            actions_by_theme[order].append(action)
    for theme_order, action_index, indicator_title, unit, computation, targets in indicators:
        parent = (
            {"objective": objectives[theme_order]}
            if action_index is None
            else {"action": actions_by_theme[theme_order][action_index]}
        )
        indicator = Indicator.objects.filter(title=indicator_title, **parent).first()
        if indicator is None:
            indicator = services.indicator_create(
                **parent,
                title=indicator_title,
                definition=indicator_title + "." + note,
                unit=unit,
                baseline=Decimal(0),
                computation=computation,
            )
            for year, value in targets.items():
                services.target_set(indicator=indicator, year=year, value=Decimal(value))
    return contract


def _grand_est_contract(federation) -> Contract:
    contract = _build_contract(
        federation,
        title=CONTRACT_TITLE,
        contract_fields={
            "partner": Partner.objects.get(region_id=GRAND_EST, kind=Partner.Kind.ARS),
            "start_year": 2025,
            "end_year": 2027,
            "signed_on": SIGNED_ON,
            "description": CONTRACT_DESCRIPTION,
        },
        themes=THEMES,
        indicators=INDICATORS,
        owner="Les 10 URPS du Grand Est",
        note=ILLUSTRATIVE,
    )
    guide = Indicator.objects.filter(
        action__objective__theme__contract=contract, title__startswith="Avancement du guide"
    ).first()
    if guide is not None and not guide.measurements.exists():
        services.measurement_create(
            indicator=guide,
            measured_on=GUIDE_MEASUREMENT[0],
            value=GUIDE_MEASUREMENT[1],
            source="Valeur de démonstration",
        )
    return contract


def _pays_de_la_loire_contract(federation) -> Contract:
    return _build_contract(
        federation,
        title=PDL_CONTRACT_TITLE,
        contract_fields={
            "partner": Partner.objects.get(region_id=PAYS_DE_LA_LOIRE, kind=Partner.Kind.ARS),
            "start_year": 2021,
            "end_year": 2026,
            "signed_on": None,
            "description": PDL_CONTRACT_DESCRIPTION,
        },
        themes=PDL_THEMES,
        indicators=PDL_INDICATORS,
        owner="InterURPS Pays de la Loire",
        note=PDL_ILLUSTRATIVE,
    )


def _pays_de_la_loire_funding(federation) -> list[FundingLine]:
    lines = []
    for label, source, amount in PDL_2021_FUNDING:
        line = FundingLine.objects.filter(federation=federation, year=2021, label=label).first()
        lines.append(
            line
            or services.funding_line_create(
                federation=federation, year=2021, source=source, label=label, amount=amount
            )
        )
    return lines


@transaction.atomic
def cpom_demo_load() -> dict:
    """Create the demo CPOMs of Grand Est and Pays de la Loire and the 2021 funding of
    Pays de la Loire.

    Idempotent: what already exists (matched by title or label) is left as it is.
    """
    grand_est = Federation.objects.get(region_id=GRAND_EST)
    pays_de_la_loire = Federation.objects.get(region_id=PAYS_DE_LA_LOIRE)
    return {
        "contract": _grand_est_contract(grand_est),
        "pays_de_la_loire_contract": _pays_de_la_loire_contract(pays_de_la_loire),
        "funding_lines": _pays_de_la_loire_funding(pays_de_la_loire),
    }
