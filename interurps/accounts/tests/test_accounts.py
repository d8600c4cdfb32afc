import html
import re

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from interurps.accounts.models import Role, RoleAssignment, User
from interurps.accounts.services import role_assign, role_revoke, user_create
from interurps.geography.models import Region
from interurps.organizations.models import Federation, Union
from tests.factories import DEFAULT_PASSWORD, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def _login(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_login_by_email_is_case_insensitive(client):
    user = UserFactory(email="camille@exemple.fr")
    response = _login(client, "Camille@Exemple.FR", DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_password_shows_a_french_error(client):
    UserFactory(email="camille@exemple.fr")
    response = _login(client, "camille@exemple.fr", "faux")
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect" in response.text


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account(client):
    UserFactory(email="camille@exemple.fr")
    for _ in range(2):
        assert _login(client, "camille@exemple.fr", "faux").status_code == 200
    locked = _login(client, "camille@exemple.fr", "faux")
    assert locked.status_code == 429
    assert "Connexion temporairement bloquée" in locked.text
    # Even the right password is refused while the lock lasts.
    again = _login(client, "camille@exemple.fr", DEFAULT_PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(client):
    user = UserFactory(email="camille@exemple.fr")
    response = client.post(reverse("accounts:password_reset"), {"email": "camille@exemple.fr"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["camille@exemple.fr"]
    assert "Réinitialisation" in message.subject
    link = re.search(r"http://testserver(/comptes/mot-de-passe/nouveau/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Un-nouveau-secret-42", "new_password2": "Un-nouveau-secret-42"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Un-nouveau-secret-42")


def test_password_reset_for_unknown_address_sends_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "personne@exemple.fr"})
    assert response.status_code == 302  # same answer: no account enumeration
    assert mail.outbox == []


def test_user_create_refuses_duplicate_email():
    user_create(email="a@exemple.fr", password="x-secret-123")
    with pytest.raises(ValidationError) as error:
        user_create(email="A@exemple.fr", password="x-secret-123")
    assert "existe déjà" in str(error.value)


def test_role_assign_checks_scope_and_is_idempotent():
    user = UserFactory()
    region = Region.objects.get(code="52")
    other_union = Union.objects.get(region_id="11", profession_id="infirmiers")
    with pytest.raises(ValidationError) as error:
        role_assign(user=user, role=Role.UNION_MEMBER, region=region)
    assert "doit être rattaché à une union" in str(error.value)
    with pytest.raises(ValidationError) as error:
        role_assign(user=user, role=Role.UNION_MEMBER, region=region, union=other_union)
    assert "autre région" in str(error.value)
    first = role_assign(user=user, role=Role.FEDERATION_ADMIN, region=region)
    second = role_assign(user=user, role=Role.FEDERATION_ADMIN, region=region)
    assert first.pk == second.pk
    assert RoleAssignment.objects.filter(user=user).count() == 1
    user.refresh_from_db()
    assert user.is_staff
    role_revoke(assignment=first)
    user.refresh_from_db()
    assert not user.is_staff


def test_one_user_may_hold_several_roles(client):
    user = user_with_role(Role.UNION_MEMBER)
    role_assign(user=user, role=Role.CPTS_COORDINATOR, region=Region.objects.get(code="52"))
    client.force_login(user)
    page = html.unescape(client.get(reverse("home:home")).text)
    assert "Coordinateur·rice de CPTS" in page
    assert "Élu·e d'une URPS" in page


def test_changes_are_audited_with_their_author(client):
    admin = user_with_role(Role.FEDERATION_ADMIN)
    client.force_login(admin)
    federation = Federation.objects.get(region_id="52")
    response = client.post(
        reverse("organizations:federation_edit", args=["52"]),
        {"name": federation.name, "email": "contact@interurps.fr", "phone": "", "address": ""},
    )
    assert response.status_code == 302
    entry = LogEntry.objects.get_for_object(federation).latest("timestamp")
    assert entry.actor == admin
    assert entry.action == LogEntry.Action.UPDATE
    assert "contact@interurps.fr" in str(entry.changes_dict["email"])


def test_invalid_federation_form_keeps_stored_values(client):
    client.force_login(user_with_role(Role.FEDERATION_ADMIN))
    federation = Federation.objects.get(region_id="52")
    response = client.post(
        reverse("organizations:federation_edit", args=["52"]),
        {"name": "", "email": "pas-une-adresse", "phone": "", "address": ""},
    )
    assert response.status_code == 200
    assert "Saisissez une adresse e-mail valide" in response.text or "adresse" in response.text
    assert "Ce champ est obligatoire" in response.text
    federation.refresh_from_db()
    assert federation.name == "InterURPS Pays de la Loire"


def test_superuser_creation_by_email():
    user = User.objects.create_superuser(email="root@exemple.fr", password="x-secret-123")
    assert user.is_superuser and user.is_staff
    assert User.objects.get_by_natural_key("ROOT@exemple.fr") == user


@pytest.mark.django_db
def test_only_a_health_professional_role_names_a_registry_record():
    from interurps.professionals.models import Professional

    professional = Professional.objects.create(
        identifier="10000000999",
        identifier_kind="rpps",
        source="annuaire",
        profession_id="medecins",
        last_name="Essai",
        search_name="essai",
    )
    user = User.objects.create_user("registre@example.fr", "x-long-password-1")
    wrong = RoleAssignment(
        user=user, role=Role.SAS_REGULATOR, region_id="52", professional=professional
    )
    with pytest.raises(ValidationError) as error:
        wrong.full_clean()
    assert "professional" in error.value.message_dict
    right = RoleAssignment(
        user=user, role=Role.HEALTH_PROFESSIONAL, region_id="52", professional=professional
    )
    right.full_clean()
