"""Messages shown to users name the field instead of Django's generic unique error."""

from datetime import date

import pytest
from django.urls import reverse

from interurps.accounts.models import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_a_duplicate_cpts_name_is_refused_on_the_name_field(client):
    from interurps.cpts import services
    from interurps.geography.models import Department, Region

    staff = user_with_role(Role.FEDERATION_STAFF)
    mayenne = Department.objects.get(code="53")
    services.cpts_create(
        region=Region.objects.get(code="52"),
        name="CPTS du Bocage",
        main_department=mayenne,
        by=staff,
        started_on=date(2020, 1, 6),
    )
    other = services.cpts_create(
        region=Region.objects.get(code="52"),
        name="CPTS des Coëvrons",
        main_department=mayenne,
        by=staff,
        started_on=date(2020, 1, 6),
    )
    client.force_login(staff)
    data = {"name": "CPTS du Bocage", "main_department": "53", "legal_form": "association"}
    response = client.post(reverse("cpts:edit", args=[other.pk]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors.get("name") == ["Une CPTS porte déjà ce nom dans cette région."]
    assert "Un objet" not in response.content.decode()


def test_models_without_their_own_message_get_one_naming_the_field():
    from django.core.exceptions import ValidationError

    from interurps.activities.models import MeetingKind
    from interurps.core.forms import named_unique_errors
    from interurps.organizations.models import Federation

    federation = Federation.objects.get(region_id="52")
    MeetingKind.objects.create(federation=federation, name="Bureau")
    duplicate = MeetingKind(federation=federation, name="Bureau")
    with pytest.raises(ValidationError) as raised:
        duplicate.validate_constraints()
    named = named_unique_errors(raised.value)
    assert named.message_dict == {
        "name": [
            "Type de réunion : la valeur du champ « type de réunion » est déjà utilisée "
            "(même fédération)."
        ]
    }


def test_a_second_election_on_the_same_day_is_refused_in_words(client):
    from interurps.elections.models import Election
    from interurps.organizations.models import Union

    union = Union.objects.get(region_id="52", profession_id="infirmiers")
    Election.objects.create(union=union, held_on=date(2026, 4, 1))
    client.force_login(user_with_role(Role.FEDERATION_ADMIN))
    response = client.post(
        reverse("elections:union", args=[union.pk]), {"held_on": "2026-04-01"}, follow=True
    )
    page = response.content.decode()
    assert "Cette URPS a déjà une élection à cette date." in page
    assert "Un objet" not in page
