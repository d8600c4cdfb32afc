from datetime import UTC, date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from interurps.sas import services
from interurps.sas.booking import SlotUnavailable, appointment_book
from interurps.sas.models import (
    Appointment,
    ConsultationType,
    Effector,
    ParticipationMode,
    Slot,
    SlotType,
    StructureKind,
)
from interurps.sas.tests.conftest import enrol, evening, paris, professional, spec

pytestmark = pytest.mark.django_db


def local(slot):
    return timezone.localtime(slot.start), timezone.localtime(slot.end)


# --- effectors and participation --------------------------------------------------------


def test_enrolment_places_the_site_at_the_commune_centroid(sas):
    site = sas.other_site
    assert (site.latitude, site.longitude) == (site.commune.latitude, site.commune.longitude)
    assert sas.member.through == sas.structure


def test_a_professional_is_enrolled_once(sas):
    with pytest.raises(ValidationError) as error:
        services.effector_enrol_professional(
            region=sas.region, professional=sas.member.professional
        )
    assert "déjà inscrit·e" in error.value.message_dict["professional"][0]


def test_participation_mode_needs_the_matching_structure(sas):
    with pytest.raises(ValidationError) as error:
        services.effector_enrol_professional(
            region=sas.region,
            professional=professional(),
            participation_mode=ParticipationMode.MSP,
            through=sas.structure,
        )
    assert "demande une structure de type" in error.value.message_dict["through"][0]
    with pytest.raises(ValidationError) as error:
        services.effector_enrol_professional(
            region=sas.region,
            professional=professional(),
            participation_mode=ParticipationMode.CPTS,
        )
    assert "demande la structure de rattachement" in error.value.message_dict["through"][0]
    with pytest.raises(ValidationError):
        services.effector_enrol_professional(
            region=sas.region, professional=professional(), through=sas.structure
        )


def test_statement_cannot_be_dated_in_the_future(sas):
    with pytest.raises(ValidationError) as error:
        services.effector_update(
            effector=sas.other,
            participation_mode=ParticipationMode.INDIVIDUAL,
            through=None,
            statement_signed_on=timezone.localdate() + timedelta(days=1),
            accepts_extra_patients=True,
        )
    assert "à venir" in error.value.message_dict["statement_signed_on"][0]


def test_a_structure_effector_takes_part_as_its_kind(sas):
    sos = services.effector_enrol_structure(
        region=sas.region,
        kind=StructureKind.SOS_MEDECINS,
        name="SOS Médecins de test",
        commune=sas.member_site.commune,
    )
    assert sos.participation_mode == ParticipationMode.SOS_MEDECINS
    assert sos.through is None and sos.sites.count() == 1


def test_suspension_needs_a_reason_and_resumption_clears_it(sas):
    with pytest.raises(ValidationError) as error:
        services.effector_suspend(effector=sas.other, on=date(2026, 1, 5), reason=" ")
    assert "motif" in error.value.message_dict["suspension_reason"][0]
    services.effector_suspend(effector=sas.other, on=date(2026, 1, 5), reason="Congé")
    assert Effector.objects.get(pk=sas.other.pk).suspended
    services.effector_resume(effector=sas.other)
    other = Effector.objects.get(pk=sas.other.pk)
    assert not other.suspended and other.suspension_reason == ""


# --- slots ---------------------------------------------------------------------------


def test_nothing_is_shared_unless_chosen(sas):
    start, end = evening(date(2026, 3, 10))
    slot = services.slot_create(effector=sas.other, spec=spec(sas.other_site), start=start, end=end)
    assert slot.shared is False
    assert slot.types == ["SNP"]
    services.slot_set_shared(slot=slot, shared=True)
    assert Slot.objects.get(pk=slot.pk).shared
    services.slot_set_shared(slot=slot, shared=False)
    with pytest.raises(SlotUnavailable):  # an unshared slot cannot be booked
        appointment_book(slot=Slot.objects.get(pk=slot.pk))


def test_several_slot_types_at_once(sas):
    start, end = evening(date(2026, 3, 10))
    slot = services.slot_create(
        effector=sas.other,
        spec=spec(sas.other_site, types=frozenset({SlotType.PUBLIC, SlotType.SNP, SlotType.PRO})),
        start=start,
        end=end,
    )
    assert slot.types == ["PUBLIC", "PRO", "SNP"]


