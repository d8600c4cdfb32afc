"""The CPTS's own ACI contract: amounts per contract year, expected and paid, ceilings."""

import html
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.accounts.services import role_assign
from interurps.cpts import selectors, services
from interurps.cpts.models import AciContractMission, AciContractYear, Cpts
from interurps.cpts.services import MissionAmounts
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db
D = Decimal
SIGNED = date(2021, 3, 12)


@pytest.fixture
def signed(make_cpts):
    cpts = make_cpts("CPTS de Laval", ["53130"])
    Cpts.objects.filter(pk=cpts.pk).update(aci_signed_on=SIGNED, stage="aci_signe")
    cpts.refresh_from_db()
    return cpts


def test_a_contract_year_is_recorded_and_replaced(signed):
    services.aci_contract_year_set(
        cpts=signed,
        number=1,
        operating_amount=D(60_000),
        missions={
            "prevention": MissionAmounts(D(10_000), D(8_000), D(50)),
            "parcours": MissionAmounts(D(12_000), D(9_000)),
        },
    )
    year = AciContractYear.objects.get(cpts=signed, number=1)
    assert set(year.missions.values_list("mission", flat=True)) == {"prevention", "parcours"}
    services.aci_contract_year_set(
        cpts=signed,
        number=1,
        operating_amount=D(62_000),
        missions={"prevention": MissionAmounts(D(10_000), D(8_000), D(75))},
    )
    year.refresh_from_db()
    assert year.operating_amount == D(62_000)
    assert list(year.missions.values_list("mission", "achievement_percent")) == [
        ("prevention", D(75))
    ]
    funding = selectors.cpts_contract_funding(signed, as_of=date(2022, 3, 12))
    assert funding.expected == D(62_000 + 10_000 + 6_000) == funding.paid


def test_a_contract_needs_the_aci_signature_and_valid_amounts(make_cpts, signed):
    unsigned = make_cpts("CPTS sans ACI", ["53271"])
    with pytest.raises(ValidationError, match="ACI signé"):
        services.aci_contract_year_set(
            cpts=unsigned, number=1, operating_amount=D(60_000), missions={}
        )
    with pytest.raises(ValidationError):
        services.aci_contract_year_set(
            cpts=signed,
            number=1,
            operating_amount=D(60_000),
            missions={"prevention": MissionAmounts(D(1), D(1), D(120))},
        )
    with pytest.raises(ValidationError):
        services.aci_contract_year_set(cpts=signed, number=6, operating_amount=D(1), missions={})
    # All or nothing: the refused year left nothing behind.
    assert not AciContractYear.objects.exists() and not AciContractMission.objects.exists()


def test_a_mission_started_during_the_year_has_its_fixed_part_prorated(signed):
    services.mission_set(
        cpts=signed, kind="prevention", status="en_cours", started_on=date(2021, 9, 12)
    )
    services.aci_contract_year_set(
        cpts=signed,
        number=1,
        operating_amount=D(60_000),
        missions={"prevention": MissionAmounts(D(20_000), D(0))},
    )
    funding = selectors.cpts_contract_funding(signed, as_of=date(2021, 10, 1))
    fixed = next(line for line in funding.years[0].lines if line.kind == "fixe")
    assert (fixed.expected, fixed.paid) == (D(10_000), D(7_500))


def test_the_cpts_page_shows_its_contract_not_the_national_tables(client, signed):
    staff = user_with_role(Role.FEDERATION_STAFF)
    client.force_login(staff)
    page = html.unescape(client.get(reverse("cpts:detail", args=[signed.pk])).text)
    assert "montants du contrat ACI signé par la CPTS ne sont pas encore saisis" in page
    assert "non confirmé" not in page and "Quotidien" not in page and "FMF" not in page
    services.aci_contract_year_set(
        cpts=signed,
        number=1,
        operating_amount=D(60_000),
        missions={"prevention": MissionAmounts(D(10_000), D(8_000), D(50))},
    )
    page = html.unescape(client.get(reverse("cpts:detail", args=[signed.pk])).text)
    assert "non confirmé" not in page and "Quotidien" not in page
    funding = selectors.cpts_contract_funding(signed)
    current = funding.current_year()
    assert f"Année {current.number} du contrat" in page
    scales = html.unescape(client.get(reverse("cpts:aci_scales")).text)
    assert "Quotidien" in scales  # the sources live on the scales page


def test_staff_enter_a_year_and_see_the_ceiling_warning(client, signed):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    url = reverse("cpts:aci_contract_year", args=[signed.pk, 1])
    form = client.get(url)
    # Default: the confirmed national fonctionnement for the size (2019 agreement).
    ceiling = {1: 50_000, 2: 60_000, 3: 75_000, 4: 90_000}[signed.size_category]
    assert form.context["form"].initial["operating_amount"] == ceiling
    response = client.post(
        url,
        {
            "operating_amount": "95000",
            "fixed_prevention": "10000",
            "variable_prevention": "8000",
            "achievement_prevention": "50",
        },
    )
    assert response.status_code == 302
    page = html.unescape(client.get(reverse("cpts:aci_contract", args=[signed.pk])).text)
    assert f"au-dessus du plafond confirmé de {ceiling:,} €".replace(",", " ") in page
    assert "au-dessus du plafond" in page
    bad = client.post(url, {"operating_amount": "-1", "achievement_parcours": "20"})
    assert bad.status_code == 200
    errors = html.unescape(bad.text)
    assert "indiquez les montants de la mission avant son taux" in errors
    assert AciContractYear.objects.get().operating_amount == D(95_000)


