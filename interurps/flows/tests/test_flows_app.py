"""Flow sets (import, generation), proposals under constraints, adoption as a CPTS, the
command, and who may do what."""

import json

import pytest
import shapely
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from interurps.accounts.models import Role
from interurps.analytics import territory
from interurps.cpts import services as cpts_services
from interurps.cpts.models import Cpts
from interurps.flows import services
from interurps.flows.importer import FlowFileError, parse_flows
from interurps.flows.models import Flow, FlowSet, TerritoryProposal
from interurps.flows.tests.conftest import DEPARTMENT
from interurps.geography.models import Commune, Department
from interurps.professionals.models import PracticeSite, Professional
from tests.factories import user_with_role

CODES = {"53130": "53130", "53201": "53201", "75101": "75056", "75056": "75056"}


def parse(text: str, **kwargs):
    return parse_flows(
        [text.encode()],
        commune_codes=kwargs.pop("codes", CODES),
        professions={"infirmiers", "medecins"},
        **kwargs,
    )


# --- the CSV reader --------------------------------------------------------------------------


def test_parse_reads_sums_folds_districts_and_skips_zeros():
    parsed = parse(
        "origin,destination,count\n53130,53130,10\n53201,53130,4\n75101,75056,3\n"
        "75056,75056,2\n53201,53201,0\n"
    )
    assert parsed.counts == {
        ("53130", "53130", ""): 10,
        ("53201", "53130", ""): 4,
        ("75056", "75056", ""): 5,  # the district counts for Paris
    }
    assert parsed.lines == 5 and parsed.zero_lines == 1


def test_parse_accepts_semicolons_bom_and_a_profession_column():
    parsed = parse("\ufefforigine;destination;nombre;profession\n53130;53201;7;infirmiers\n")
    assert parsed.counts == {("53130", "53201", "infirmiers"): 7}


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "origin,destination,count\n99999,53130,1\n",
            "Ligne 2 : code INSEE d'origine inconnu « 99999 »",
        ),
        ("origin,destination,count\n53130,5313,1\n", "Ligne 2 : code INSEE de destination inconnu"),
        (
            "origin,destination,count\n53130,53201,1\n53130,53201,-3\n",
            "Ligne 3 : nombre de flux négatif (-3)",
        ),
        (
            "origin,destination,count\n53130,53201,1\n53201,53130,1\n53130,53201,2\n",
            "Ligne 4 : le couple 53130 → 53201 figure déjà ligne 2",
        ),
        (
            "origin,destination,count\n53130,53201,deux\n",
            "Ligne 2 : nombre de flux invalide « deux »",
        ),
        ("origin,destination\n53130,53201\n", "colonnes manquantes : count"),
        ("origin,destination,count,extra\n", "colonnes inconnues : extra"),
        ("origin,destination,count\n53130,53201\n", "Ligne 2 : 2 valeurs au lieu de 3"),
        (
            "origin,destination,count,profession\n53130,53201,1,plombiers\n",
            "Ligne 2 : profession inconnue « plombiers »",
        ),
        ("", "Le fichier est vide"),
        ("origin,destination,count\n", "aucune ligne de flux"),
    ],
)
def test_parse_errors_name_the_line(text, message):
    with pytest.raises(FlowFileError) as caught:
        parse(text)
    assert any(message in error for error in caught.value.errors), caught.value.errors


def test_parse_refuses_another_profession_than_the_scope():
    with pytest.raises(FlowFileError, match="hors du périmètre"):
        parse(
            "origin,destination,count,profession\n53130,53201,1,medecins\n",
            scope_profession="infirmiers",
        )


def test_parse_refuses_non_utf8():
    with pytest.raises(FlowFileError, match="UTF-8"):
        parse_flows(
            [b"origin,destination,count\n\xe9\xff,1,1\n"], commune_codes=CODES, professions=set()
        )


@settings(max_examples=20, deadline=None)
@given(st.binary(max_size=300))
def test_parse_never_crashes_on_garbage(content):
    try:
        parse_flows([content], commune_codes=CODES, professions=set())
    except FlowFileError as error:
        assert error.errors and all(isinstance(e, str) for e in error.errors)


# --- import and generation -------------------------------------------------------------------


