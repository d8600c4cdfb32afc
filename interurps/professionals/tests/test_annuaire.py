from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from interurps.professionals.annuaire import AnnuaireDataError, AnnuaireReader, extraction_date
from interurps.professionals.models import PracticeSite, Professional, RegistryImport
from interurps.professionals.services import sync_professionals

from .sample import HEADER, line, write_file

pytestmark = pytest.mark.django_db

NANTES, ANGERS, LAVAL = "44109", "49007", "53130"

VALID = [
    # A GP with two liberal sites (two lines), one of them also listed twice (duplicate).
    line("10000000011", "MARTIN", "Claire", "10", skill="SM54", skill_label="Médecine Générale",
         structure_id="S1", structure="CABINET MARTIN"),
    line("10000000011", "MARTIN", "Claire", "10", skill="SM54", skill_label="Médecine Générale",
         commune=ANGERS, commune_label="Angers", structure_id="S2"),
    line("10000000011", "MARTIN", "Claire", "10", skill="SM54", skill_label="Médecine Générale",
         structure_id="S1", structure="CABINET MARTIN"),
    # A cardiologist, mixed practice (liberal + salaried).
    line("10000000022", "BERNARD", "Paul", "10", skill="SM04",
         skill_label="Cardiologie et maladies vasculaires", commune=LAVAL, structure_id="S3"),
    line("10000000022", "BERNARD", "Paul", "10", skill="SM04",
         skill_label="Cardiologie et maladies vasculaires", mode="S", structure_id="CHU"),
    # A nurse with an ADELI number, a physiotherapist, a pharmacist (officine).
    line("44A123456", "PETIT", "Anne", "60", commune=NANTES),
    line("10000000033", "DURAND", "Luc", "70", commune=LAVAL),
    line("10000000044", "LEROY", "Julie", "21", section="A", structure="PHARMACIE LEROY"),
    # A midwife without declared activity.
    line("10000000055", "MOREAU", "Léa", "50", mode=""),
]  # fmt: skip


def import_file(path, **kwargs):
    return sync_professionals(AnnuaireReader(path), **kwargs)


def test_a_valid_file_is_imported(tmp_path):
    report = import_file(write_file(tmp_path / "PS_LibreAcces_Personne_activite.txt", VALID))
    assert (report.created, report.updated, report.retired, report.read.error_count) == (6, 0, 0, 0)
    gp = Professional.objects.get(identifier="10000000011")
    assert (gp.profession_id, gp.specialty, gp.practice_mode) == (
        "medecins",
        "Médecine générale",
        "liberal",
    )
    assert gp.identifier_kind == "rpps" and gp.source == "annuaire" and gp.active
    sites = list(gp.sites.order_by("site_identifier"))
    assert [(s.commune_id, s.mode, s.site_identifier) for s in sites] == [
        (NANTES, "liberal", "S1"),
        (ANGERS, "liberal", "S2"),
    ]
    assert sites[0].structure_name == "CABINET MARTIN"
    assert sites[0].address == "12 Rue de la Paix, 44000 Nantes"
    cardiologist = Professional.objects.get(identifier="10000000022")
    assert cardiologist.practice_mode == "mixed"
    assert cardiologist.specialty == "Cardiologie et maladies vasculaires"
    nurse = Professional.objects.get(identifier="44A123456")
    assert (nurse.identifier_kind, nurse.profession_id, nurse.specialty) == (
        "adeli",
        "infirmiers",
        "",
    )
    assert Professional.objects.get(identifier="10000000044").profession_id == "pharmaciens"
    midwife = Professional.objects.get(identifier="10000000055")
    assert midwife.practice_mode == "" and not midwife.sites.exists()
    assert PracticeSite.objects.count() == 7


def test_a_second_import_of_the_same_file_changes_nothing(tmp_path):
    path = write_file(tmp_path / "annuaire.txt", VALID)
    import_file(path)
    before = dict(Professional.objects.values_list("identifier", "updated_at"))
    site_ids = set(PracticeSite.objects.values_list("pk", flat=True))
    report = import_file(path)
    assert (report.created, report.updated, report.retired, report.unchanged) == (0, 0, 0, 6)
    assert not report.changed
    assert dict(Professional.objects.values_list("identifier", "updated_at")) == before
    assert set(PracticeSite.objects.values_list("pk", flat=True)) == site_ids


