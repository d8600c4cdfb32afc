import pytest

from interurps.professionals.models import PracticeSite, Professional
from interurps.professionals.services import registry_counts_refresh


@pytest.fixture
def make_professional(db):
    """Create an annuaire professional with sites given as (commune code, mode) pairs."""
    counter = iter(range(10_000_000_000, 99_999_999_999))

    def make(profession="medecins", sites=(("44109", "liberal"),), *, active=True, **fields):
        identifier = fields.pop("identifier", None) or str(next(counter))
        defaults = {"last_name": "Nom", "first_name": "Prénom", "search_name": ""}
        defaults.update(fields)
        if not fields.get("search_name"):
            defaults["search_name"] = f"{defaults['last_name']} {defaults['first_name']}".lower()
        professional = Professional.objects.create(
            identifier=identifier,
            identifier_kind="rpps",
            source="annuaire",
            profession_id=profession,
            active=active,
            **defaults,
        )
        for commune, mode in sites:
            PracticeSite.objects.create(professional=professional, commune_id=commune, mode=mode)
        registry_counts_refresh(communes=[c for c, _ in sites], professions=[profession])
        return professional

    return make
