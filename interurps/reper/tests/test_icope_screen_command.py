"""``manage.py icope_screen``: positive ICOPE domains of a JSON screening, French errors with
exit code 2, nothing recorded."""

import copy
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from interurps.analytics import icope
from interurps.reper.models import DOMAINS, Assessment, Domain, Screening

PROJECT_ROOT = Path(__file__).resolve().parents[3]

NEGATIVE = {
    "cognition": {"orientation_time": True, "orientation_place": True, "words_recalled": 3},
    "mobility": {"chair_rises_completed": 5, "chair_rise_seconds": 11.2},
    "nutrition": {"weight_loss_over_3kg_3_months": False, "appetite_loss": False},
    "vision": {"eye_problems": False},
    "hearing": {"whisper_test_passed": True},
    "mood": {"feeling_down": False, "little_interest": False},
}


def answers(**changes):
    result = copy.deepcopy(NEGATIVE)
    for domain, items in changes.items():
        result[domain].update(items)
    return result


def write(tmp_path, content, name="screening.json"):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return str(path)


def run(*args, stdin=None):
    out = StringIO()
    call_command("icope_screen", *args, stdout=out, stdin=stdin)
    return out.getvalue()


def fails(*args, stdin=None):
    with pytest.raises(CommandError) as info:
        run(*args, stdin=stdin)
    assert info.value.returncode == 2
    return str(info.value)


def manage(*args, stdin=None):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    return subprocess.run(
        [sys.executable, "manage.py", "icope_screen", *args],
        cwd=PROJECT_ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_rules_and_models_agree():
    assert icope.DOMAINS == DOMAINS
    assert icope.DOMAIN_LABELS == dict(Domain.choices)
    for domain in DOMAINS:
        assert Screening._meta.get_field(f"{domain}_positive")
    tool_length = Assessment._meta.get_field("tool").max_length
    assert all(len(code) <= tool_length for code in icope.TOOLS_BY_CODE)


# --- call_command ---------------------------------------------------------------------------


def test_json_output_lists_positive_domains_in_order(tmp_path):
    path = write(
        tmp_path,
        answers(
            mood={"little_interest": True},
            mobility={"chair_rise_seconds": 14.01},
            cognition={"words_recalled": 2},
        ),
    )
    assert run(path, "--format", "json") == '{"positive": ["cognition", "mobility", "mood"]}\n'


def test_threshold_14_seconds_is_negative(tmp_path):
    path = write(tmp_path, answers(mobility={"chair_rise_seconds": 14.0}))
    assert json.loads(run(path, "--format", "json")) == {"positive": []}


def test_text_output_in_french(tmp_path):
    assert run(write(tmp_path, NEGATIVE)) == "Aucun domaine positif\n"
    path = write(tmp_path, answers(hearing={"whisper_test_passed": False}))
    assert run(path) == "Domaine positif (1) : audition\n"
    path = write(
        tmp_path, answers(vision={"eye_problems": True}, nutrition={"appetite_loss": True})
    )
    assert run(path, "--format", "text") == "Domaines positifs (2) : nutrition, vision\n"


def test_reads_standard_input():
    given = json.dumps(answers(vision={"eye_problems": True}))
    assert run("-", "--format", "json", stdin=StringIO(given)) == '{"positive": ["vision"]}\n'


def test_fewer_than_five_rises_without_seconds(tmp_path):
    given = answers()
    given["mobility"] = {"chair_rises_completed": 4}
    assert run(write(tmp_path, given), "--format", "json") == '{"positive": ["mobility"]}\n'


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"cognition": {"words_recalled": 4}},
            "Cognition — nombre de mots rappelés, sur 3 (cognition.words_recalled) : valeur "
            "impossible (4) ; attendu un nombre entier de 0 à 3.",
        ),
        (
            {"mobility": {"chair_rises_completed": 6}},
            "Mobilité — levers de chaise réalisés sans l'aide des bras, sur 5 "
            "(mobility.chair_rises_completed) : valeur impossible (6) ; attendu un nombre "
            "entier de 0 à 5.",
        ),
        (
            {"mobility": {"chair_rise_seconds": -3}},
            "Mobilité — durée des 5 levers de chaise, en secondes (mobility.chair_rise_seconds) "
            ": valeur impossible (-3) ; attendu un nombre de secondes strictement positif.",
        ),
        (
            {"nutrition": {"appetite_loss": "non"}},
            "Nutrition — perte d'appétit (nutrition.appetite_loss) : valeur refusée (le texte "
            "« non ») ; attendu true ou false.",
        ),
        (
            {"mood": {"feeling_down": None}},
            "Humeur — ces deux dernières semaines : triste, déprimé·e ou désespéré·e "
            "(mood.feeling_down) : réponse manquante ; attendu true ou false.",
        ),
    ],
)
def test_bad_answers_get_a_french_message_naming_the_item(tmp_path, changes, expected):
    assert fails(write(tmp_path, answers(**changes))) == expected


