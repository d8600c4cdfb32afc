"""Demo data of the professionals registry: synthetic professionals of the demo region."""

from interurps.professionals.services import SyntheticReport, professionals_generate_synthetic

DEMO_SEED = 1


def professionals_demo_load(*, region) -> SyntheticReport:
    """Synthetic professionals across `region` (seed 1); nothing happens when it has some."""
    return professionals_generate_synthetic(region=region, seed=DEMO_SEED, replace=False)