def test_a_reimport_updates_changed_and_retires_absent_professionals(tmp_path):
    import_file(write_file(tmp_path / "v1.txt", VALID))
    untouched_sites = set(
        PracticeSite.objects.filter(professional__identifier="10000000022").values_list(
            "pk", flat=True
        )
    )
    changed = [row for row in VALID if row["Identifiant PP"] != "10000000033"]
    changed = [
        {**row, "Nom d'exercice": "MARTIN-DUPONT", "Code commune (coord. structure)": LAVAL}
        if row["Identifiant PP"] == "10000000011"
        else row
        for row in changed
    ]
    report = import_file(write_file(tmp_path / "v2.txt", changed), max_retire_share=0.2)
    assert (report.created, report.updated, report.retired, report.unchanged) == (0, 1, 1, 4)
    gp = Professional.objects.get(identifier="10000000011")
    assert gp.last_name == "MARTIN-DUPONT"
    assert set(gp.sites.values_list("commune_id", flat=True)) == {LAVAL}
    assert gp.sites.count() == 2  # two structures, both now in Laval
    retired = Professional.objects.get(identifier="10000000033")
    assert not retired.active and retired.sites.exists()
    assert (
        set(
            PracticeSite.objects.filter(professional__identifier="10000000022").values_list(
                "pk", flat=True
            )
        )
        == untouched_sites
    )
    # Back in the next file: reactivated.
    report = import_file(write_file(tmp_path / "v3.txt", VALID))
    assert report.updated == 2 and report.retired == 0
    assert Professional.objects.get(identifier="10000000033").active


def test_malformed_lines_are_reported_with_their_line_numbers(tmp_path):
    good = line("10000000011", "MARTIN", "Claire")
    rows = [
        good,  # line 2
        "8|10000000099|810000000099|DR|Docteur",  # line 3: too few columns
        line("", "SANSNUMERO", "Jean"),  # line 4
        line("12345", "COURT", "Numéro", id_type="8"),  # line 5: not an RPPS number
        line("10000000066", "", "Sans nom"),  # line 6
        line("10000000077", "ROUX", "Marc", "70"),  # line 7
    ]
    path = write_file(tmp_path / "annuaire.txt", rows)
    report = import_file(path)
    errors = {error.line: error.message for error in report.read.errors}
    assert sorted(errors) == [3, 4, 5, 6]
    assert "colonnes au lieu de 56" in errors[3]
    assert "identifiant PP manquant" in errors[4]
    assert "RPPS" in errors[5]
    assert report.read.error_count == 4 and report.created == 2
    assert report.read.lines == 6


def test_other_professions_are_skipped_and_counted(tmp_path):
    rows = [
        line("10000000011", "MARTIN", "Claire"),
        line("10000000088", "VUE", "Alain", "28"),
        line("10000000089", "VUE", "Berthe", "28"),
        line("10000000090", "SON", "Carla", "26"),
        line("10000000091", "ORTHO", "Denis", "91"),
        line("10000000092", "OPTI", "Emma", "92"),
        line("10000000093", "PODO", "Fanny", "80"),
        line("10000000094", "DENT", "Gilles", "40"),
    ]
    report = import_file(write_file(tmp_path / "annuaire.txt", rows))
    assert report.read.skipped_professions == {"Opticien-Lunetier": 2, "Audioprothésiste": 1}
    assert report.read.skipped == 3 and report.read.error_count == 0
    assert set(Professional.objects.values_list("profession_id", flat=True)) == {
        "medecins",
        "orthophonistes",
        "orthoptistes",
        "pedicures-podologues",
        "chirurgiens-dentistes",
    }


def test_biologists_are_physicians_or_pharmacists_in_medical_biology(tmp_path):
    rows = [
        line("10000000101", "BIO", "Médecin", "10", skill="SM03", skill_label="Biologie médicale"),
        line("10000000102", "BIO", "Option", "10", skill="SM66",
             skill_label="Biologie médicale option agents infectieux"),
        line("10000000103", "BIO", "Pharmacien", "21", section="G"),
        line("10000000104", "OFFICINE", "Pharmacien", "21", section="A"),
        # A pharmacist with one officine line and one biology line: a biologist.
        line("10000000105", "MIXTE", "Pharmacien", "21", section="A"),
        line("10000000105", "MIXTE", "Pharmacien", "21", section="G", commune=ANGERS),
        line("10000000106", "DENT", "Biologie", "40", skill="SM03"),
    ]  # fmt: skip
    import_file(write_file(tmp_path / "annuaire.txt", rows))
    professions = dict(Professional.objects.values_list("identifier", "profession_id"))
    assert professions == {
        "10000000101": "biologistes",
        "10000000102": "biologistes",
        "10000000103": "biologistes",
        "10000000104": "pharmaciens",
        "10000000105": "biologistes",
        "10000000106": "chirurgiens-dentistes",
    }
    assert Professional.objects.get(identifier="10000000103").specialty == "Biologie médicale"
    assert Professional.objects.get(identifier="10000000105").sites.count() == 2


