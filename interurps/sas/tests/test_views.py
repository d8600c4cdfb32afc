"""The pages, per role: an effector sees and edits only their slots, a coordinator their
CPTS's rota (and reads their members), staff everything, regulators read, partners and
elected members nothing."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interurps.accounts.models import Role
from interurps.analytics import sas_slots
from interurps.cpts.models import Cpts
from interurps.sas import services
from interurps.sas.booking import appointment_book
from interurps.sas.models import Appointment, Effector, Slot
from interurps.sas.tests.conftest import account, spec
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def future_slot(effector, *, days=2, shared=True, capacity=1, rota_cpts=None):
    day = timezone.localdate() + timedelta(days=days)
    site = effector.sites.get()
    return services.slot_create(
        effector=effector,
        spec=services.rota_spec(site, shared=shared)
        if rota_cpts
        else spec(site, shared=shared, capacity=capacity),
        start=services.local_datetime(day, time(18)),
        end=services.local_datetime(day, time(20)),
        rota_cpts=rota_cpts,
    )


def pro(effector):
    return account(Role.HEALTH_PROFESSIONAL, professional=effector.professional)


def test_an_effector_sees_and_edits_only_their_own_slots(client, sas):
    theirs = future_slot(sas.member)
    mine = future_slot(sas.other)
    client.force_login(pro(sas.other))
    assert client.get(reverse("sas:slot_week", args=[sas.other.pk])).status_code == 200
    assert client.get(reverse("sas:slot_week", args=[sas.member.pk])).status_code == 403
    assert client.get(reverse("sas:effector_detail", args=[sas.member.pk])).status_code == 403
    assert client.post(reverse("sas:slot_cancel", args=[theirs.pk])).status_code == 403
    assert client.post(reverse("sas:slot_share", args=[theirs.pk])).status_code == 403
    assert client.post(reverse("sas:slot_create", args=[sas.member.pk])).status_code == 403
    assert client.get(reverse("sas:slot_cancel", args=[999999])).status_code == 404
    assert Slot.objects.get(pk=theirs.pk).cancelled_at is None
    assert client.post(reverse("sas:slot_cancel", args=[mine.pk])).status_code == 302
    assert Slot.objects.get(pk=mine.pk).cancelled_at is not None


def test_my_slots_leads_to_ones_own_week(client, sas):
    client.force_login(pro(sas.other))
    response = client.get(reverse("sas:my_slots"))
    assert response.url == reverse("sas:slot_week", args=[sas.other.pk])
    client.force_login(user_with_role(Role.HEALTH_PROFESSIONAL))
    response = client.get(reverse("sas:my_slots"))
    assert response.status_code == 200 and "pas inscrit·e" in response.text


def test_week_view_navigation_and_iso_dates(client, sas):
    client.force_login(pro(sas.other))
    url = reverse("sas:slot_week", args=[sas.other.pk])
    response = client.get(url, {"semaine": "2026-03-26"})
    assert response.context["monday"].isoformat() == "2026-03-23"
    assert "?semaine=2026-03-16" in response.text and "?semaine=2026-03-30" in response.text
    for bad in ("26/03/2026", "9999-01-01", "2026-13-01", "2026-03-2٦"):
        response = client.get(url, {"semaine": bad})
        assert response.status_code == 200
        assert response.context["monday"] == sas_slots.week_start(timezone.localdate())
    assert client.get(url, {"semaine": "x\x00"}).status_code == 400  # the NUL-byte guard


def test_adding_a_repeated_slot_from_the_form(client, sas):
    client.force_login(pro(sas.other))
    day = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("sas:slot_create", args=[sas.other.pk]),
        {
            "day": day.isoformat(),
            "start_time": "18:00",
            "end_time": "20:00",
            "site": sas.other_site.pk,
            "consultation_type": "home",
            "types": ["SNP", "PRO"],
            "capacity": "2",
            "repeat": "weeks",
            "repeat_weeks": "3",
        },
    )
    assert response.status_code == 302
    slots = list(Slot.objects.filter(effector=sas.other))
    assert len(slots) == 3
    assert {(s.shared, s.capacity, s.consultation_type) for s in slots} == {(False, 2, "home")}
    # the same again overlaps: the form says so, nothing more is written
    response = client.post(
        reverse("sas:slot_create", args=[sas.other.pk]),
        {
            "day": day.isoformat(),
            "start_time": "19:00",
            "end_time": "21:00",
            "site": sas.other_site.pk,
            "consultation_type": "office",
            "types": ["SNP"],
            "capacity": "1",
        },
    )
    assert response.status_code == 200
    assert "chevauche" in response.text
    assert Slot.objects.filter(effector=sas.other).count() == 3


def test_slot_form_errors_are_french(client, sas):
    client.force_login(pro(sas.other))
    response = client.post(
        reverse("sas:slot_create", args=[sas.other.pk]),
        {"day": "2026-03-10", "start_time": "20:00", "end_time": "18:00", "capacity": "1",
         "site": sas.other_site.pk, "consultation_type": "office"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "La fin du créneau doit suivre son début." in response.text
    assert "Choisissez au moins un type de créneau." in response.text


def test_cancelling_a_booked_slot_asks_for_confirmation(client, sas):
    slot = future_slot(sas.other, capacity=2)
    appointment_book(slot=slot)
    appointment_book(slot=slot)
    client.force_login(pro(sas.other))
    url = reverse("sas:slot_cancel", args=[slot.pk])
    response = client.post(url)
    assert response.status_code == 200
    assert "Ce créneau a 2 rendez-vous" in response.text
    assert Slot.objects.get(pk=slot.pk).cancelled_at is None
    response = client.post(url, {"confirmer": "1"})
    assert response.status_code == 302
    assert Slot.objects.get(pk=slot.pk).cancelled_at is not None
    assert set(Appointment.objects.filter(slot=slot).values_list("status", flat=True)) == {
        Appointment.Status.CANCELLED
    }


def test_sharing_is_toggled_by_the_effector(client, sas):
    slot = future_slot(sas.other, shared=False)
    client.force_login(pro(sas.other))
    client.post(reverse("sas:slot_share", args=[slot.pk]))
    assert Slot.objects.get(pk=slot.pk).shared is True
    client.post(reverse("sas:slot_share", args=[slot.pk]))
    assert Slot.objects.get(pk=slot.pk).shared is False


def test_coordinator_runs_the_rota_of_their_cpts_only(client, sas):
    coordinator = account(Role.CPTS_COORDINATOR, cpts=sas.cpts)
    own_slot = future_slot(sas.member)
    rota_slot = future_slot(sas.member, days=3, rota_cpts=sas.cpts)
    client.force_login(coordinator)
    rota_url = reverse("sas:rota", args=[sas.cpts.pk])
    response = client.get(rota_url)
    assert response.status_code == 200 and str(sas.member) in response.text
    day = timezone.localdate() + timedelta(days=5)
    response = client.post(
        rota_url,
        {"effector": sas.member.pk, "day": day.isoformat(), "start_time": "20:00",
         "end_time": "23:00", "consultation_type": "office", "shared": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    added = Slot.objects.get(effector=sas.member, start__date=day)
    assert (added.rota_cpts, added.source, added.shared) == (sas.cpts, "rota", True)
    # a non-member cannot be put on the rota
    response = client.post(
        rota_url,
        {"effector": sas.other.pk, "day": day.isoformat(), "start_time": "20:00",
         "end_time": "23:00", "consultation_type": "office"},
    )  # fmt: skip
    assert response.status_code == 200 and not Slot.objects.filter(effector=sas.other).exists()
    # reads the member's week, removes rota slots, not the member's own slots
    assert client.get(reverse("sas:slot_week", args=[sas.member.pk])).status_code == 200
    assert client.post(reverse("sas:slot_cancel", args=[rota_slot.pk])).status_code == 302
    assert client.post(reverse("sas:slot_cancel", args=[own_slot.pk])).status_code == 403
    assert Slot.objects.get(pk=own_slot.pk).cancelled_at is None
    # another effector's week, another CPTS's rota: refused
    assert client.get(reverse("sas:slot_week", args=[sas.other.pk])).status_code == 403
    other_cpts = Cpts.objects.create(
        name="Autre CPTS", region=sas.region, main_department=sas.cpts.main_department
    )
    assert client.get(reverse("sas:rota", args=[other_cpts.pk])).status_code == 403


def test_a_slot_added_by_the_coordinator_joins_the_rota(client, sas):
    client.force_login(account(Role.CPTS_COORDINATOR, cpts=sas.cpts))
    day = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("sas:slot_create", args=[sas.member.pk]),
        {"day": day.isoformat(), "start_time": "08:00", "end_time": "09:00", "capacity": "1",
         "site": sas.member_site.pk, "consultation_type": "office", "types": ["SNP"]},
    )  # fmt: skip
    assert response.status_code == 302
    assert Slot.objects.get(effector=sas.member).rota_cpts == sas.cpts


def test_a_member_puts_only_themself_on_the_rota(client, sas):
    client.force_login(pro(sas.member))
    response = client.get(reverse("sas:rota", args=[sas.cpts.pk]))
    assert response.status_code == 200
    assert list(response.context["form"].fields["effector"].queryset) == [sas.member]
    assert "Membres et heures partagées" not in response.text


@pytest.mark.parametrize("role", [Role.PARTNER, Role.UNION_MEMBER])
def test_partners_and_elected_members_see_nothing_here(client, sas, role):
    slot = future_slot(sas.other)
    client.force_login(user_with_role(role))
    for url in (
        reverse("sas:participation", args=["52"]),
        reverse("sas:effector_detail", args=[sas.other.pk]),
        reverse("sas:slot_week", args=[sas.other.pk]),
        reverse("sas:rota", args=[sas.cpts.pk]),
        reverse("sas:slot_cancel", args=[slot.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_regulators_read_but_do_not_edit(client, sas):
    slot = future_slot(sas.other)
    private = future_slot(sas.other, days=3, shared=False)
    client.force_login(user_with_role(Role.SAS_REGULATOR))
    week = client.get(
        reverse("sas:slot_week", args=[sas.other.pk]),
        {"semaine": timezone.localtime(private.start).date().isoformat()},
    )
    shown = [s.pk for day in week.context["days"] for s in day.slots]
    assert private.pk not in shown  # not shared: not the regulator's to see
    assert client.get(reverse("sas:participation", args=["52"])).status_code == 200
    assert client.get(reverse("sas:slot_week", args=[sas.other.pk])).status_code == 200
    assert client.get(reverse("sas:rota", args=[sas.cpts.pk])).status_code == 200
    assert client.post(reverse("sas:slot_cancel", args=[slot.pk])).status_code == 403
    assert client.get(reverse("sas:slot_create", args=[sas.other.pk])).status_code == 403
    assert client.post(reverse("sas:rota", args=[sas.cpts.pk])).status_code == 403
    assert client.get(reverse("sas:effector_create", args=["52"])).status_code == 403


def test_staff_of_another_region_see_nothing(client, sas):
    client.force_login(user_with_role(Role.FEDERATION_STAFF, region_code="11"))
    assert client.get(reverse("sas:slot_week", args=[sas.other.pk])).status_code == 403
    assert client.get(reverse("sas:participation", args=["52"])).status_code == 403


def test_staff_enrol_a_professional_by_rpps(client, sas):
    from interurps.sas.tests.conftest import professional

    record = professional(commune="44109")
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    url = reverse("sas:effector_create", args=["52"])
    response = client.post(url, {"identifier": "00000000000", "participation_mode": "individual"})
    assert "Aucun·e professionnel·le du répertoire" in response.text
    response = client.post(
        url,
        {"identifier": record.identifier, "participation_mode": "cpts",
         "through": sas.structure.pk, "statement_signed_on": "2026-01-05", "commune": "44109",
         "site_name": "Cabinet du port"},
    )  # fmt: skip
    assert response.status_code == 302
    effector = Effector.objects.get(professional=record)
    assert effector.through == sas.structure and effector.sites.get().name == "Cabinet du port"
    response = client.post(
        url + "?type=structure",
        {"kind": "cpts", "name": "CPTS sans fiche", "commune": "44109"},
    )
    assert "rattachée à la fiche de sa CPTS" in response.text


def test_staff_suspend_and_resume(client, sas):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    response = client.post(
        reverse("sas:effector_suspend", args=[sas.other.pk]),
        {"suspended_on": "2026-02-02", "suspension_reason": "Congé maternité"},
    )
    assert response.status_code == 302
    assert Effector.objects.get(pk=sas.other.pk).suspension_reason == "Congé maternité"
    client.post(reverse("sas:effector_resume", args=[sas.other.pk]))
    assert not Effector.objects.get(pk=sas.other.pk).suspended
    # the effector themself cannot suspend
    client.force_login(pro(sas.other))
    assert client.get(reverse("sas:effector_suspend", args=[sas.other.pk])).status_code == 403
    # but records their statement and the extra patients they accept
    response = client.post(
        reverse("sas:effector_edit", args=[sas.other.pk]),
        {"participation_mode": "individual", "statement_signed_on": "2026-02-02",
         "accepts_extra_patients": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Effector.objects.get(pk=sas.other.pk).accepts_extra_patients is True


def test_copy_a_week_from_the_page(client, sas):
    future_slot(sas.other, days=1)
    client.force_login(pro(sas.other))
    monday = sas_slots.week_start(timezone.localdate() + timedelta(days=1))
    target = monday + timedelta(days=14)
    response = client.post(
        reverse("sas:week_copy", args=[sas.other.pk]),
        {"semaine": monday.isoformat(), "target_week": (target + timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 302 and target.isoformat() in response.url
    assert Slot.objects.filter(effector=sas.other).count() == 2
