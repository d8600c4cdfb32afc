import html
import re

import pytest
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.home import menu, spaces
from interurps.home.templatetags.home_tags import page_title
from tests.factories import user_with_role

from .conftest import coordinator_of, partner_user, union_member_of

pytestmark = pytest.mark.django_db


def user_for(role, data):
    if role == Role.CPTS_COORDINATOR:
        return coordinator_of(data.cpts)
    if role == Role.UNION_MEMBER:
        return union_member_of(data.union)
    if role == Role.PARTNER:
        return partner_user()
    return user_with_role(role)


def nav_links(page: str) -> list[tuple[str, str]]:
    """(href, aria-current) of the main menu's links."""
    nav = page.split('aria-label="Navigation principale"')[1].split("</nav>")[0]
    return re.findall(r'<a href="([^"]+)"(?: aria-current="([^"]+)")?>', nav)


@pytest.mark.parametrize("role", Role.values)
def test_menu_offers_exactly_the_pages_the_role_may_open(client, region_data, role):
    user = user_for(role, region_data)
    client.force_login(user)
    space = spaces.spaces_of(user)[0]
    entries = menu.catalogue(user, region_data.region, region_data.federation, space)
    for entry in entries:
        response = client.get(entry.url, follow=True)
        if entry.allowed:
            assert response.status_code == 200, entry.key
        else:
            # The admin sends to its own login page; every other page answers 403.
            assert response.status_code == 403 or entry.key == "admin", entry.key
            assert response.redirect_chain or response.status_code == 403
    page = html.unescape(client.get(reverse("home:home")).text)
    assert [href for href, _ in nav_links(page)] == [e.url for e in entries if e.allowed]


def test_menus_differ_by_role(region_data):
    def keys(role):
        user = user_for(role, region_data)
        space = spaces.spaces_of(user)[0]
        entries = menu.catalogue(user, region_data.region, region_data.federation, space)
        return {e.key for e in entries if e.allowed}

    assert "my_cpts" in keys(Role.CPTS_COORDINATOR)
    assert "my_union" in keys(Role.UNION_MEMBER)
    assert {"team", "professionals"} <= keys(Role.FEDERATION_STAFF)
    assert "admin" in keys(Role.FEDERATION_ADMIN) - keys(Role.FEDERATION_STAFF)
    assert not {"team", "professionals", "admin"} & keys(Role.PARTNER)


@pytest.mark.parametrize("role", [Role.FEDERATION_STAFF, Role.CPTS_COORDINATOR, Role.PARTNER])
def test_current_page_is_marked_in_the_menu(client, region_data, role):
    user = user_for(role, region_data)
    client.force_login(user)
    space = spaces.spaces_of(user)[0]
    allowed = [
        e
        for e in menu.catalogue(user, region_data.region, region_data.federation, space)
        if e.allowed and e.key != "admin"
    ]
    for entry in allowed:
        response = client.get(entry.url, follow=True)
        links = nav_links(html.unescape(response.text))
        final = response.redirect_chain[-1][0] if response.redirect_chain else entry.url
        marked = [(href, current) for href, current in links if current]
        assert len(marked) == 1, entry.key
        href, current = marked[0]
        assert href == entry.url, entry.key
        assert current == ("page" if final == entry.url else "true")


def test_pages_inside_a_section_mark_the_section_and_lead_back_to_it(client, region_data):
    client.force_login(region_data.staff)
    event = region_data.federation.events.get(title="Séminaire des CPTS")
    page = html.unescape(client.get(event.get_absolute_url()).text)
    assert ("/federations/52/evenements/", "true") in nav_links(page)
    # A page that draws no trail of its own gets one: home, then its section.
    response = client.get(reverse("cpts:region_coverage", args=["52"]))
    page = html.unescape(response.text)
    trail = page.split('aria-label="Fil d\'Ariane"')[1].split("</nav>")[0]
    assert 'href="/"' in trail and 'aria-current="page">Couverture' in trail


