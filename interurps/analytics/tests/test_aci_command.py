"""The ``aci_funding`` management command (called on a Command instance, no database)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from interurps.analytics.aci import MISSION_CODES
from interurps.cpts.management.commands.aci_funding import Command


def run(*args):
    out = StringIO()
    call_command(Command(), *args, stdout=out)
    return out.getvalue()


def run_json(*args):
    return json.loads(run(*args, "--format", "json"))


def test_text_output_in_french():
    text = run(
        "--population",
        "50000",
        "--signed",
        "2020-03-01",
        "--missions",
        "prevention",
        "--achievement",
        "0.5",
    )
    assert "50 000 habitants : taille 2" in text
    assert "Version applicable au 01/03/2020 : ACI CPTS 2019" in text
    assert "Source : ACI CPTS signé le 20 juin 2019" in text
    assert (
        "- Fonctionnement de la CPTS\n    maximum : 60 000 € ; montant attendu : 60 000 €" in text
    )
    assert "part variable (actions et résultats) [non confirmé]" in text
    assert "montant non confirmé (taux d'atteinte 50 %)" in text
    assert "Total maximum : 60 000 €" in text
    assert "Total attendu : 60 000 €" in text
    assert "2 ligne(s) sans montant confirmé" in text
    assert "Plafond annuel toutes missions (fonctionnement compris) : 287 000 €" in text
    assert "Calendrier de versement (première année) :" in text
    assert "À la signature du contrat : fonctionnement versé en totalité (60 000 €)" in text
    assert "date anniversaire" in text


def test_text_output_flags_unconfirmed_version_and_figures():
    text = run("--population", "200000", "--as-of", "2023-01-01")
    assert "ACI CPTS avenant 2 (en vigueur depuis le 01/04/2022, date non confirmée)" in text
    assert "- Fonctionnement de la CPTS [non confirmé]" in text
    assert "157 500 €" in text
    assert "Plafond annuel toutes missions : montant non confirmé." in text


def test_json_output():
    data = run_json(
        "--population",
        "100000",
        "--signed",
        "2020-03-01",
        "--missions",
        "parcours,prevention",
        "--achievement",
        "parcours=0.25",
    )
    assert data["size_category"] == 3
    assert data["version"]["name"] == "ACI CPTS 2019"
    rates = {
        line["mission"]: line["achievement"] for line in data["lines"] if line["kind"] == "variable"
    }
    assert rates == {"parcours": 0.25, "prevention": 1.0}
    assert data["total_maximum"] == 75_000
    assert data["annual_ceiling"]["amount"] == 370_000


def test_achievement_pairs_alone_define_the_missions():
    data = run_json(
        "--population", "1000", "--signed", "2020-03-01", "--achievement", "qualite_pertinence=1"
    )
    assert {line["mission"] for line in data["lines"]} == {"fonctionnement", "qualite_pertinence"}


def test_missions_without_achievement_are_at_full_rate():
    data = run_json("--population", "1000", "--signed", "2020-03-01", "--missions", "parcours")
    [variable] = [line for line in data["lines"] if line["kind"] == "variable"]
    assert variable["achievement"] == 1.0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "L'option --population est obligatoire"),
        (("--population", "abc"), "Population invalide : 'abc'"),
        (("--population", "-5", "--signed", "2020-01-01"), "population ne peut pas être négative"),
        (
            ("--population", "1000", "--missions", "foo"),
            "Code de mission inconnu : foo. Codes possibles : " + ", ".join(MISSION_CODES),
        ),
        (
            ("--population", "1000", "--achievement", "foo=1"),
            "Code de mission inconnu : foo.",
        ),
        (
            ("--population", "1000", "--missions", "parcours", "--achievement", "1.5"),
            "Taux d'atteinte invalide pour la mission parcours : 1.5",
        ),
        (
            ("--population", "1000", "--missions", "parcours", "--achievement", "beaucoup"),
            "Taux d'atteinte invalide : 'beaucoup'",
        ),
        (("--population", "1000", "--achievement", "0.5"), "--achievement sans mission"),
        (
            ("--population", "1000", "--missions", "parcours", "--achievement", "prevention=1"),
            "mission non retenue : prevention",
        ),
        (
            ("--population", "1000", "--achievement", "parcours=1,prevention"),
            "Taux d'atteinte mal formé : 'prevention'",
        ),
        (("--population", "1000", "--signed", "01/03/2020"), "Date invalide pour --signed"),
        (("--population", "1000", "--as-of", "2020-13-01"), "Date invalide pour --as-of"),
        (("--population", "1000", "--as-of", "2019-01-01"), "Aucune version de l'ACI CPTS"),
        (
            ("--population", "1000", "--signed", "2021-01-01", "--as-of", "2020-01-01"),
            "antérieure à la signature",
        ),
        (("--population", "1000", "--format", "xml"), "Format de sortie inconnu : xml"),
    ],
)
def test_bad_arguments_raise_command_error_in_french(args, message):
    with pytest.raises(CommandError) as excinfo:
        run(*args)
    assert message in str(excinfo.value)