def test_unknown_commune_codes_keep_the_site_without_commune(tmp_path):
    rows = [
        line("10000000011", "MARTIN", "Claire", commune="99999", commune_label="Nulle part"),
        line("10000000012", "SANS", "Commune", commune=""),
        line("10000000013", "BON", "Lieu", commune=LAVAL),
    ]
    report = import_file(write_file(tmp_path / "annuaire.txt", rows))
    assert report.unknown_commune_sites == 1
    assert report.unknown_commune_codes == {"99999"}
    assert report.missing_commune_sites == 1
    site = PracticeSite.objects.get(professional__identifier="10000000011")
    assert site.commune is None and "Nulle part" in site.address
    assert PracticeSite.objects.filter(commune__isnull=True).count() == 2


def test_volunteer_activity_creates_no_site(tmp_path):
    rows = [line("10000000011", "MARTIN", "Claire", mode="B")]
    report = import_file(write_file(tmp_path / "annuaire.txt", rows))
    assert report.read.volunteer_lines == 1
    assert not PracticeSite.objects.exists() and Professional.objects.count() == 1


def test_lines_without_trailing_pipe_and_crlf_are_read(tmp_path):
    path = tmp_path / "annuaire.txt"
    write_file(path, [line("10000000011", "MARTIN", "Claire")], trailing_pipe=False)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    report = import_file(path)
    assert report.created == 1 and report.read.error_count == 0


def test_a_header_without_the_needed_columns_is_refused(tmp_path):
    path = write_file(tmp_path / "annuaire.txt", [], header=HEADER[:5])
    with pytest.raises(AnnuaireDataError, match="annuaire.txt, ligne 1 : colonnes manquantes"):
        import_file(path)
    with pytest.raises(CommandError, match="colonnes manquantes"):
        call_command("import_annuaire_sante", path, verbosity=0)
    with pytest.raises(CommandError, match="introuvable"):
        call_command("import_annuaire_sante", tmp_path / "absent.txt", verbosity=0)


def test_the_reader_streams_the_file(tmp_path):
    path = write_file(
        tmp_path / "annuaire.txt", [line(f"100000001{i:02d}", "N", "P") for i in range(30)]
    )
    reader = AnnuaireReader(path)
    iterator = iter(reader)
    first = next(iterator)
    assert first.line == 2 and reader.stats.lines == 1


def test_command_prints_a_summary_and_dry_run_writes_nothing(tmp_path, capsys):
    path = write_file(tmp_path / "annuaire.txt", VALID + [line("10000000088", "VUE", "A", "28")])
    call_command("import_annuaire_sante", path, "--dry-run", verbosity=0)
    out = capsys.readouterr().out
    assert "Simulation" in out and "6 créé(s)" in out and "dry_run=1" in out
    assert not Professional.objects.exists()
    call_command("import_annuaire_sante", path, verbosity=0)
    out = capsys.readouterr().out
    assert "6 créé(s), 0 modifié(s), 0 retiré(s), 0 inchangé(s)" in out
    assert "1 ligne(s) d'autres professions ignorée(s)" in out
    assert "created=6" in out and "skipped_other_professions=1" in out
    assert Professional.objects.count() == 6


def test_imports_larger_than_one_batch(tmp_path):
    rows = [line(f"2{i:010d}", f"NOM{i}", "P", "60", commune=LAVAL) for i in range(2_100)]
    report = import_file(write_file(tmp_path / "v1.txt", rows))
    assert report.created == 2_100 and report.sites_created == 2_100
    rows = [{**row, "Code commune (coord. structure)": NANTES} for row in rows[:1_500]]
    report = import_file(write_file(tmp_path / "v2.txt", rows), max_retire_share=0.3)
    assert (report.updated, report.retired, report.sites_deleted) == (1_500, 600, 1_500)
    assert PracticeSite.objects.filter(commune_id=NANTES).count() == 1_500
    assert Professional.objects.filter(active=True).count() == 1_500