def test_coordinator_menu_marks_ma_cpts_on_its_pages(client, region_data):
    client.force_login(coordinator_of(region_data.cpts))
    url = reverse("cpts:territory", args=[region_data.cpts.pk])
    links = nav_links(html.unescape(client.get(url).text))
    assert (reverse("cpts:detail", args=[region_data.cpts.pk]), "true") in links


def test_page_titles_name_the_federation_once(client, region_data):
    client.force_login(region_data.staff)
    name = region_data.federation.name
    for url in (
        reverse("activities:meeting_list", args=["52"]),
        reverse("events:event_list", args=["52"]),
        reverse("home:home"),
        reverse("organizations:federation_detail", args=["52"]),
    ):
        page = html.unescape(client.get(url).text)
        title = page.split("<title>")[1].split("</title>")[0]
        assert title.count(name) == 1, title
        assert title.endswith(f" · {name}") or title == name, title


def test_page_title_rule():
    class Federation:
        name = "InterURPS Bretagne"

    assert page_title("Réunions — InterURPS Bretagne", Federation()) == (
        "Réunions · InterURPS Bretagne"
    )
    assert page_title("Réunions", Federation()) == "Réunions · InterURPS Bretagne"
    assert page_title("InterURPS Bretagne", Federation()) == "InterURPS Bretagne"
    assert page_title("Connexion", None) == "Connexion · InterURPS"
    assert page_title("InterURPS", None) == "InterURPS"
    federation = Federation()
    federation.name = "A & B"
    assert page_title("Page", federation) == "Page · A &amp; B"


def test_diagnostic_of_a_cpts_leads_back_to_the_cpts(client, region_data):
    client.force_login(coordinator_of(region_data.cpts))
    page = html.unescape(client.get(f"/diagnostics/?cpts={region_data.cpts.pk}").text)
    trail = page.split('aria-label="Fil d\'Ariane"')[1].split("</nav>")[0]
    assert f'<a href="{region_data.cpts.get_absolute_url()}">CPTS du Bocage</a>' in trail


@pytest.mark.parametrize("role", [Role.FEDERATION_ADMIN, Role.CPTS_COORDINATOR, Role.PARTNER])
def test_every_menu_page_has_a_breadcrumb_leading_back(client, region_data, role):
    user = user_for(role, region_data)
    client.force_login(user)
    space = spaces.spaces_of(user)[0]
    for entry in menu.catalogue(user, region_data.region, region_data.federation, space):
        if not entry.allowed or entry.key in ("home", "admin"):
            continue
        page = html.unescape(client.get(entry.url, follow=True).text)
        assert 'aria-label="Fil d\'Ariane"' in page, entry.key
        trail = page.split('aria-label="Fil d\'Ariane"')[1].split("</nav>")[0]
        assert "<a href=" in trail, entry.key  # at least one way back


def test_a_registry_professional_sees_each_entry_once(client, region_data):
    """A health professional linked to their registry record gets the SAS and REPER
    entries, each once (the REPER entries were once added twice)."""
    from interurps.accounts.services import role_assign
    from interurps.professionals.models import PracticeSite, Professional

    professional = Professional.objects.create(
        identifier="10000000777",
        identifier_kind="rpps",
        source="annuaire",
        profession_id="masseurs-kinesitherapeutes",
        last_name="Kiné",
        search_name="kine",
    )
    PracticeSite.objects.create(professional=professional, commune_id="44109", mode="liberal")
    user = user_with_role(Role.FEDERATION_STAFF)
    user.role_assignments.all().delete()
    role_assign(
        user=user,
        role=Role.HEALTH_PROFESSIONAL,
        region=region_data.region,
        professional=professional,
    )
    client.force_login(user)
    page = html.unescape(client.get(reverse("home:home")).text)
    hrefs = [href for href, _ in nav_links(page)]
    assert len(hrefs) == len(set(hrefs)), hrefs
    assert reverse("sas:my_slots") in hrefs
    assert reverse("reper:my_queue", args=[region_data.region.code]) in hrefs
