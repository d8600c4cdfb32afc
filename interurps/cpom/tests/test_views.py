from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.cpom import services
from interurps.cpom.models import Contract, FundingLine, FundingSource
from interurps.organizations.models import Partner
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(federation, contract, objective, action, manual_indicator):
    line = services.funding_line_create(
        federation=federation, contract=contract, year=2025, source=FundingSource.ARS,
        label="Accompagnement CPTS", amount=Decimal(1000),
    )  # fmt: skip
    services.spending_create(
        funding_line=line, spent_on=date(2025, 2, 1), amount=Decimal(250), label="Salaires"
    )
    return {
        "contract": contract, "theme": objective.theme, "objective": objective,
        "action": action, "indicator": manual_indicator, "line": line,
    }  # fmt: skip


def read_urls(r):
    return [
        reverse("cpom:federation_cpom", args=["52"]),
        reverse("cpom:contract_detail", args=[r["contract"].pk]),
        reverse("cpom:contract_detail", args=[r["contract"].pk]) + "?annee=2025",
        reverse("cpom:action_detail", args=[r["action"].pk]),
        reverse("cpom:indicator_detail", args=[r["indicator"].pk]),
        reverse("cpom:funding_line_detail", args=[r["line"].pk]),
    ]


def write_urls(r):
    return [
        reverse("cpom:contract_create", args=["52"]),
        reverse("cpom:funding_line_create", args=["52"]),
        reverse("cpom:contract_edit", args=[r["contract"].pk]),
        reverse("cpom:amendment_create", args=[r["contract"].pk]),
        reverse("cpom:theme_create", args=[r["contract"].pk]),
        reverse("cpom:theme_edit", args=[r["theme"].pk]),
        reverse("cpom:objective_create", args=[r["theme"].pk]),
        reverse("cpom:objective_edit", args=[r["objective"].pk]),
        reverse("cpom:action_create", args=[r["objective"].pk]),
        reverse("cpom:action_edit", args=[r["action"].pk]),
        reverse("cpom:objective_indicator_create", args=[r["objective"].pk]),
        reverse("cpom:action_indicator_create", args=[r["action"].pk]),
        reverse("cpom:indicator_edit", args=[r["indicator"].pk]),
        reverse("cpom:target_set", args=[r["indicator"].pk]),
        reverse("cpom:measurement_create", args=[r["indicator"].pk]),
        reverse("cpom:funding_line_edit", args=[r["line"].pk]),
        reverse("cpom:spending_create", args=[r["line"].pk]),
    ]


@pytest.mark.parametrize("role", [Role.PARTNER, Role.UNION_MEMBER])
def test_read_only_roles_read_but_never_write(client, records, role):
    client.force_login(user_with_role(role))
    for url in read_urls(records):
        assert client.get(url).status_code == 200, url
    for url in write_urls(records):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    freeze = reverse("cpom:indicator_freeze", args=[records["indicator"].pk])
    assert client.post(freeze, {"year": 2025}).status_code == 403
    page = client.get(reverse("cpom:contract_detail", args=[records["contract"].pk])).text
    assert "Modifier le CPOM" not in page


@pytest.mark.parametrize("role", [Role.FEDERATION_STAFF, Role.FEDERATION_ADMIN])
def test_staff_and_admins_read_and_open_every_form(client, records, role):
    client.force_login(user_with_role(role))
    for url in read_urls(records) + write_urls(records):
        assert client.get(url).status_code == 200, url


def test_other_region_gets_403(client, records):
    for role in (Role.FEDERATION_ADMIN, Role.PARTNER):
        client.force_login(user_with_role(role, region_code="44"))
        for url in read_urls(records) + write_urls(records):
            assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_login(client, records):
    response = client.get(reverse("cpom:federation_cpom", args=["52"]))
    assert response.status_code == 302


def test_staff_creates_a_contract_and_a_funding_line(client, federation):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    ars = Partner.objects.get(region_id="52", kind=Partner.Kind.ARS)
    response = client.post(
        reverse("cpom:contract_create", args=["52"]),
        {"title": "CPOM 2025-2027", "partner": ars.pk, "start_year": 2025, "end_year": 2027},
    )
    contract = Contract.objects.get(title="CPOM 2025-2027")
    assert response.status_code == 302
    assert response["Location"] == contract.get_absolute_url()
    response = client.post(
        reverse("cpom:funding_line_create", args=["52"]),
        {"year": 2028, "source": "ars_fir", "label": "SAS", "amount": "55000",
         "contract": contract.pk},
    )  # fmt: skip
    assert response.status_code == 200
    assert "couvre les années" in response.text
    assert not FundingLine.objects.exists()


def test_dashboard_shows_status_as_text_and_the_chart(client, records):
    services.measurement_create(
        indicator=records["indicator"], measured_on=date(2025, 9, 1), value=Decimal(19)
    )
    client.force_login(user_with_role(Role.PARTNER))
    page = client.get(
        reverse("cpom:contract_detail", args=[records["contract"].pk]) + "?annee=2025"
    ).text
    assert "En bonne voie" in page  # 90 % of the way: amber, said in words
    assert "Action phare" in page
    assert "<svg" in page and 'width="105.0"' in page  # 250 € spent of 1,000 €
    assert "25,0\u202f%" in page  # French decimal comma, narrow no-break space


def test_staff_freezes_an_automatic_indicator(client, objective):
    indicator = services.indicator_create(
        objective=objective, title="CPTS ACI", computation="cpts_aci_signe"
    )
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    response = client.post(reverse("cpom:indicator_freeze", args=[indicator.pk]), {"year": 2025})
    assert response.status_code == 302
    assert indicator.measurements.get().source == "calcul automatique"


def test_dashboard_query_count_does_not_grow_with_actions(
    client, records, django_assert_max_num_queries
):
    for i in range(10):
        action = services.action_create(objective=records["objective"], title=f"Action {i}")
        services.indicator_create(action=action, title=f"Indicateur {i}")
    client.force_login(user_with_role(Role.PARTNER))
    url = reverse("cpom:contract_detail", args=[records["contract"].pk]) + "?annee=2025"
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200
