from datetime import date

import pytest
import shapely

from interurps.accounts.models import Role
from interurps.analytics import territory
from interurps.cpts import services
from interurps.geography.models import Commune, Department, Region
from tests.factories import user_with_role


@pytest.fixture
def staff(db):
    return user_with_role(Role.FEDERATION_STAFF)


@pytest.fixture
def loire(db):
    return Region.objects.get(code="52")


@pytest.fixture
def mayenne(db):
    return Department.objects.get(code="53")


def neighbours_of(code: str, department: str = "53") -> list[Commune]:
    """Real communes touching `code`, found from their geometry."""
    communes = list(Commune.objects.filter(department_id=department, kind="COM").order_by("code"))
    geometries = [shapely.from_geojson(c.geometry) for c in communes]
    index = next(i for i, c in enumerate(communes) if c.code == code)
    pairs = territory.adjacency_pairs(geometries).tolist()
    return [communes[b if a == index else a] for a, b in pairs if index in (a, b)]


@pytest.fixture
def make_cpts(staff, loire, mayenne):
    def make(name, codes, department=None):
        cpts = services.cpts_create(
            region=loire,
            name=name,
            main_department=department or mayenne,
            by=staff,
            started_on=date(2020, 1, 6),
        )
        if codes:
            services.cpts_set_territory(cpts=cpts, codes=codes)
        cpts.refresh_from_db()
        return cpts

    return make