def test_import_is_idempotent_and_all_or_nothing(loire, staff):
    good = b"origin,destination,count\n53130,53130,10\n53201,53130,4\n"

    def run(content, name="Flux 2024"):
        return services.flow_set_import(
            region=loire,
            name=name,
            source="CPAM",
            year=2024,
            profession=None,
            chunks=[content],
            by=staff,
        )

    first = run(good)
    again = run(good)
    assert again.pk == first.pk
    assert (again.pair_count, again.total) == (2, 14)
    assert Flow.objects.filter(flow_set=first).count() == 2
    with pytest.raises(ValidationError) as caught:
        run(b"origin,destination,count\n53130,53130,99\n53130,99999,1\n")
    assert "Ligne 3" in " ".join(caught.value.messages)
    first.refresh_from_db()
    assert first.total == 14  # the failed import changed nothing
    with pytest.raises(ValidationError):
        run(good.replace(b"10", b"-1"), name="Autre jeu")
    assert not FlowSet.objects.filter(name="Autre jeu").exists()


def test_import_command(tmp_path, loire):
    path = tmp_path / "flux.csv"
    path.write_text("origin,destination,count\n53130,53201,3\n")
    call_command("import_flows", str(path), region="52", name="CLI", year=2023, verbosity=0)
    assert FlowSet.objects.get(name="CLI").total == 3


def test_generate_uses_the_registry_and_is_seeded(loire, staff):
    with pytest.raises(ValidationError, match="aucun professionnel"):
        services.flow_set_generate(region=loire, name="Synth", year=2024, seed=3)
    mayenne = Department.objects.get(code=DEPARTMENT)
    laval = Commune.objects.get(code="53130")
    for number in range(3):
        professional = Professional.objects.create(
            identifier=f"SYN5200{number}",
            identifier_kind="synthetique",
            source="synthetique",
            profession_id="infirmiers",
            last_name="Test",
            search_name="test",
        )
        PracticeSite.objects.create(professional=professional, commune=laval, mode="liberal")
    first = services.flow_set_generate(
        region=loire, name="Synth", year=2024, seed=3, department=mayenne
    )
    assert first.synthetic and "graine 3" in first.source
    rows = list(first.flows.values_list("origin_id", "destination_id", "count"))
    assert first.pair_count == len(rows) > 0
    # Laval, where the registry places the care, attracts its neighbours' residents.
    inflow = sum(c for o, d, c in rows if d == "53130" and o != "53130")
    assert inflow > 0


# --- proposals ------------------------------------------------------------------------------


def _contiguous(codes) -> bool:
    geometries = dict(Commune.objects.filter(code__in=codes).values_list("code", "geometry"))
    return len(territory.connected_parts([shapely.from_geojson(geometries[c]) for c in codes])) == 1


def test_proposals_cover_the_department_under_the_constraints(flow_set, staff):
    department_codes = set(
        Commune.objects.filter(department_id=DEPARTMENT, kind="COM").values_list("code", flat=True)
    )
    laval = Commune.objects.get(code="53130")
    neighbours = [c for c in department_codes if c != "53130"][:0]
    cpts = cpts_services.cpts_create(
        region=flow_set.region, name="CPTS de Laval", main_department=laval.department, by=staff
    )
    cpts_services.cpts_set_territory(cpts=cpts, codes=["53130", *neighbours])
    proposals = services.proposal_create(
        flow_set=flow_set,
        request=services.ProposalRequest(
            scope="department", area_code=DEPARTMENT, min_population=20_000, max_population=100_000
        ),
        by=staff,
    )
    assert [p.method for p in proposals] == ["leiden", "plurality"]
    assert len({p.run for p in proposals}) == 1
    for proposal in proposals:
        territories = list(proposal.territories.all())
        seen = [code for t in territories for code in t.communes]
        assert sorted(seen) == sorted(department_codes)  # each commune exactly once
        kept = [t for t in territories if t.existing_cpts_id]
        assert [t.communes for t in kept] == [["53130"]]
        for t in territories:
            if t.existing_cpts_id:
                continue
            assert 20_000 <= t.population <= 100_000, (t.name, t.population)
            assert _contiguous(t.communes), t.name
            assert t.geometry
        assert proposal.unmet == []
        assert 0 < proposal.summary["self_containment"] <= 1
    leiden, plurality = proposals
    assert leiden.summary["self_containment"] >= plurality.summary["self_containment"] - 0.02


def test_proposal_refuses_an_area_outside_the_region(flow_set):
    with pytest.raises(ValidationError):
        services.proposal_create(
            flow_set=flow_set, request=services.ProposalRequest(scope="department", area_code="75")
        )
    with pytest.raises(ValidationError, match="minimale"):
        services.proposal_create(
            flow_set=flow_set,
            request=services.ProposalRequest(
                scope="department", area_code=DEPARTMENT, min_population=5, max_population=4
            ),
        )


