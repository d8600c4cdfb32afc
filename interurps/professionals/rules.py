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
