"""Plain rules shared by the models, the Annuaire Santé reader and the generator (no Django)."""

import re

# Sources and kinds, as stored in the database.
SOURCE_ANNUAIRE = "annuaire"
SOURCE_SYNTHETIC = "synthetique"
KIND_RPPS = "rpps"
KIND_ADELI = "adeli"
KIND_SYNTHETIC = "synthetique"
SITE_LIBERAL = "liberal"
SITE_SALARIED = "salaried"
MODE_LIBERAL = "liberal"
MODE_SALARIED = "salaried"
MODE_MIXED = "mixed"

# RPPS numbers have 11 digits; ADELI numbers 9 characters (digits, "2A"/"2B" for Corsica).
RPPS_PATTERN = re.compile(r"^\d{11}$")
ADELI_PATTERN = re.compile(r"^[0-9AB]{9}$")
SYNTHETIC_PREFIX = "SYN"
SYNTHETIC_PATTERN = re.compile(r"^SYN\d{6,}$")


def identifier_error(identifier: str, kind: str, source: str) -> str | None:
    """Why `identifier` is not acceptable for `kind` and `source`, or None when it is.

    Real records carry an RPPS (11 digits) or ADELI (9 characters) number. Only records of
    source "synthetique" may carry an identifier starting with "SYN", so that demo data can
    never be mistaken for a real professional, and they must carry one.
    """
    if kind == KIND_SYNTHETIC or identifier.startswith(SYNTHETIC_PREFIX):
        if source != SOURCE_SYNTHETIC:
            return "Les identifiants fictifs (SYN…) sont réservés aux données synthétiques."
        if kind != KIND_SYNTHETIC or not SYNTHETIC_PATTERN.match(identifier):
            return "Un identifiant fictif s'écrit « SYN » suivi d'au moins six chiffres."
        return None
    if source == SOURCE_SYNTHETIC:
        return "Les données synthétiques portent un identifiant fictif (SYN…)."
    if kind == KIND_RPPS:
        return None if RPPS_PATTERN.match(identifier) else "Un numéro RPPS comporte 11 chiffres."
    if kind == KIND_ADELI:
        return None if ADELI_PATTERN.match(identifier) else "Un numéro ADELI comporte 9 caractères."
    return f"Type d'identifiant inconnu : {kind!r}."


def practice_mode_for(site_modes) -> str:
    """Libéral, salarié or mixte from the modes of a professional's sites ('' without site)."""
    modes = set(site_modes)
    if not modes:
        return ""
    if modes == {SITE_LIBERAL}:
        return MODE_LIBERAL
    if modes == {SITE_SALARIED}:
        return MODE_SALARIED
    return MODE_MIXED


def registry_counts(rows, *, liberal_only: bool) -> dict[tuple[str, str, str], list]:
    """Counts of a registry's sites per area and profession (pure computation).

    `rows`: (professional id, profession code, commune code or None, department code or
    None, region code or None, site mode) for the sites of active professionals. Returns
    {(scope, area code, profession): [persons, sites, supply]} for the scopes "commune",
    "departement", "region" and "france" (code "FR"): persons are distinct professionals
    with a site in the area (liberal sites only when `liberal_only`), supply (communes only)
    counts a professional with n sites of known commune 1/n at each. A site with an unknown
    commune counts only for France, and is left out of n.
    """
    rows = [r for r in rows if not liberal_only or r[5] == SITE_LIBERAL]
    known_sites: dict = {}
    for professional, _, commune, *_ in rows:
        if commune is not None:
            known_sites[professional] = known_sites.get(professional, 0) + 1
    people: dict = {}
    result: dict = {}
    for professional, profession, commune, department, region, _ in rows:
        areas = [("france", "FR")]
        if commune is not None:
            areas += [("commune", commune), ("departement", department), ("region", region)]
        for scope, code in areas:
            key = (scope, code, profession)
            entry = result.setdefault(key, [0, 0, 0.0])
            entry[1] += 1
            seen = people.setdefault(key, set())
            if professional not in seen:
                seen.add(professional)
                entry[0] += 1
            if scope == "commune":
                entry[2] += 1 / known_sites[professional]
    return result
