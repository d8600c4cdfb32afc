"""The ten professions represented by the URPS.

Source: code de la santé publique, article L4031-1 (one union per profession) and
articles R4031-1 et seq. (composition; physicians elect their union in colleges). The
two colleges are those named by the project's issue: généralistes and autres spécialistes.
"""

PROFESSIONS = [
    # (code, official label, union name, display order)
    ("medecins", "Médecins", "URPS Médecins libéraux", 1),
    (
        "masseurs-kinesitherapeutes",
        "Masseurs-kinésithérapeutes",
        "URPS Masseurs-kinésithérapeutes",
        2,
    ),
    ("infirmiers", "Infirmiers", "URPS Infirmiers libéraux", 3),
    ("chirurgiens-dentistes", "Chirurgiens-dentistes", "URPS Chirurgiens-dentistes", 4),
    (
        "pharmaciens",
        "Pharmaciens titulaires d'officine",
        "URPS Pharmaciens",
        5,
    ),
    ("pedicures-podologues", "Pédicures-podologues", "URPS Pédicures-podologues", 6),
    ("orthophonistes", "Orthophonistes", "URPS Orthophonistes", 7),
    ("orthoptistes", "Orthoptistes", "URPS Orthoptistes", 8),
    ("biologistes", "Biologistes responsables", "URPS Biologistes", 9),
    ("sages-femmes", "Sages-femmes", "URPS Sages-femmes", 10),
]

PHYSICIAN_COLLEGES = [
    ("generalistes", "Médecins généralistes", 1),
    ("autres-specialistes", "Autres spécialistes", 2),
]

PARTNER_NAMES = {
    "ars": "ARS {region}",
    "assurance_maladie": "Assurance Maladie — DCGDR {region}",
}


def federation_name(region_name: str) -> str:
    return f"InterURPS {region_name}"


def union_name(union_label: str, region_name: str) -> str:
    return f"{union_label} {region_name}"