@pytest.fixture
def proposal(flow_set, staff):
    return services.proposal_create(
        flow_set=flow_set,
        request=services.ProposalRequest(
            scope="department", area_code=DEPARTMENT, methods=("plurality",), keep_cpts=False
        ),
        by=staff,
    )[0]


def test_adopt_goes_through_the_cpts_checks(proposal, staff):
    territory_record = proposal.territories.order_by("number").first()
    mayenne = Department.objects.get(code=DEPARTMENT)
    cpts, check = services.territory_adopt(
        territory_record=territory_record, name="CPTS adoptée", main_department=mayenne, by=staff
    )
    assert sorted(cpts.communes.values_list("code", flat=True)) == sorted(territory_record.communes)
    assert cpts.population == territory_record.population
    assert cpts.stage == "emergence"
    with pytest.raises(ValidationError, match="déjà été adopté"):
        services.territory_adopt(
            territory_record=territory_record, name="Encore", main_department=mayenne, by=staff
        )
    # A second territory adopted under an existing name: refused, nothing created.
    other = proposal.territories.order_by("number")[1]
    before = Cpts.objects.count()
    with pytest.raises(ValidationError):
        services.territory_adopt(
            territory_record=other, name="CPTS adoptée", main_department=mayenne, by=staff
        )
    assert Cpts.objects.count() == before
    other.refresh_from_db()
    assert other.adopted_cpts_id is None


def test_adopt_refuses_unknown_codes_and_writes_nothing(proposal, staff):
    record = proposal.territories.order_by("number").first()
    record.communes = [*record.communes, "99999"]
    record.save()
    before = Cpts.objects.count()
    with pytest.raises(ValidationError, match="Code INSEE inconnu"):
        services.territory_adopt(
            territory_record=record,
            name="CPTS impossible",
            main_department=Department.objects.get(code=DEPARTMENT),
            by=staff,
        )
    assert Cpts.objects.count() == before


# --- the command -----------------------------------------------------------------------------


def _csv(tmp_path, rows) -> str:
    path = tmp_path / "flux.csv"
    path.write_text(
        "origin,destination,count\n" + "".join(f"{o},{d},{c}\n" for (o, d, _), c in rows.items())
    )
    return str(path)


def test_command_prints_json_with_every_commune_once(tmp_path, flow_set, capsys):
    rows = {(f.origin_id, f.destination_id, ""): f.count for f in flow_set.flows.all()}
    path = _csv(tmp_path, rows)
    call_command(
        "territories_from_flows",
        path,
        department=DEPARTMENT,
        method="plurality",
        min_population="15000",
        max_population="150000",
        format="json",
    )
    payload = json.loads(capsys.readouterr().out)
    codes = [c for t in payload["territories"] for c in t["communes"]]
    expected = Commune.objects.filter(department_id=DEPARTMENT, kind="COM").count()
    assert len(codes) == len(set(codes)) == expected
    assert all(15_000 <= t["population"] <= 150_000 for t in payload["territories"])
    assert {"self_containment", "modularity", "attraction"} <= set(payload["quality"])
    assert all("self_containment" in t for t in payload["territories"])


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({}, "soit --department, soit --region"),
        ({"department": "53", "region": "52"}, "soit --department"),
        ({"department": "99"}, "Département inconnu"),
        ({"department": "53", "method": "louvain"}, "Méthode « louvain » inconnue"),
        ({"department": "53", "min_population": "-4"}, "--min-population"),
        (
            {"department": "53", "min_population": "9", "max_population": "3"},
            "ne peut pas dépasser",
        ),
    ],
)
def test_command_bad_arguments_exit_2(tmp_path, db, arguments, message):
    path = _csv(tmp_path, {("53130", "53130", ""): 1})
    with pytest.raises(CommandError) as caught:
        call_command("territories_from_flows", path, **arguments)
    assert caught.value.returncode == 2 and message in str(caught.value)


def test_command_bad_file_exits_2(tmp_path, db):
    path = tmp_path / "flux.csv"
    path.write_text("origin,destination,count\n53130,53130,-1\n")
    with pytest.raises(CommandError) as caught:
        call_command("territories_from_flows", str(path), department="53")
    assert caught.value.returncode == 2 and "Ligne 2" in str(caught.value)
    with pytest.raises(CommandError, match="introuvable"):
        call_command("territories_from_flows", str(tmp_path / "absent.csv"), department="53")


# --- pages and permissions -------------------------------------------------------------------