def test_missing_item_and_unknown_key(tmp_path):
    given = answers()
    del given["hearing"]["whisper_test_passed"]
    assert "hearing.whisper_test_passed" in fails(write(tmp_path, given))
    message = fails(write(tmp_path, answers(vision={"eye_problem": True})))
    assert "élément inconnu « eye_problem » (vision.eye_problem) refusé" in message


def test_invalid_json_gives_line_and_column(tmp_path):
    path = write(tmp_path, '{\n  "cognition": {,}\n}')
    message = fails(path)
    assert message.startswith(f"JSON invalide dans le fichier {path}, ligne 2, colonne 17")
    assert fails("-", stdin=StringIO("")).startswith(
        "JSON invalide dans l'entrée standard, ligne 1, colonne 1"
    )


def test_missing_file_directory_and_encoding(tmp_path):
    assert fails(str(tmp_path / "absent.json")) == (
        f"Fichier introuvable : {tmp_path / 'absent.json'}."
    )
    assert "est un dossier" in fails(str(tmp_path))
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"é": 1}'.encode("latin-1"))
    assert "n'est pas encodé en UTF-8" in fails(str(latin1))


def test_unknown_format(tmp_path):
    assert fails(write(tmp_path, NEGATIVE), "--format", "xml") == (
        "Format de sortie inconnu : xml ; formats possibles : text, json."
    )


@pytest.mark.django_db
def test_nothing_is_recorded(tmp_path):
    run(write(tmp_path, answers(vision={"eye_problems": True})))
    fails(write(tmp_path, answers(cognition={"words_recalled": 9})))
    assert not Screening.objects.exists()


# --- As a real process (exit codes, exact output) -------------------------------------------


def test_process_exit_0_with_the_exact_json(tmp_path):
    path = write(tmp_path, answers(mobility={"chair_rise_seconds": 14.01}))
    completed = manage(path, "--format", "json")
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == '{"positive": ["mobility"]}\n'
    assert completed.stderr == ""
    completed = manage("-", stdin=json.dumps(NEGATIVE))
    assert (completed.returncode, completed.stdout) == (0, "Aucun domaine positif\n")


def test_process_exit_2_with_a_french_message_on_stderr(tmp_path):
    completed = manage(write(tmp_path, answers(cognition={"words_recalled": 4})))
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "cognition.words_recalled" in completed.stderr
    assert "valeur impossible (4) ; attendu un nombre entier de 0 à 3." in completed.stderr
    completed = manage("-", "--format", "json", stdin='{"cognition": ')
    assert completed.returncode == 2
    assert "JSON invalide dans l'entrée standard, ligne 1, colonne 15" in completed.stderr
    completed = manage(str(tmp_path / "absent.json"))
    assert completed.returncode == 2
    assert "Fichier introuvable" in completed.stderr
