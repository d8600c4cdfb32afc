from collections import Counter

import pytest

from interurps.accounts.models import Role, RoleAssignment
from interurps.cpts.demo import demo_cpts_load
from interurps.geography.models import Region
from interurps.professionals.demo import professionals_demo_load
from interurps.professionals.models import Professional
from interurps.sas import selectors
from interurps.sas.demo import sas_demo_load
from interurps.sas.models import Effector, Site, Slot, Structure
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def counts():
    return {m.__name__: m.objects.count() for m in (Structure, Effector, Site, Slot)}


def test_demo_is_idempotent_and_shows_figures():
    region = Region.objects.get(code="52")
    demo_cpts_load(region=region, staff_user=user_with_role(Role.FEDERATION_STAFF))
    professionals_demo_load(region=region)
    kine = (
        Professional.objects.filter(
            profession_id="masseurs-kinesitherapeutes", sites__commune_id="49328"
        )
        .order_by("identifier")
        .first()
    )
    RoleAssignment.objects.create(
        user=UserFactory(), role=Role.HEALTH_PROFESSIONAL, region=region, professional=kine
    )
    sas_demo_load(region=region)
    first = counts()
    sas_demo_load(region=region)
    assert counts() == first

    effectors = Effector.objects.filter(region=region)
    gps = effectors.filter(professional__profession_id="medecins")
    departments = Counter(
        e.sites.get().commune.department_id for e in gps.prefetch_related("sites__commune")
    )
    assert set(departments) == {"44", "72"} and 55 <= sum(departments.values()) <= 60
    assert set(Structure.objects.values_list("kind", flat=True)) == {
        "cpts",
        "msp",
        "sos_medecins",
    }
    assert effectors.filter(suspended_on__isnull=False).count() == 3
    assert Slot.objects.filter(rota_cpts__isnull=False).exists()
    slots = Slot.objects.filter(effector__region=region)
    assert slots.filter(shared=True).count() > 0.8 * slots.count()
    data = selectors.participation(region)
    assert 0 < data["below_previous"] < data["participants"] / 2
    # the demo professional (a physiotherapist in Saumur) shares hours this week and next
    home = selectors.effector_home(kine.pk)
    assert home["effector"].through.cpts.name == "CPTS du Grand Saumurois"
    assert all(hours >= 2 for _, _, hours, _ in home["weeks"])