def test_overlapping_slots_of_one_effector_are_refused(sas):
    start, end = evening(date(2026, 3, 10))
    services.slot_create(effector=sas.other, spec=spec(sas.other_site), start=start, end=end)
    with pytest.raises(ValidationError) as error:
        services.slot_create(
            effector=sas.other,
            spec=spec(sas.other_site),
            start=start + timedelta(hours=1),
            end=end + timedelta(hours=1),
        )
    message = error.value.message_dict["start"][0]
    assert "chevauche" in message and "mardi 10 mars 2026" in message
    # touching ends are not an overlap; another effector at the same time is fine
    services.slot_create(
        effector=sas.other, spec=spec(sas.other_site), start=end, end=end + timedelta(hours=1)
    )
    services.slot_create(effector=sas.member, spec=spec(sas.member_site), start=start, end=end)
    # a cancelled slot frees its time
    slot = Slot.objects.get(effector=sas.other, start=start)
    services.slot_cancel(slot=slot)
    services.slot_create(effector=sas.other, spec=spec(sas.other_site), start=start, end=end)


def test_a_site_of_another_effector_is_refused(sas):
    start, end = evening(date(2026, 3, 10))
    with pytest.raises(ValidationError) as error:
        services.slot_create(effector=sas.other, spec=spec(sas.member_site), start=start, end=end)
    assert "site" in error.value.message_dict


def test_weekly_repeat_until_a_date_keeps_local_hours_across_spring_dst(sas):
    # Europe/Paris moves to summer time on Sunday 29 March 2026.
    start, end = evening(date(2026, 3, 22), time(9), time(12))
    slots = services.slots_create_repeated(
        effector=sas.other, spec=spec(sas.other_site), start=start, end=end, until=date(2026, 4, 5)
    )
    assert [local(s)[0].date() for s in slots] == [
        date(2026, 3, 22),
        date(2026, 3, 29),
        date(2026, 4, 5),
    ]
    assert {(local(s)[0].time(), local(s)[1].time()) for s in slots} == {(time(9), time(12))}
    stored = Slot.objects.filter(effector=sas.other).order_by("start")
    assert [s.start.astimezone(UTC).hour for s in stored] == [8, 7, 7]  # CET, then CEST
    assert {s.source for s in slots} == {Slot.Source.REPEAT}
    assert Slot.objects.filter(effector=sas.other).count() == 3


def test_repeat_for_n_weeks_across_autumn_dst(sas):
    # Back to winter time on Sunday 25 October 2026.
    start, end = evening(date(2026, 10, 20))
    slots = services.slots_create_repeated(
        effector=sas.other, spec=spec(sas.other_site), start=start, end=end, weeks=2
    )
    assert [local(s) for s in slots] == [
        (paris(2026, 10, 20, 18), paris(2026, 10, 20, 20)),
        (paris(2026, 10, 27, 18), paris(2026, 10, 27, 20)),
    ]
    assert [s.end - s.start for s in slots] == [timedelta(hours=2)] * 2


def test_a_repeat_that_meets_an_existing_slot_writes_nothing(sas):
    start, end = evening(date(2026, 3, 17))
    services.slot_create(effector=sas.other, spec=spec(sas.other_site), start=start, end=end)
    first, last = evening(date(2026, 3, 10))
    with pytest.raises(ValidationError) as error:
        services.slots_create_repeated(
            effector=sas.other, spec=spec(sas.other_site), start=first, end=last, weeks=3
        )
    assert "mardi 17 mars 2026" in error.value.message_dict["start"][0]
    assert Slot.objects.filter(effector=sas.other).count() == 1


def test_repeat_rules_refuse_bad_bounds(sas):
    start, end = evening(date(2026, 3, 10))
    with pytest.raises(ValidationError) as error:
        services.slots_create_repeated(
            effector=sas.other, spec=spec(sas.other_site), start=start, end=end,
            until=date(2026, 3, 1),
        )  # fmt: skip
    assert "précède" in error.value.message_dict["repeat_until"][0]
    with pytest.raises(ValidationError):
        services.slots_create_repeated(
            effector=sas.other, spec=spec(sas.other_site), start=start, end=end, weeks=60
        )


