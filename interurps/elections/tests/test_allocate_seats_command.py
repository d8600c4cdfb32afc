"""Tests of ``manage.py allocate_seats``."""

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def write(tmp_path, content, name="votes.csv", bom=False):
    path = tmp_path / name
    data = content.encode("utf-8")
    if bom:
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)
    return str(path)


def run_json(path, *args):
    from io import StringIO

    out = StringIO()
    call_command("allocate_seats", path, "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_text_output_textbook(tmp_path, capsys):
    path = write(tmp_path, "liste,voix\nA,100000\nB,80000\nC,30000\nD,20000\n")
    call_command("allocate_seats", path, "--seats", "8")
    out = capsys.readouterr().out
    assert "Répartition de 8 sièges à la plus forte moyenne" in out
    assert "A     : 4 sièges" in out
    assert "B     : 3 sièges" in out
    assert "C     : 1 siège " in out
    assert "D     : 0 siège " in out
    assert "Aucune égalité de moyenne." in out
    assert "Tableau de calcul" in out
    # Averages that won a seat are marked with the seat number.
    assert "33 333,33 [5]" in out
    assert "25 000 [8]" in out
    assert "20 000 [" not in out


def test_json_output_has_seats_and_ties(tmp_path):
    path = write(tmp_path, "list,votes\nA,200\nB,100\n")
    data = run_json(path, "--seats", "2")
    assert set(data) == {"seats", "ties"}
    assert data["seats"] == {"A": 2, "B": 0}
    assert data["ties"] == [
        {
            "seat_number": 2,
            "lists": ["A", "B"],
            "resolved_by": "votes",
            "winner": "A",
            "seed": None,
            "explanation": (
                "Égalité de moyenne entre A et B pour le 2e siège : "
                "attribué à A, qui a le plus de suffrages."
            ),
        }
    ]


def test_semicolon_bom_and_no_header(tmp_path):
    path = write(tmp_path, "Liste Un;10\nListe Deux;5\n\n", bom=True)
    data = run_json(path, "--seats", "3")
    assert data["seats"] == {"Liste Un": 2, "Liste Deux": 1}


def test_header_liste_voix_with_semicolon(tmp_path):
    path = write(tmp_path, "Liste;Voix\nX;3\nY;1\n", bom=True)
    assert run_json(path, "--seats", "1")["seats"] == {"X": 1, "Y": 0}


def test_lot_with_seed_is_reproducible(tmp_path, capsys):
    path = write(tmp_path, "A,10\nB,10\n")
    first = run_json(path, "--seats", "1", "--seed", "42")
    assert first == run_json(path, "--seats", "1", "--seed", "42")
    (tie,) = first["ties"]
    assert tie["resolved_by"] == "lot"
    assert tie["seed"] == 42
    assert tie["winner"] == random.Random(42).choice(["A", "B"])
    call_command("allocate_seats", path, "--seats", "1", "--seed", "42")
    out = capsys.readouterr().out
    assert "Égalités :" in out
    assert "tirage au sort" in out and "graine 42" in out


def test_tie_breakers_option(tmp_path):
    path = write(tmp_path, "A,10\nB,10\n")
    with pytest.raises(CommandError, match="impossible de départager") as exc:
        call_command("allocate_seats", path, "--seats", "1", "--tie-breakers", "votes,age")
    assert exc.value.returncode == 2
    data = run_json(path, "--seats", "1", "--tie-breakers", "votes,lot", "--seed", "1")
    assert data["ties"][0]["resolved_by"] == "lot"


@pytest.mark.parametrize(
    ("content", "seats", "message"),
    [
        ("", "3", "est vide"),
        ("\n  \n", "3", "est vide"),
        ("liste,voix\n", "3", "ne contient aucune liste"),
        ("A,10\nB,-4\n", "3", "Ligne 2 : nombre de voix négatif"),
        ("A,10\nB,beaucoup\n", "3", "Ligne 2 : nombre de voix « beaucoup » invalide"),
        ("A,10\nB,1.5\n", "3", "Ligne 2 : nombre de voix « 1.5 » invalide"),
        ("A,10\nB,4,extra\n", "3", "Ligne 2 : 3 champ\\(s\\) trouvé\\(s\\), 2 attendus"),
        ("A,10\nB\n", "3", "Ligne 2 : 1 champ\\(s\\) trouvé\\(s\\)"),
        ("A,10\n,4\n", "3", "Ligne 2 : nom de liste vide"),
        ("Liste A,10\n liste a ,4\n", "3", "Ligne 2 : la liste « liste a » figure déjà ligne 1"),
        ("A,0\nB,0\n", "3", "Aucune liste n'a obtenu de voix"),
        ("A,10\n", "0", "au moins 1"),
        ("A,10\n", "-2", "au moins 1"),
    ],
)
def test_invalid_input_raises_command_error_with_code_2(tmp_path, content, seats, message):
    path = write(tmp_path, content)
    with pytest.raises(CommandError, match=message) as exc:
        call_command("allocate_seats", path, "--seats", seats)
    assert exc.value.returncode == 2


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable") as exc:
        call_command("allocate_seats", str(tmp_path / "absent.csv"), "--seats", "3")
    assert exc.value.returncode == 2


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("Liste é,10\n".encode("latin-1"))
    with pytest.raises(CommandError, match="UTF-8") as exc:
        call_command("allocate_seats", str(path), "--seats", "3")
    assert exc.value.returncode == 2


def test_unknown_tie_breaker(tmp_path):
    path = write(tmp_path, "A,10\n")
    with pytest.raises(CommandError, match="Règle de départage inconnue : pile") as exc:
        call_command("allocate_seats", path, "--seats", "1", "--tie-breakers", "votes,pile")
    assert exc.value.returncode == 2


def test_real_process_exits_with_status_2(tmp_path):
    bad_file = write(tmp_path, "A,10\nB,-1\n")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    completed = subprocess.run(
        [sys.executable, "manage.py", "allocate_seats", bad_file, "--seats", "0"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2
    assert "Le nombre de sièges doit être au moins 1 (reçu : 0)." in completed.stderr
    assert completed.stdout == ""

    completed = subprocess.run(
        [sys.executable, "manage.py", "allocate_seats", bad_file, "--seats", "3"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2
    assert "Ligne 2 : nombre de voix négatif (-1)" in completed.stderr


# --- every invalid input: exit 2 and a French message, never a traceback -------------------

HUGE = "9" * 5000  # beyond Python's int() digit limit


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("A,10\n", ["--seats", "abc"], "Le nombre de sièges doit être un nombre entier"),
        ("A,10\n", ["--seats", "1.5"], "Le nombre de sièges doit être un nombre entier"),
        ("A,10\n", ["--seats", "nan"], "Le nombre de sièges doit être un nombre entier"),
        ("A,10\n", ["--seats", "²"], "Le nombre de sièges doit être un nombre entier"),
        ("A,10\n", ["--seats", str(2**64)], "au plus 1000"),
        ("A,10\n", ["--seats", HUGE], "trop grand"),
        ("A,10\n", ["--seats", "-3"], "au moins 1"),
        ("A,10\n", [], "L'option --seats est obligatoire"),
        ("A,10\n", ["--seats", "2", "--seed", "x"], "La graine du tirage doit être"),
        ("A,10\n", ["--seats", "2", "--format", "xml"], "Format « xml » inconnu"),
        ("A,10\n", ["--seats", "2", "--colonnes"], "argument(s) inconnu(s) : --colonnes"),
        (f"A,{2**63}\n", ["--seats", "2"], "Ligne 1 : nombre de voix trop grand"),
        (f"A,{HUGE}\n", ["--seats", "2"], "Ligne 1 : nombre de voix trop grand"),
        ("A,NaN\n", ["--seats", "2"], "nombre de voix « NaN » invalide"),
        ("A,١٠\n", ["--seats", "2"], "nombre de voix « ١٠ » invalide"),
        ("A,10,1,2,3,4,5\n", ["--seats", "2"], "7 champ(s) trouvé(s)"),
        ('A,10\n"B,4\n', ["--seats", "2"], "Ligne 2 : guillemets"),
        ("A,10\x00\n", ["--seats", "2"], "caractères nuls"),
    ],
)
def test_every_invalid_input_exits_2_in_french(tmp_path, content, args, message):
    path = write(tmp_path, content)
    with pytest.raises(CommandError) as exc:
        call_command("allocate_seats", path, *args)
    assert exc.value.returncode == 2
    assert message in str(exc.value)


def test_a_directory_and_undecodable_bytes_exit_2(tmp_path):
    with pytest.raises(CommandError, match="est un dossier") as exc:
        call_command("allocate_seats", str(tmp_path), "--seats", "2")
    assert exc.value.returncode == 2
    path = tmp_path / "utf16.csv"
    path.write_bytes("A,10\n".encode("utf-16"))
    with pytest.raises(CommandError, match="UTF-8") as exc:
        call_command("allocate_seats", str(path), "--seats", "2")
    assert exc.value.returncode == 2


@pytest.mark.parametrize(
    "args",
    [
        ["--seats", "abc"],
        ["--seats", "2", "--inconnu"],
        [],
        ["--seats", "2", "--seed"],
    ],
)
def test_real_process_never_prints_a_traceback(tmp_path, args):
    bad_file = write(tmp_path, f"A,{HUGE}\n" if not args else "A,10\n")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    completed = subprocess.run(
        [sys.executable, "manage.py", "allocate_seats", bad_file, *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert "error:" not in completed.stderr  # argparse's English "error: …"
    assert completed.stderr.strip()