ACCESS = [
    (Role.FEDERATION_ADMIN, True, True),
    (Role.FEDERATION_STAFF, True, True),
    (Role.UNION_MEMBER, True, False),
    (Role.PARTNER, True, False),
    (Role.CPTS_COORDINATOR, False, False),
    (Role.HEALTH_PROFESSIONAL, False, False),
    (Role.SAS_REGULATOR, False, False),
]


def test_who_reads_and_who_proposes(client, proposal):
    """Federation staff propose and adopt; elected members and partners read; the others
    get nothing (one proposal for every role: the pages' computations are the slow part)."""
    item = proposal.territories.first()
    pages_read = [
        reverse("flows:federation", args=["52"]),
        reverse("flows:flow_set", args=[proposal.flow_set_id]),
        reverse("flows:proposal", args=[proposal.pk]),
        reverse("flows:proposal_map", args=[proposal.pk]),
    ]
    pages_write = [
        reverse("flows:import", args=["52"]),
        reverse("flows:generate", args=["52"]),
        reverse("flows:propose", args=[proposal.flow_set_id]),
        reverse("flows:adopt", args=[item.pk]),
    ]
    for role, read, write in ACCESS:
        client.force_login(user_with_role(role))
        for url in pages_read:
            assert client.get(url).status_code == (200 if read else 403), (role, url)
        for url in pages_write:
            assert client.get(url).status_code == (200 if write else 403), (role, url)


def test_staff_of_another_region_is_refused(client, proposal):
    client.force_login(user_with_role(Role.FEDERATION_STAFF, region_code="11"))
    assert client.get(reverse("flows:proposal", args=[proposal.pk])).status_code == 403
    assert client.get(reverse("flows:federation", args=["52"])).status_code == 403


def test_proposal_page_compares_with_cpts_and_epci_and_escapes_names(client, proposal, staff):
    laval = Commune.objects.get(code="53130")
    cpts = cpts_services.cpts_create(
        region=proposal.flow_set.region,
        name="</script><script>alert(1)</script>",
        main_department=laval.department,
        by=staff,
    )
    cpts_services.cpts_set_territory(cpts=cpts, codes=["53130"])
    client.force_login(staff)
    response = client.get(reverse("flows:proposal", args=[proposal.pk]))
    body = response.content.decode()
    assert "CPTS d'aujourd'hui" in body and "EPCI" in body
    assert "<script>alert(1)" not in body
    geojson = client.get(reverse("flows:proposal_map", args=[proposal.pk])).json()
    assert len(geojson["features"]) == proposal.territories.count()
    assert all(f["properties"]["label"] for f in geojson["features"])


def test_propose_and_adopt_through_the_pages(client, flow_set, staff):
    client.force_login(staff)
    response = client.post(
        reverse("flows:propose", args=[flow_set.pk]),
        {
            "area": f"department:{DEPARTMENT}",
            "methods": ["leiden", "plurality"],
            "within": "department",
            "min_population": "10000",
            "max_population": "200000",
            "contiguous": "on",
            "seed": "0",
        },
    )
    assert response.status_code == 302
    proposal = TerritoryProposal.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    page = client.get(response.url)
    assert page.status_code == 200 and "Leiden" in page.content.decode()
    item = proposal.territories.first()
    adopted = client.post(
        reverse("flows:adopt", args=[item.pk]),
        {"name": "CPTS issue des flux", "main_department": DEPARTMENT},
    )
    cpts = Cpts.objects.get(name="CPTS issue des flux")
    assert adopted.status_code == 302 and adopted.url == cpts.get_absolute_url()
    poles = client.get(
        reverse("flows:flow_set", args=[flow_set.pk]), {"department": DEPARTMENT, "count": "4"}
    )
    assert poles.status_code == 200
    assert poles.context["poles"][0].code == "53130"  # Laval, the main pole
    assert len(poles.context["poles"]) == 4
    bad = client.post(
        reverse("flows:propose", args=[flow_set.pk]),
        {"area": "department:75", "methods": ["leiden"], "within": "department", "seed": "0"},
    )
    assert bad.status_code == 200  # the form again, with its error


def test_import_page_shows_line_errors(client, loire, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff)
    response = client.post(
        reverse("flows:import", args=["52"]),
        {
            "name": "Import web",
            "year": "2024",
            "source": "CPAM",
            "file": SimpleUploadedFile("f.csv", b"origin,destination,count\n53130,ZZZ,1\n"),
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "code INSEE de destination inconnu" in body and "ZZZ" in body
    assert not FlowSet.objects.filter(name="Import web").exists()