def test_copy_of_a_week_onto_the_dst_week(sas):
    # Week of Monday 16 March → week of Monday 23 March (summer time from Sunday 29).
    for day, start, end in [
        (date(2026, 3, 16), time(18), time(20)),
        (date(2026, 3, 22), time(9), time(12)),
    ]:
        s, e = evening(day, start, end)
        services.slot_create(
            effector=sas.other, spec=spec(sas.other_site, shared=True), start=s, end=e
        )
    # not copied: a cancelled slot, another effector's slot
    s, e = evening(date(2026, 3, 18))
    services.slot_cancel(
        slot=services.slot_create(effector=sas.other, spec=spec(sas.other_site), start=s, end=e)
    )
    services.slot_create(effector=sas.member, spec=spec(sas.member_site), start=s, end=e)
    copies = services.week_copy(
        effector=sas.other, from_monday=date(2026, 3, 16), to_monday=date(2026, 3, 23)
    )
    assert sorted(local(c) for c in copies) == [
        (paris(2026, 3, 23, 18), paris(2026, 3, 23, 20)),
        (paris(2026, 3, 29, 9), paris(2026, 3, 29, 12)),
    ]
    assert all(c.shared and c.source == Slot.Source.COPY for c in copies)
    # copying again onto the same week overlaps: refused, nothing written
    with pytest.raises(ValidationError):
        services.week_copy(
            effector=sas.other, from_monday=date(2026, 3, 16), to_monday=date(2026, 3, 23)
        )
    assert Slot.objects.filter(effector=sas.other, cancelled_at__isnull=True).count() == 4


def test_copy_refuses_an_empty_week(sas):
    with pytest.raises(ValidationError) as error:
        services.week_copy(
            effector=sas.other, from_monday=date(2026, 3, 16), to_monday=date(2026, 3, 23)
        )
    assert "Aucun créneau" in error.value.message_dict["target_week"][0]


def test_cancelling_a_booked_slot_asks_then_cancels_its_appointments(sas):
    start, end = evening(timezone.localdate() + timedelta(days=1))
    slot = services.slot_create(
        effector=sas.other, spec=spec(sas.other_site, shared=True, capacity=2), start=start, end=end
    )
    first = appointment_book(slot=slot)
    appointment_book(slot=slot)
    with pytest.raises(services.SlotHasAppointments) as error:
        services.slot_cancel(slot=slot)
    assert error.value.count == 2
    assert "2 rendez-vous" in error.value.messages[0]
    assert Slot.objects.get(pk=slot.pk).cancelled_at is None
    cancelled = services.slot_cancel(slot=slot, with_appointments=True)
    assert {a.pk for a in cancelled} == set(
        Appointment.objects.filter(slot=slot).values_list("pk", flat=True)
    )
    slot.refresh_from_db()
    assert slot.cancelled_at is not None and slot.booked == 0
    assert Appointment.objects.get(pk=first.pk).status == Appointment.Status.CANCELLED
    assert services.slot_cancel(slot=slot) == []  # idempotent


def test_rota_slot_only_for_a_member_of_the_cpts(sas):
    start, end = evening(date(2026, 3, 15), time(9), time(13))
    slot = services.slot_create(
        effector=sas.member,
        spec=services.rota_spec(sas.member_site, shared=True),
        start=start,
        end=end,
        rota_cpts=sas.cpts,
    )
    assert slot.rota_cpts == sas.cpts and slot.source == Slot.Source.ROTA
    assert slot.types == ["SNP", "CPTS"] and slot.shared
    with pytest.raises(ValidationError) as error:
        services.slot_create(
            effector=sas.other,
            spec=services.rota_spec(sas.other_site, shared=True),
            start=start,
            end=end,
            rota_cpts=sas.cpts,
        )
    assert "ne participe pas" in error.value.message_dict["effector"][0]


def test_teleconsultation_and_capacity_are_checked(sas):
    start, end = evening(date(2026, 3, 10))
    with pytest.raises(ValidationError) as error:
        services.slot_create(
            effector=sas.other, spec=spec(sas.other_site, capacity=0), start=start, end=end
        )
    assert "capacity" in error.value.message_dict
    slot = services.slot_create(
        effector=sas.other,
        spec=spec(sas.other_site, consultation_type=ConsultationType.TELECONSULTATION),
        start=start,
        end=end,
    )
    assert slot.get_consultation_type_display() == "Téléconsultation"


def test_a_second_member_can_be_enrolled_through_the_cpts(sas):
    third = enrol(sas.region, through=sas.structure)
    assert third.participation_mode == ParticipationMode.CPTS
