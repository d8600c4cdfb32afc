"""Six professions elect their URPS; the four others have their members designated by the
representative unions according to their audience (code de la santé publique, L4031-2)."""

import html
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from interurps.accounts.models import Role
from interurps.analytics.seats import DESIGNATED_PROFESSIONS, ELECTED_PROFESSIONS
from interurps.elections import selectors, services
from interurps.elections.models import Designation, Election, Mandate
from interurps.organizations.models import Union
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def union(profession):
    return Union.objects.select_related("profession").get(region_id="52", profession_id=profession)


@pytest.mark.parametrize("profession", DESIGNATED_PROFESSIONS)
def test_an_election_is_refused_for_a_designated_profession(profession):
    with pytest.raises(ValidationError) as error:
        services.election_create(union=union(profession), held_on=date(2026, 4, 8))
    message = " ".join(error.value.messages)
    assert "ne sont pas élus" in message and "désignés" in message and "L4031-2" in message
    assert not Election.objects.exists()


@pytest.mark.parametrize("profession", ELECTED_PROFESSIONS)
def test_a_designation_is_refused_for_an_elected_profession(profession):
    with pytest.raises(ValidationError) as error:
        services.designation_create(union=union(profession), designated_on=date(2026, 4, 8))
    assert "sont élus au scrutin de liste" in " ".join(error.value.messages)
    assert not Designation.objects.exists()


def test_six_professions_elect_their_union():
    for profession in ELECTED_PROFESSIONS:
        assert services.election_create(union=union(profession), held_on=date(2026, 4, 8))
    assert Election.objects.count() == 6


@pytest.fixture
def midwives_designation():
    return services.designation_create(
        union=union("sages-femmes"), designated_on=date(2026, 5, 4), note="Désignation démo"
    )


def test_designated_members_hold_the_same_kind_of_mandates(midwives_designation):
    onssf = services.designation_organisation_add(
        designation=midwives_designation, name="Organisation A", audience_share=Decimal("62.5")
    )
    unsf = services.designation_organisation_add(
        designation=midwives_designation, name="Organisation B", audience_share=Decimal("37.5")
    )
    first = services.designation_member_add(organisation=onssf, full_name="  Léa   Martin ")
    services.designation_member_add(organisation=onssf, full_name="Zoé Petit")
    services.designation_member_add(
        organisation=unsf, full_name="Anne Roux", birth_date=date(1975, 3, 2)
    )
    assert isinstance(first, Mandate)
    assert first.full_name == "Léa Martin" and first.group_name == "Organisation A"
    assert (first.started_on, first.ends_on) == (date(2026, 5, 4), date(2031, 5, 4))
    assert first.union == midwives_designation.union and first.ballot is None
    assert first.origin_url == midwives_designation.get_absolute_url()
    assert [m.position for m in onssf.members.all()] == [1, 2]
    current = selectors.current_mandates(midwives_designation.union, on=date(2026, 6, 1))
    assert [m.full_name for m in current] == ["Léa Martin", "Zoé Petit", "Anne Roux"]
    assert not selectors.current_mandates(midwives_designation.union, on=date(2031, 5, 5))


def test_audiences_cannot_exceed_100_percent(midwives_designation):
    services.designation_organisation_add(
        designation=midwives_designation, name="Organisation A", audience_share=Decimal("70")
    )
    with pytest.raises(ValidationError) as error:
        services.designation_organisation_add(
            designation=midwives_designation, name="Organisation B", audience_share=Decimal("40")
        )
    assert error.value.message_dict["audience_share"] == [
        "Les audiences dépasseraient 100\u00a0% : 70\u00a0% déjà enregistrés, 30\u00a0% au "
        "plus pour cette organisation."
    ]
    with pytest.raises(ValidationError, match="figure déjà"):
        services.designation_organisation_add(
            designation=midwives_designation, name="organisation a", audience_share=Decimal("1")
        )
    with pytest.raises(ValidationError, match="entre 0 et 100"):
        services.designation_organisation_add(
            designation=midwives_designation, name="Organisation C", audience_share=Decimal("-1")
        )
    assert midwives_designation.organisations.count() == 1


def test_a_designated_seat_is_freed_then_taken_by_a_successor(midwives_designation):
    organisation = services.designation_organisation_add(
        designation=midwives_designation, name="Organisation A", audience_share=Decimal("100")
    )
    mandate = services.designation_member_add(organisation=organisation, full_name="Léa Martin")
    assert (
        services.mandate_vacate(mandate=mandate, on=date(2027, 1, 15), reason="Démission") is None
    )
    successor = services.designation_member_add(
        organisation=organisation,
        full_name="Inès Garnier",
        started_on=date(2027, 2, 1),
        replaces=mandate,
    )
    assert successor.replaces == mandate and successor.ends_on == date(2031, 5, 4)
    with pytest.raises(ValidationError, match="Seul un siège libéré"):
        services.designation_member_add(
            organisation=organisation, full_name="Autre", replaces=mandate
        )
    with pytest.raises(ValidationError, match="commence entre"):
        services.designation_member_add(
            organisation=organisation, full_name="Trop tard", started_on=date(2032, 1, 1)
        )


