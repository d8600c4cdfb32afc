import numpy as np
import pytest

from interurps.accounts.models import Role
from interurps.analytics import flows as analytics
from interurps.flows import services
from interurps.flows.models import FlowSet
from interurps.geography.models import Commune, Region
from tests.factories import user_with_role

DEPARTMENT = "53"  # Mayenne: 240 communes, about 300,000 inhabitants


@pytest.fixture
def loire(db):
    return Region.objects.get(code="52")


@pytest.fixture
def staff(db):
    return user_with_role(Role.FEDERATION_STAFF)


def mayenne_flows(seed: int = 5) -> dict:
    """Gravity flows between Mayenne's communes, care where people live (population as
    supply): {(origin, destination, ""): count}."""
    communes = list(
        Commune.objects.filter(department_id=DEPARTMENT, kind="COM")
        .order_by("code")
        .values_list("code", "population", "latitude", "longitude")
    )
    populations = np.array([c[1] or 0 for c in communes], dtype=float)
    o, d, n = analytics.gravity_flows(
        [c[2] for c in communes],
        [c[3] for c in communes],
        populations,
        populations / 1000,
        neighbours=15,
        visits_per_inhabitant=0.2,
        seed=seed,
    )
    return {
        (communes[a][0], communes[b][0], ""): int(c)
        for a, b, c in zip(o.tolist(), d.tolist(), n.tolist(), strict=True)
    }


@pytest.fixture
def flow_set(loire, staff):
    record = FlowSet.objects.create(
        region=loire, name="Flux de Mayenne", source="Essai", year=2024, synthetic=True
    )
    services._store(record, mayenne_flows())
    return record
