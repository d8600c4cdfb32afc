"""A CPTS diagnostic in a French browser: compared levels, whole people, data source."""

from datetime import date

import pytest

from interurps.accounts.models import Role
from interurps.cpts import services
from interurps.geography.models import Department, Region
from interurps.professionals.models import PracticeSite, Professional, RegistryImport
from tests.factories import DEFAULT_PASSWORD, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_cpts_diagnostic_says_what_it_compares_and_where_its_data_come_from(live_server, page):
    loire = Region.objects.get(code="52")
    # A small synthetic registry of the region, recorded as its generation would be.
    RegistryImport.objects.create(source="synthetique", region=loire, data_date=date.today())  # noqa: DTZ011
    for number, sites in enumerate([["53130"], ["53130", "53130"], ["53130", "53054"]], 1):
        person = Professional.objects.create(
            identifier=f"SYN52{number:06d}",
            identifier_kind="synthetique",
            last_name="Fictif",
            profession_id="medecins",
            practice_mode="liberal",
            source="synthetique",
        )
        for code in sites:
            PracticeSite.objects.create(professional=person, commune_id=code, mode="liberal")
    staff = user_with_role(Role.FEDERATION_STAFF)
    cpts = services.cpts_create(
        region=loire,
        name="CPTS de Laval",
        main_department=Department.objects.get(code="53"),
        by=staff,
    )
    services.cpts_set_territory(cpts=cpts, codes=["53130", "53054", "53034"])
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Adresse électronique").fill(staff.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/diagnostics/?cpts={cpts.pk}")
    table = page.locator("section[aria-labelledby=professions] table")
    headers = table.locator("thead th").all_inner_texts()
    assert headers[2:] == [
        "Densité CPTS de Laval",
        "Densité Mayenne (53)",
        "Densité Pays de la Loire",
    ]
    assert "Tous modes" not in headers  # synthetic data are all liberal by construction
    hidden = page.get_by_test_id("hidden-level").inner_text()
    assert "«\u202fFrance\u202f» non affichée" in hidden
    assert "ne couvre que Pays de la Loire" in hidden
    source = page.get_by_test_id("data-sources").inner_text()
    assert "Données synthétiques de démonstration (Pays de la Loire) générées le" in source
    counts = page.locator("section[aria-labelledby=communes] tbody td:nth-child(3)")
    # Whole people: Bonchamp 0, Changé 1, Laval 3 (one of them with two sites there).
    assert [text.strip() for text in counts.all_inner_texts()] == ["0", "1", "3"]
    assert errors == []