def test_who_may_see_and_enter_the_contract(client, signed, make_cpts):
    other = make_cpts("CPTS du Nord Mayenne", ["53271"])
    partner = user_with_role(Role.PARTNER)
    client.force_login(partner)
    assert client.get(reverse("cpts:aci_contract", args=[signed.pk])).status_code == 200
    assert client.get(reverse("cpts:aci_contract_year", args=[signed.pk, 1])).status_code == 403
    coordinator = user_with_role(Role.CPTS_COORDINATOR)
    coordinator.role_assignments.all().delete()
    role_assign(user=coordinator, role=Role.CPTS_COORDINATOR, region=signed.region, cpts=signed)
    client.force_login(coordinator)
    assert client.get(reverse("cpts:aci_contract_year", args=[signed.pk, 1])).status_code == 200
    assert client.get(reverse("cpts:aci_contract_year", args=[other.pk, 1])).status_code == 403
    assert client.get(reverse("cpts:aci_contract_year", args=[signed.pk, 9])).status_code == 404
    client.force_login(user_with_role(Role.FEDERATION_STAFF, region_code="11"))
    assert client.get(reverse("cpts:aci_contract", args=[signed.pk])).status_code == 403


def test_demo_cpts_with_a_signed_aci_have_an_illustrative_contract(loire, staff):
    import inspect

    from interurps.cpts import demo

    demo.demo_cpts_load(region=loire, staff_user=staff)
    assert "ILLUSTRATIVE" in inspect.getdoc(demo)
    years = AciContractYear.objects.filter(cpts__region=loire)
    assert set(years.values_list("cpts__name", flat=True)) == set(demo.DEMO_CONTRACTS)
    count = years.count()
    assert demo.demo_aci_contracts_load(region=loire) == 0  # idempotent
    assert years.count() == count
    saumurois = Cpts.objects.get(region=loire, name="CPTS du Grand Saumurois")
    funding = selectors.cpts_contract_funding(saumurois, as_of=date(2023, 1, 1))
    assert [y.number for y in funding.years] == [1, 2, 3, 4, 5]
    assert funding.warnings == ()  # the illustrative amounts respect the confirmed ceilings
    assert funding.years[-1].pending_assessment
    assert D(0) < funding.paid < funding.expected


def test_the_coverage_page_adds_up_the_contracts_not_the_national_tables(client, signed):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    url = reverse("cpts:department_coverage", args=["53"])
    report = client.get(url).context["report"]
    assert (report.funding_total, report.funding_cpts, report.signed_cpts) == (0, 0, 1)
    services.aci_contract_year_set(
        cpts=signed,
        number=1,
        operating_amount=D(60_000),
        missions={"prevention": MissionAmounts(D(10_000), D(8_000), D(50))},
    )
    response = client.get(url)
    report = response.context["report"]
    current = selectors.cpts_contract_funding(signed).current_year()
    assert report.funding_total == current.expected == D(74_000)
    assert "contrats de 1 CPTS sur 1 ayant signé l'ACI" in html.unescape(response.text)


def test_the_coverage_page_reads_every_contract_at_once(client, signed, make_cpts):
    """The number of queries does not grow with the number of CPTS under contract."""
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    url = reverse("cpts:department_coverage", args=["53"])

    def sign_with_a_contract(cpts):
        Cpts.objects.filter(pk=cpts.pk).update(aci_signed_on=SIGNED, stage="aci_signe")
        cpts.refresh_from_db()
        for number in (1, 2):
            services.aci_contract_year_set(
                cpts=cpts,
                number=number,
                operating_amount=D(60_000),
                missions={"prevention": MissionAmounts(D(10_000), D(8_000), D(50))},
            )

    def page_queries(expected_total):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.context["report"].funding_cpts == expected_total
        return len(queries)

    sign_with_a_contract(signed)
    one = page_queries(1)
    for name, code in [("CPTS du Nord", "53271"), ("CPTS du Sud", "53054")]:
        sign_with_a_contract(make_cpts(name, [code]))
    assert page_queries(3) == one


def test_the_coverage_map_is_served_apart_from_the_page(client, signed):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    page_url = reverse("cpts:department_coverage", args=["53"])
    page = client.get(page_url)
    map_url = page.context["map_url"]
    assert map_url.startswith(reverse("cpts:department_coverage_map", args=["53"]) + "?v=")
    assert f'data-map-url="{map_url}"' in page.text
    assert '"coordinates"' not in page.text  # no white zone inlined
    response = client.get(map_url)
    assert response.status_code == 200 and response["ETag"]
    kinds = {f["properties"]["kind"] for f in json.loads(response.content)["features"]}
    assert "white_zone" in kinds
    assert client.get(map_url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    # A territory changed: a new map URL, so that no browser shows the cached one.
    services.cpts_set_territory(cpts=signed, codes=["53130", "53054"])
    new_url = client.get(page_url).context["map_url"]
    assert new_url != map_url
    # ... drawn from the new territory (maps are kept by version, never a stale one), then
    # served from the cache without reading the outlines again.
    with CaptureQueriesContext(connection) as drawn:
        features = json.loads(client.get(new_url).content)["features"]
    white = {f["properties"]["url"] for f in features if f["properties"]["kind"] == "white_zone"}
    for code in ("53130", "53054"):
        assert reverse("geography:commune_detail", args=[code]) not in white
    cpts_names = {f["properties"]["name"] for f in features if f["properties"]["kind"] == "cpts"}
    assert signed.name in cpts_names
    with CaptureQueriesContext(connection) as cached:
        assert json.loads(client.get(new_url).content)["features"] == features
    assert len(cached) < len(drawn)
    client.force_login(user_with_role(Role.FEDERATION_STAFF, "11"))
    assert client.get(map_url).status_code == 403
