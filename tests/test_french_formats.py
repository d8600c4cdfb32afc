"""Years, identifiers and codes are never printed as localised numbers.

With USE_THOUSAND_SEPARATOR, Django prints the integer 2026 as "2 026" (and an id 1234 as
"1 234", breaking links, anchors and form values). The pages that show years — the
report, the CPOM, the calendar, the elections, the events, governance — are rendered here
on the demo data, in French, and checked.
"""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from interurps.accounts.models import Role
from interurps.activities import services as activities_services
from interurps.activities.models import MeetingKind
from interurps.cpom import services as cpom_services
from interurps.cpom.models import FundingSource
from interurps.elections.models import Election
from interurps.organizations.models import Partner
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

SPACES = ("\u00a0", "\u202f", " ")
N = "\u202f"
# Attributes that hold identifiers, links or machine values, never text for people.
MACHINE_ATTRIBUTE = re.compile(
    r"\s(href|id|for|name|value|action|aria-labelledby|aria-controls|hx-[a-z]+|data-[a-z-]+|"
    r'x|y|width|height|viewBox|d)="([^"]*)"'
)


def grouped(year: int) -> list[str]:
    text = str(year)
    return [f"{text[0]}{space}{text[1:]}" for space in SPACES]


def assert_years_not_grouped(page: str, years) -> None:
    for year in years:
        assert str(year) in page, year
        for wrong in grouped(year):
            assert wrong not in page, f"{wrong!r} (a year printed as a number)"


def assert_machine_attributes_not_localised(page: str) -> None:
    for name, value in MACHINE_ATTRIBUTE.findall(page):
        assert "\u00a0" not in value and "\u202f" not in value, (name, value)
        if name in ("x", "y", "width", "height", "viewBox", "d", "value") and not re.search(
            r"[^\d\s,.\-MLZHVACQST]", value
        ):
            assert not re.search(r"\d,\d", value), (name, value)  # decimal comma


@pytest.fixture
def admin_client(client, demo):
    client.force_login(user_with_role(Role.FEDERATION_ADMIN))
    return client


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    page = html.unescape(response.content.decode())
    assert_machine_attributes_not_localised(page)
    return page


def test_report_page_years(admin_client):
    this_year = timezone.localdate().year
    page = get(admin_client, reverse("reports:report", args=["52", 2021]))
    # "Autres années": every year from 2019 to this one, as links and as text.
    assert_years_not_grouped(page, range(2019, this_year + 1))
    assert f">{this_year}</a>" in page


def test_cpom_pages_years(admin_client, demo):
    contract = cpom_services.contract_create(
        federation=demo,
        title="CPOM de test",
        partner=Partner.objects.get(region_id="52", kind=Partner.Kind.ARS),
        start_year=2024,
        end_year=2026,
    )
    cpom_services.funding_line_create(
        federation=demo,
        contract=contract,
        year=2025,
        source=FundingSource.values[0],
        label="Fonctionnement",
        amount=Decimal("123456.50"),
    )
    page = get(admin_client, reverse("cpom:federation_cpom", args=["52"]) + "?annee=2025")
    assert_years_not_grouped(page, [2025])
    detail = get(admin_client, reverse("cpom:contract_detail", args=[contract.pk]))
    assert_years_not_grouped(detail, [2024, 2025, 2026])


def test_calendar_and_meetings_years(admin_client):
    calendar = get(admin_client, reverse("activities:calendar", args=["52"]) + "?date=2021-10-07")
    assert_years_not_grouped(calendar, [2021])
    meetings = get(admin_client, reverse("activities:meeting_list", args=["52"]) + "?annee=2021")
    assert 'value="2021"' in meetings
    counts = get(admin_client, reverse("activities:activity_counts", args=["52"]) + "?annee=2021")
    assert_years_not_grouped(counts, [2021])


def test_election_pages_years(admin_client, demo):
    election = Election.objects.filter(union__region_id="52").first()
    assert election is not None, "the demo has an election"
    year = election.held_on.year
    detail = get(admin_client, reverse("elections:detail", args=[election.pk]))
    assert_years_not_grouped(detail, [year])
    union = get(admin_client, reverse("elections:union", args=[election.union_id]))
    assert_years_not_grouped(union, [year])
    directory = get(admin_client, reverse("elections:directory", args=["52"]))
    assert_years_not_grouped(directory, [])


def test_events_and_governance_years(admin_client):
    events = get(admin_client, reverse("events:event_list", args=["52"]))
    assert_years_not_grouped(events, [2021])
    governance = get(admin_client, reverse("governance:federation", args=["52"]))
    assert_years_not_grouped(governance, [2021])


def test_large_identifiers_stay_whole_in_links_and_values(admin_client, demo):
    kind = MeetingKind.objects.create(pk=123456, federation=demo, name="Identifiant à 6 chiffres")
    page = get(admin_client, reverse("activities:meeting_kinds", args=["52"]))
    assert f'value="{kind.pk}"' in page


def test_french_typography_on_the_report(admin_client):
    page = get(admin_client, reverse("reports:report", args=["52", 2021]))
    assert f"310{N}000{N}€" in page  # the funding total
    assert f"32,3{N}%" in page  # a share, decimal comma
    assert f"100{N}%" in page
    assert f"12 mars 2021{N}: CPTS du Grand Saumurois" in page  # long date in running text
    assert "Assemblée générale le 9 mars 2021" in page  # no leading zero


def test_french_typography_on_meetings(admin_client, demo):
    staff = user_with_role(Role.FEDERATION_STAFF)
    meeting = activities_services.meeting_create(
        federation=demo,
        by=staff,
        title="Point d'étape",
        starts_at=dt.datetime(2021, 3, 1, 9, 30, tzinfo=timezone.get_current_timezone()),
        duration_minutes=90,
        kind=MeetingKind.objects.filter(federation=demo).first(),
        project="sas",
        minutes="Décision : oui ?",
    )
    listing = get(admin_client, reverse("activities:meeting_list", args=["52"]) + "?annee=2021")
    assert f"01/03/2021 9{N}h{N}30" in listing  # short style in the table
    detail = get(admin_client, meeting.get_absolute_url())
    assert f"lundi 1er mars 2021 à 9{N}h{N}30 – 11{N}h" in detail
    assert f"90{N}min" in detail
    assert f"Géographie{N}: INSEE" in detail  # French spacing in the page's text
    # ... but never in what the user typed and edits again.
    edit = get(admin_client, reverse("activities:meeting_edit", args=[meeting.pk]))
    assert "Décision : oui ?</textarea>" in edit


def test_agreed_plurals_instead_of_parentheses(admin_client):
    coverage = get(admin_client, reverse("cpts:region_coverage", args=["52"]))
    assert "commune(s)" not in coverage
    assert re.search(r"\d\u00a0communes? sans CPTS", coverage)


def test_population_warning_keeps_its_comma(db):
    from interurps.cpts.selectors import territory_check
    from interurps.geography.models import Commune

    small = Commune.objects.filter(population__lt=10_000, kind="COM").first()
    check = territory_check([small.code])
    warning = next(w for w in check.warnings if "fourchette" in w)
    population = f"{small.population:,}".replace(",", N)
    assert warning.startswith(f"Population de {population}\u00a0habitants, hors de la fourchette")
    assert f"(10{N}000 à 200{N}000)" in warning