# --- retirement guard: a wrong or truncated file must not empty the registry -------------


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param([], id="empty"),
        pytest.param(["8|1|2|DR", line("", "SANSNUMERO", "Jean")], id="no-valid-line"),
    ],
)
def test_a_file_without_valid_line_retires_nobody(tmp_path, rows):
    import_file(write_file(tmp_path / "v1.txt", VALID))
    path = write_file(tmp_path / "v2.txt", rows)
    with pytest.raises(ValidationError, match="aucune ligne valide"):
        import_file(path)
    with pytest.raises(CommandError, match="aucune ligne valide"):
        call_command("import_annuaire_sante", path, verbosity=0)
    assert Professional.objects.filter(active=True).count() == 6


def test_retiring_more_than_the_share_is_refused_unless_forced(tmp_path, capsys):
    import_file(write_file(tmp_path / "v1.txt", VALID))
    # Two of the six professionals missing: a third of the registry.
    kept = [r for r in VALID if r["Identifiant PP"] not in ("10000000033", "10000000044")]
    path = write_file(tmp_path / "v2.txt", kept)
    with pytest.raises(ValidationError, match="retirerait 2 professionnel"):
        import_file(path)
    with pytest.raises(CommandError, match="33\u00a0%.*10\u00a0%"):
        call_command("import_annuaire_sante", path, verbosity=0)
    assert Professional.objects.filter(active=True).count() == 6
    # A larger share, explicitly allowed, or --force: the retirements happen.
    call_command("import_annuaire_sante", path, "--max-retire-share", "0.5", "--dry-run")
    assert "2 retiré(s)" in capsys.readouterr().out
    call_command("import_annuaire_sante", path, "--force", verbosity=0)
    assert Professional.objects.filter(active=True).count() == 4


def test_a_forced_empty_file_retires_everyone(tmp_path):
    import_file(write_file(tmp_path / "v1.txt", VALID))
    call_command("import_annuaire_sante", write_file(tmp_path / "v2.txt", []), "--force")
    assert not Professional.objects.filter(active=True).exists()


@pytest.mark.parametrize("share", ["2", "-0.1", "nan", "beaucoup"])
def test_the_share_option_is_checked(tmp_path, share):
    path = write_file(tmp_path / "v1.txt", VALID)
    with pytest.raises(CommandError, match="une part entre 0 et 1"):
        call_command("import_annuaire_sante", path, "--max-retire-share", share)


def test_nul_bytes_and_utf16_headers_get_french_errors(tmp_path):
    path = write_file(tmp_path / "v1.txt", VALID + ["10000000099|A\x00B"])
    report = import_file(path)
    errors = {error.line: error.message for error in report.read.errors}
    assert errors == {len(VALID) + 2: "caractère nul (NUL) dans la ligne"}
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes("|".join(HEADER).encode("utf-16") + b"\n")
    with pytest.raises(AnnuaireDataError, match="UTF-16.*doit être en UTF-8"):
        import_file(utf16)


def test_an_import_is_recorded_with_the_extraction_date_of_its_file_name(tmp_path):
    path = write_file(tmp_path / "PS_LibreAcces_Personne_activite_202610120823.txt", VALID)
    import_file(path)
    record = RegistryImport.objects.get()
    assert record.source == "annuaire" and record.region is None
    assert record.data_date == date(2026, 10, 12)
    assert record.file_name == path.name
    assert record.professionals == Professional.objects.filter(active=True).count()
    import_file(write_file(tmp_path / "extraction.txt", VALID), dry_run=True)
    assert RegistryImport.objects.count() == 1  # a dry run records nothing
    import_file(write_file(tmp_path / "extraction.txt", VALID))
    assert RegistryImport.objects.latest("imported_at").data_date is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("PS_LibreAcces_Personne_activite_202610120823.txt", date(2026, 10, 12)),
        ("PS_LibreAcces_Personne_activite_20261012.txt", date(2026, 10, 12)),
        ("PS_LibreAcces_Personne_activite_202613120823.txt", None),
        ("PS_LibreAcces_Personne_activite.txt", None),
    ],
)
def test_extraction_date_from_the_file_name(name, expected):
    assert extraction_date(name) == expected