def test_a_mandate_is_either_elected_or_designated(midwives_designation):
    with pytest.raises(IntegrityError), transaction.atomic():
        Mandate.objects.create(
            union=midwives_designation.union,
            started_on=date(2026, 5, 4),
            ends_on=date(2031, 5, 4),
        )


def test_designation_pages(client, midwives_designation):
    midwives = midwives_designation.union
    admin = user_with_role(Role.FEDERATION_ADMIN)
    client.force_login(admin)
    page = html.unescape(client.get(reverse("elections:union", args=[midwives.pk])).text)
    assert "Enregistrer une désignation" in page and "Enregistrer une élection" not in page
    # An election posted anyway for a designated union: refused, in French.
    response = client.post(
        reverse("elections:union", args=[midwives.pk]), {"held_on": "2026-04-08"}, follow=True
    )
    assert "ne sont pas élus\u202f: ils sont désignés" in html.unescape(response.text)
    assert not Election.objects.filter(union=midwives).exists()

    url = reverse("elections:designation_organisation_add", args=[midwives_designation.pk])
    response = client.post(url, {"org-name": "Organisation A", "org-audience_share": "62,5"})
    assert response.status_code == 302
    response = client.post(url, {"org-name": "Organisation B", "org-audience_share": "40"})
    assert "Les audiences dépasseraient 100" in html.unescape(response.text)
    organisation = midwives_designation.organisations.get()
    assert organisation.audience_share == Decimal("62.5")
    today = timezone.localdate()
    response = client.post(
        reverse("elections:designation_member_add", args=[midwives_designation.pk]),
        {"member-organisation": organisation.pk, "member-full_name": "Léa Martin"},
        follow=True,
    )
    page = html.unescape(response.text)
    assert "Léa Martin désigné·e par Organisation A" in page
    assert "62,5\u00a0%" in page

    # Designated members appear in the union's page and the directory while in office.
    Designation.objects.filter(pk=midwives_designation.pk).update(
        designated_on=today - timedelta(days=10)
    )
    Mandate.objects.filter(designated_member__organisation=organisation).update(
        started_on=today - timedelta(days=10), ends_on=today + timedelta(days=300)
    )
    directory = html.unescape(client.get(reverse("elections:directory", args=["52"])).text)
    assert "Léa Martin — Organisation A" in directory

    client.force_login(user_with_role(Role.UNION_MEMBER))
    assert client.get(midwives_designation.get_absolute_url()).status_code == 200
    assert client.post(url, {"org-name": "X", "org-audience_share": "1"}).status_code == 403
    client.force_login(user_with_role(Role.FEDERATION_STAFF, region_code="11"))
    assert client.get(midwives_designation.get_absolute_url()).status_code == 403


def test_an_elected_union_page_offers_elections_only(client):
    client.force_login(user_with_role(Role.FEDERATION_ADMIN))
    nurses = union("infirmiers")
    page = html.unescape(client.get(reverse("elections:union", args=[nurses.pk])).text)
    assert "Enregistrer une élection" in page and "Enregistrer une désignation" not in page
    response = client.post(
        reverse("elections:designation_create", args=[nurses.pk]),
        {"designated_on": "2026-04-08"},
        follow=True,
    )
    assert "sont élus au scrutin de liste" in html.unescape(response.text)
    assert not Designation.objects.exists()


def test_freeing_a_designated_seat_from_its_page(client, midwives_designation):
    organisation = services.designation_organisation_add(
        designation=midwives_designation, name="Organisation A", audience_share=Decimal("100")
    )
    mandate = services.designation_member_add(organisation=organisation, full_name="Léa Martin")
    client.force_login(user_with_role(Role.FEDERATION_ADMIN))
    url = reverse("elections:mandate_vacate", args=[mandate.pk])
    page = html.unescape(client.get(url).text)
    assert "Membre désigné·e par «\u202fOrganisation A\u202f»" in page
    response = client.post(url, {"on": "2027-01-15", "reason": "Démission"}, follow=True)
    assert response.redirect_chain[-1][0] == midwives_designation.get_absolute_url()
    assert "Organisation A désigne la personne qui le reprend" in html.unescape(response.text)
    mandate.refresh_from_db()
    assert (mandate.status, mandate.ended_on) == (Mandate.Status.VACATED, date(2027, 1, 15))
