"""Demo data of the flows: synthetic flows across the demo region and one proposal."""

from django.core.exceptions import ValidationError

from interurps.flows import services
from interurps.flows.models import FlowSet
from interurps.geography.models import Region

DEMO_NAME = "Flux synthétiques (démonstration)"
DEMO_DEPARTMENT = "44"


def flows_demo_load(*, region: Region, by=None) -> FlowSet | None:
    """Gravity flows over the region (from the registry's demo professionals, seed 1) and
    a proposal over Loire-Atlantique by both methods; nothing when the flow set exists or
    when the registry has nobody in the region."""
    existing = FlowSet.objects.filter(region=region, name=DEMO_NAME).first()
    if existing is not None:
        return existing
    try:
        flow_set = services.flow_set_generate(
            region=region, name=DEMO_NAME, year=2024, seed=1, by=by
        )
    except ValidationError:
        return None
    codes = list(region.departments.order_by("code").values_list("code", flat=True))
    department = DEMO_DEPARTMENT if DEMO_DEPARTMENT in codes else codes[0]
    services.proposal_create(
        flow_set=flow_set,
        request=services.ProposalRequest(scope="department", area_code=department),
        by=by,
    )
    return flow_set
