"""Texts of the demo's 2021 report, quoted from the Pays de la Loire activity report
(seed 003); every figure of the report is computed, not written here."""

from interurps.reports.models import ReportTexts

PRESIDENTS_WORD = (
    "2021 marque une année de croissance pour l'InterURPS avec le lancement de deux projets "
    "phares, REPER/ICOPE et SAS, ainsi qu'une augmentation dans l'accompagnement des CPTS.\n\n"
    "Communiquer, informer, concerter et structurer l'échange entre les différentes URPS sur "
    "les thématiques qui leur sont communes, en priorité sur le sujet de la coordination "
    "interprofessionnelle, est un des piliers de notre association."
)
SAS_HIGHLIGHTS = (
    "Un chargé de mission SAS a été recruté au sein de l'InterURPS, avec une prise de poste "
    "effective au 14 juin 2021, pour impliquer les professionnels de santé de ville des "
    "territoires dans le déploiement du SAS."
)
PERSPECTIVES = (
    "SAS : s'assurer de l'adéquation de la demande de soins avec l'offre d'effection ; associer "
    "les autres professions que les médecins généralistes à la gestion des soins non "
    "programmés ; coordonner les projets de prise en charge des SNP des CPTS et des MSP.\n\n"
    "CPTS : continuer et améliorer l'animation du réseau des coordinateurs CPTS et les "
    "recrutements de coordinateurs par le groupement d'employeurs."
)


def reports_demo_load(*, federation) -> ReportTexts:
    texts, _ = ReportTexts.objects.get_or_create(
        federation=federation,
        year=2021,
        defaults={
            "presidents_word": PRESIDENTS_WORD,
            "sas_highlights": SAS_HIGHLIGHTS,
            "perspectives": PERSPECTIVES,
        },
    )
    return texts
