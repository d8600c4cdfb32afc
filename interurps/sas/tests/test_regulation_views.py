"""The regulator's pages: record a call, search, book in one click, a slot just taken,
an extra appointment, another outcome, cancellation, today's list, permissions, home."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interurps.accounts.models import Role
from interurps.sas.booking import appointment_book
from interurps.sas.models import Appointment, CareRequest, Slot
from interurps.sas.regulation import selectors, services
from interurps.sas.tests.regulation_helpers import (
    care_request_create,
    effector_create,
    site_create,
    slot_create,
    tomorrow_at,
)
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db
NANTES_POINT = (47.2184, -1.5536)


@pytest.fixture
def regulator():
    return user_with_role(Role.SAS_REGULATOR, "52")


@pytest.fixture
def offered_slot():
    site = site_create(effector_create(), latitude=NANTES_POINT[0], longitude=NANTES_POINT[1])
    return slot_create(site, start=tomorrow_at(10))


def page(response) -> str:
    return html.unescape(response.content.decode())


def test_a_regulator_records_a_call_and_lands_on_the_search(client, regulator, offered_slot):
    client.force_login(regulator)
    url = reverse("sas:regulation_request_create", args=["52"])
    assert client.get(url).status_code == 200
    called = timezone.localtime().replace(second=0, microsecond=0) - timedelta(minutes=3)
    response = client.post(
        url,
        {
            "called_at": called.strftime("%Y-%m-%dT%H:%M"),
            "commune": "Nantes",
            "age_band": "18-59",
            "reason": "fever",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    care_request = CareRequest.objects.get()
    assert response["Location"] == reverse("sas:regulation_request", args=[care_request.pk])
    assert care_request.commune_id == "44109" and care_request.regulator == regulator
    assert care_request.called_at == called
    text = page(client.get(response["Location"]))
    assert "Cabinet" in text and "Réserver" in text
    assert re.search(r"\d+,\d\u202f?\s?km", text)  # French decimals


def test_a_commune_outside_the_region_or_ambiguous_is_refused_in_french(client, regulator):
    client.force_login(regulator)
    url = reverse("sas:regulation_request_create", args=["52"])
    data = {"called_at": "2026-03-16T10:00", "age_band": "18-59", "reason": "fever"}
    response = client.post(url, {**data, "commune": "75056"})
    assert response.status_code == 200
    assert "Aucune commune de la région" in page(response)
    response = client.post(url, {**data, "commune": "Saint"})
    assert "Plusieurs communes correspondent" in page(response)
    assert not CareRequest.objects.exists()


def test_booking_in_one_click_takes_the_slot(client, regulator, offered_slot):
    care_request = care_request_create(regulator=regulator)
    client.force_login(regulator)
    response = client.post(
        reverse("sas:regulation_book", args=[care_request.pk]), {"slot": offered_slot.pk}
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.slot == offered_slot and appointment.booked_by == regulator
    offered_slot.refresh_from_db()
    care_request.refresh_from_db()
    assert offered_slot.booked == 1
    assert care_request.outcome == CareRequest.Outcome.BOOKED
    text = page(client.get(response["Location"]))
    assert "délai depuis l'appel" in text


def test_a_slot_just_taken_gets_a_french_message_and_the_refreshed_list(
    client, regulator, offered_slot
):
    other_slot = slot_create(offered_slot.site, start=tomorrow_at(11))
    appointment_book(slot=offered_slot, care_request=care_request_create())  # another regulator
    care_request = care_request_create(regulator=regulator)
    client.force_login(regulator)
    response = client.post(
        reverse("sas:regulation_book", args=[care_request.pk]),
        {"slot": offered_slot.pk, "query": "radius_km=5"},
    )
    assert response.status_code == 409
    text = page(response)
    assert "vient d'être pris" in text and "liste à jour" in text
    assert response.context["result"].start_radius_km == 5
    listed = [row.slot.pk for row in response.context["result"].slots]
    assert offered_slot.pk not in listed and other_slot.pk in listed
    assert Appointment.objects.count() == 1


def test_a_missing_or_garbage_slot_is_explained(client, regulator):
    care_request = care_request_create()
    client.force_login(regulator)
    for value in ("", "abc", "99999999"):
        response = client.post(
            reverse("sas:regulation_book", args=[care_request.pk]), {"slot": value}, follow=True
        )
        assert response.status_code == 200
        assert "Choisissez un créneau" in page(response)


def test_a_second_booking_for_the_same_request_is_refused(client, regulator, offered_slot):
    care_request = care_request_create()
    services.care_request_book(care_request=care_request, slot=offered_slot, by=regulator)
    other = slot_create(offered_slot.site, start=tomorrow_at(14))
    client.force_login(regulator)
    response = client.post(
        reverse("sas:regulation_book", args=[care_request.pk]), {"slot": other.pk}, follow=True
    )
    assert "déjà un rendez-vous" in page(response)
    other.refresh_from_db()
    assert other.booked == 0


def test_cancelling_frees_the_slot_and_reopens_the_request(client, regulator, offered_slot):
    care_request = care_request_create()
    appointment = services.care_request_book(
        care_request=care_request, slot=offered_slot, by=regulator
    )
    client.force_login(regulator)
    response = client.post(reverse("sas:regulation_cancel", args=[appointment.pk]))
    assert response.status_code == 302
    offered_slot.refresh_from_db()
    care_request.refresh_from_db()
    appointment.refresh_from_db()
    assert offered_slot.booked == 0
    assert appointment.status == Appointment.Status.CANCELLED
    assert care_request.outcome == CareRequest.Outcome.PENDING
    # the slot is offered again
    search = selectors.criteria_for(care_request)
    assert offered_slot.pk in [r.slot.pk for r in selectors.slot_search(search).slots]
    # cancelling twice changes nothing
    client.post(reverse("sas:regulation_cancel", args=[appointment.pk]))
    offered_slot.refresh_from_db()
    assert offered_slot.booked == 0


def test_an_extra_appointment_takes_no_slot(client, regulator):
    effector = effector_create(accepts_extra_patients=True)
    site_create(effector, latitude=NANTES_POINT[0], longitude=NANTES_POINT[1])
    care_request = care_request_create()
    client.force_login(regulator)
    start = tomorrow_at(18, 30)
    response = client.post(
        reverse("sas:regulation_book_extra", args=[care_request.pk]),
        {"effector": effector.pk, "start": start.strftime("%Y-%m-%dT%H:%M"), "minutes": 15},
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.extra and appointment.slot is None
    assert appointment.start == start and appointment.end == start + timedelta(minutes=15)
    care_request.refresh_from_db()
    assert care_request.outcome == CareRequest.Outcome.BOOKED
    assert not Slot.objects.exists()


def test_an_effector_refusing_extra_patients_cannot_get_one(regulator):
    effector = effector_create(accepts_extra_patients=False)
    care_request = care_request_create()
    with pytest.raises(services.ValidationError):
        services.care_request_book_extra(
            care_request=care_request, effector=effector, start=tomorrow_at(9), by=regulator
        )


def test_extra_form_errors_are_shown_not_a_500(client, regulator):
    effector = effector_create(accepts_extra_patients=True)
    care_request = care_request_create()
    client.force_login(regulator)
    response = client.post(
        reverse("sas:regulation_book_extra", args=[care_request.pk]),
        {"effector": effector.pk, "start": "pas une date", "minutes": 500},
    )
    assert response.status_code == 200
    assert "non enregistré" in page(response)
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("outcome", ["advice", "emergency", "no_slot"])
def test_another_outcome_is_recorded(client, regulator, outcome):
    care_request = care_request_create()
    client.force_login(regulator)
    client.post(reverse("sas:regulation_outcome", args=[care_request.pk]), {"outcome": outcome})
    care_request.refresh_from_db()
    assert care_request.outcome == outcome


def test_booked_is_not_an_outcome_set_by_hand(client, regulator):
    care_request = care_request_create()
    client.force_login(regulator)
    response = client.post(
        reverse("sas:regulation_outcome", args=[care_request.pk]),
        {"outcome": "booked"},
        follow=True,
    )
    assert "Choisissez une issue" in page(response)
    care_request.refresh_from_db()
    assert care_request.outcome == CareRequest.Outcome.PENDING


def test_today_lists_the_day_requests_with_their_appointments_and_delays(
    client, regulator, offered_slot
):
    today = care_request_create(called_at=tomorrow_at(10) - timedelta(days=1, hours=2))
    yesterday = care_request_create(called_at=timezone.now() - timedelta(days=2))
    appointment = services.care_request_book(care_request=today, slot=offered_slot, by=regulator)
    client.force_login(regulator)
    response = client.get(reverse("sas:regulation_today", args=["52"]))
    listed = list(response.context["care_requests"])
    assert today in listed and yesterday not in listed
    text = page(response)
    delay = selectors.format_delay(appointment.start - today.called_at)
    assert delay == "1 j 2 h"
    assert f"délai {delay}" in text


def test_format_delay():
    assert selectors.format_delay(timedelta(minutes=45)) == "45 min"
    assert selectors.format_delay(timedelta(hours=3, minutes=5)) == "3 h 05"
    assert selectors.format_delay(timedelta(days=1, hours=2, minutes=10)) == "1 j 2 h"
    assert selectors.format_delay(None) == "—"


# --- permissions -------------------------------------------------------------------------


def test_regulators_search_and_book_only_in_their_region(client, offered_slot):
    care_request = care_request_create()
    other_regulator = user_with_role(Role.SAS_REGULATOR, "11")
    client.force_login(other_regulator)
    assert client.get(reverse("sas:regulation_today", args=["52"])).status_code == 403
    assert client.get(reverse("sas:regulation_request", args=[care_request.pk])).status_code == 403
    response = client.post(
        reverse("sas:regulation_book", args=[care_request.pk]), {"slot": offered_slot.pk}
    )
    assert response.status_code == 403
    assert client.get(reverse("sas:regulation_request_create", args=["52"])).status_code == 403
    assert client.get(reverse("sas:regulation_today", args=["11"])).status_code == 200


def test_federation_staff_read_but_do_not_book(client, offered_slot):
    care_request = care_request_create()
    client.force_login(user_with_role(Role.FEDERATION_STAFF, "52"))
    response = client.get(reverse("sas:regulation_request", args=[care_request.pk]))
    assert response.status_code == 200
    assert "Réserver</button>" not in page(response)
    response = client.post(
        reverse("sas:regulation_book", args=[care_request.pk]), {"slot": offered_slot.pk}
    )
    assert response.status_code == 403
    offered_slot.refresh_from_db()
    assert offered_slot.booked == 0


@pytest.mark.parametrize(
    "role",
    [Role.HEALTH_PROFESSIONAL, Role.PARTNER, Role.UNION_MEMBER, Role.CPTS_COORDINATOR],
)
def test_other_roles_get_403(client, role, offered_slot):
    care_request = care_request_create()
    client.force_login(user_with_role(role, "52"))
    assert client.get(reverse("sas:regulation_today", args=["52"])).status_code == 403
    assert client.get(reverse("sas:regulation_request", args=[care_request.pk])).status_code == 403
    response = client.post(
        reverse("sas:regulation_book", args=[care_request.pk]), {"slot": offered_slot.pk}
    )
    assert response.status_code == 403


def test_a_slot_of_another_region_is_not_booked(regulator):
    site = site_create(
        effector_create(region_code="11"), latitude=NANTES_POINT[0], longitude=NANTES_POINT[1]
    )
    slot = slot_create(site, start=tomorrow_at(9))
    with pytest.raises(services.ValidationError):
        services.care_request_book(care_request=care_request_create(), slot=slot, by=regulator)
    slot.refresh_from_db()
    assert slot.booked == 0


# --- navigation ----------------------------------------------------------------------------


def test_the_regulator_home_counts_today_requests_and_free_slots(client, regulator, offered_slot):
    slot_create(offered_slot.site, start=timezone.now() + timedelta(hours=49))  # beyond 48 h
    slot_create(offered_slot.site, start=tomorrow_at(12), shared=False)  # not shared
    care_request_create()
    care_request_create(called_at=timezone.now() - timedelta(days=3))
    client.force_login(regulator)
    response = client.get(reverse("home:home"))
    assert response.context["sas_care_requests_today"] == 1
    expected_free = Slot.objects.filter(
        shared=True, start__gte=timezone.now(), start__lt=timezone.now() + timedelta(hours=48)
    ).count()
    assert response.context["sas_free_slots_48h"] == expected_free == 1
    text = page(response)
    assert "Régulation SAS" in text
    assert reverse("sas:regulation_today", args=["52"]) in text
