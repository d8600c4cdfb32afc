"""Small PS_LibreAcces_Personne_activite files written in the real format, for the tests."""

from pathlib import Path

# The 56 columns of the extraction, in the order of the real header (see annuaire.py).
HEADER = [
    "Type d'identifiant PP",
    "Identifiant PP",
    "Identification nationale PP",
    "Code civilité d'exercice",
    "Libellé civilité d'exercice",
    "Code civilité",
    "Libellé civilité",
    "Nom d'exercice",
    "Prénom d'exercice",
    "Code profession",
    "Libellé profession",
    "Code catégorie professionnelle",
    "Libellé catégorie professionnelle",
    "Code type savoir-faire",
    "Libellé type savoir-faire",
    "Code savoir-faire",
    "Libellé savoir-faire",
    "Code mode exercice",
    "Libellé mode exercice",
    "Numéro SIRET site",
    "Numéro SIREN site",
    "Numéro FINESS site",
    "Numéro FINESS établissement juridique",
    "Identifiant technique de la structure",
    "Raison sociale site",
    "Enseigne commerciale site",
    "Complément destinataire (coord. structure)",
    "Complément point géographique (coord. structure)",
    "Numéro Voie (coord. structure)",
    "Indice répétition voie (coord. structure)",
    "Code type de voie (coord. structure)",
    "Libellé type de voie (coord. structure)",
    "Libellé Voie (coord. structure)",
    "Mention distribution (coord. structure)",
    "Bureau cedex (coord. structure)",
    "Code postal (coord. structure)",
    "Code commune (coord. structure)",
    "Libellé commune (coord. structure)",
    "Code pays (coord. structure)",
    "Libellé pays (coord. structure)",
    "Téléphone (coord. structure)",
    "Téléphone 2 (coord. structure)",
    "Télécopie (coord. structure)",
    "Adresse e-mail (coord. structure)",
    "Code Département (structure)",
    "Libellé Département (structure)",
    "Ancien identifiant de la structure",
    "Autorité d'enregistrement",
    "Code secteur d'activité",
    "Libellé secteur d'activité",
    "Code section tableau pharmaciens",
    "Libellé section tableau pharmaciens",
    "Code rôle",
    "Libellé rôle",
    "Code genre activité",
    "Libellé genre activité",
]

PROFESSION_LABELS = {
    "10": "Médecin",
    "21": "Pharmacien",
    "26": "Audioprothésiste",
    "28": "Opticien-Lunetier",
    "40": "Chirurgien-Dentiste",
    "50": "Sage-Femme",
    "60": "Infirmier",
    "70": "Masseur-Kinésithérapeute",
    "80": "Pédicure-Podologue",
    "91": "Orthophoniste",
    "92": "Orthoptiste",
}
MODE_LABELS = {"L": "Libéral,indépendant,artisan,commerçant", "S": "Salarié", "B": "Bénévole"}


def line(
    identifier,
    last_name,
    first_name,
    profession="10",
    *,
    mode="L",
    commune="44109",
    commune_label="Nantes",
    postcode="44000",
    skill="",
    skill_label="",
    structure_id="",
    structure="",
    street="de la Paix",
    section="",
    id_type=None,
):
    """One activity line as a dict of the header's columns."""
    if id_type is None:
        id_type = "8" if len(identifier) == 11 else "0"
    values = dict.fromkeys(HEADER, "")
    values.update(
        {
            "Type d'identifiant PP": id_type,
            "Identifiant PP": identifier,
            "Identification nationale PP": f"{id_type}{identifier}",
            "Nom d'exercice": last_name,
            "Prénom d'exercice": first_name,
            "Code profession": profession,
            "Libellé profession": PROFESSION_LABELS.get(profession, ""),
            "Code savoir-faire": skill,
            "Libellé savoir-faire": skill_label,
            "Code mode exercice": mode,
            "Libellé mode exercice": MODE_LABELS.get(mode, ""),
            "Code section tableau pharmaciens": section,
        }
    )
    if mode:
        values.update(
            {
                "Identifiant technique de la structure": structure_id,
                "Raison sociale site": structure,
                "Numéro Voie (coord. structure)": "12",
                "Libellé type de voie (coord. structure)": "Rue",
                "Libellé Voie (coord. structure)": street,
                "Code postal (coord. structure)": postcode,
                "Code commune (coord. structure)": commune,
                "Libellé commune (coord. structure)": commune_label,
            }
        )
    return values


def write_file(path: Path, rows, *, trailing_pipe=True, header=HEADER) -> Path:
    """Write `rows` (dicts from `line`, or raw strings) as the extraction does."""
    end = "|\n" if trailing_pipe else "\n"
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("|".join(header) + end)
        for row in rows:
            if isinstance(row, str):
                handle.write(row + "\n")
            else:
                handle.write("|".join(row.get(column, "") for column in header) + end)
    return path
