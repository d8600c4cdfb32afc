import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from interurps.accounts.models import Role, RoleAssignment, User
from interurps.demo.loader import DEMO_ACCOUNTS, DEMO_PASSWORD
from interurps.geography.models import Region
from interurps.organizations.models import ElectoralCollege, Federation, Partner, Profession, Union

pytestmark = pytest.mark.django_db


def test_the_ten_professions_with_their_official_labels():
    assert list(Profession.objects.values_list("label", flat=True)) == [
        "Médecins",
        "Masseurs-kinésithérapeutes",
        "Infirmiers",
        "Chirurgiens-dentistes",
        "Pharmaciens titulaires d'officine",
        "Pédicures-podologues",
        "Orthophonistes",
        "Orthoptistes",
        "Biologistes responsables",
        "Sages-femmes",
    ]


def test_physicians_vote_in_two_colleges_and_no_other_profession_does():
    colleges = ElectoralCollege.objects.all()
    assert [c.label for c in colleges] == ["Médecins généralistes", "Autres spécialistes"]
    assert {c.profession_id for c in colleges} == {"medecins"}


def test_every_region_has_its_federation_ten_unions_and_two_partners():
    assert Federation.objects.count() == Region.objects.count() == 18
    assert Union.objects.count() == 180
    assert Partner.objects.count() == 36
    loire = Region.objects.get(code="52")
    assert loire.federation.name == "InterURPS Pays de la Loire"
    assert set(loire.unions.values_list("profession_id", flat=True)) == set(
        Profession.objects.values_list("code", flat=True)
    )
    assert (
        Union.objects.get(region=loire, profession_id="medecins").name
        == "URPS Médecins libéraux Pays de la Loire"
    )
    assert set(loire.partners.values_list("kind", flat=True)) == {"ars", "assurance_maladie"}


def test_create_organizations_is_idempotent_and_keeps_edited_names(capsys):
    Union.objects.filter(region_id="52", profession_id="medecins").update(name="URML PDL")
    Union.objects.filter(region_id="52", profession_id="sages-femmes").delete()
    call_command("create_organizations")
    out = capsys.readouterr().out
    assert "1 union(s)" in out
    assert Union.objects.get(region_id="52", profession_id="medecins").name == "URML PDL"
    call_command("create_organizations")
    assert "aucune modification" in capsys.readouterr().out
    assert Union.objects.count() == 180


def test_load_demo_creates_one_account_per_role_and_is_idempotent(capsys, demo):
    # The session's demo is loaded once (by the loader the command calls): the command
    # loads it again, says where to sign in, and creates nothing more.
    assert {a.role for a in RoleAssignment.objects.filter(region_id="52")} == set(Role)
    users_before = User.objects.count()
    roles_before = RoleAssignment.objects.count()
    call_command("load_demo")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    for account in DEMO_ACCOUNTS:
        assert account.email in out
    assert User.objects.count() == users_before
    assert RoleAssignment.objects.count() == roles_before
    admin = User.objects.get(email=DEMO_ACCOUNTS[0].email)
    assert admin.check_password(DEMO_PASSWORD) and admin.is_staff
    # The demo health professional is a liberal physiotherapist of the registry, in Saumur.
    professional = RoleAssignment.objects.get(role=Role.HEALTH_PROFESSIONAL).professional
    assert professional.profession_id == "masseurs-kinesitherapeutes"
    assert professional.sites.filter(commune_id="49328", mode="liberal").exists()
    others = RoleAssignment.objects.exclude(role=Role.HEALTH_PROFESSIONAL)
    assert not others.filter(professional__isnull=False).exists()


@override_settings(DEMO_MODE=False)
def test_load_demo_is_refused_outside_demo_mode():
    with pytest.raises(CommandError, match="mode démo est désactivé"):
        call_command("load_demo")
    assert not User.objects.filter(email__endswith="@demo.interurps.fr").exists()


def test_load_demo_needs_the_geography():
    with pytest.raises(CommandError, match="import_geography"):
        call_command("load_demo", region="99")
