from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection

from interurps.reper import services
from interurps.reper.management.commands.reper_rotate_identity_key import _forget_cached_keys
from interurps.reper.models import IDENTITY_FIELDS, Person

from .conftest import answers

pytestmark = pytest.mark.django_db


def raw_identity(person) -> dict:
    columns = [Person._meta.get_field(name).column for name in IDENTITY_FIELDS]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(Person._meta.db_table)} "
            "WHERE id = %s",
            [person.pk],
        )
        return dict(zip(IDENTITY_FIELDS, cursor.fetchone(), strict=True))


def test_the_database_holds_no_clear_identity(make_person):
    person = make_person(
        birth_date=date(1948, 5, 17), email="henriette@exemple.fr", address="3 rue des Lilas"
    )
    raw = raw_identity(person)
    clear = ("Dupontel", "Henriette", "1948-05-17", "02 41", "henriette", "Lilas", "Martinaud")
    for name, value in raw.items():
        assert value and value.startswith("gAAAA"), name  # a Fernet token
        assert not any(text in value for text in clear), name
    # ... and the application reads it back.
    again = Person.objects.get(pk=person.pk)
    assert (again.last_name, again.birth_date) == ("Dupontel", date(1948, 5, 17))


@pytest.fixture
def fresh_keys():
    _forget_cached_keys()
    yield
    _forget_cached_keys()


def test_rotation_re_encrypts_with_the_first_key(make_person, settings, fresh_keys):
    settings.SALT_KEY = ["ancienne-cle"]
    _forget_cached_keys()
    person = make_person()
    before = raw_identity(person)
    settings.SALT_KEY = ["nouvelle-cle", "ancienne-cle"]
    _forget_cached_keys()
    out = StringIO()
    call_command("reper_rotate_identity_key", stdout=out)
    assert "1 personne(s)" in out.getvalue()
    after = raw_identity(person)
    assert after["last_name"] != before["last_name"]
    # The old key alone no longer reads it; the new key alone does.
    settings.SALT_KEY = ["nouvelle-cle"]
    _forget_cached_keys()
    assert Person.objects.get(pk=person.pk).last_name == "Dupontel"


def test_rotation_stops_on_a_value_no_key_reads(make_person, settings, fresh_keys):
    settings.SALT_KEY = ["ancienne-cle"]
    _forget_cached_keys()
    person = make_person()
    before = raw_identity(person)
    settings.SALT_KEY = ["autre-cle"]
    _forget_cached_keys()
    with pytest.raises(CommandError, match="aucune clé"):
        call_command("reper_rotate_identity_key", stdout=StringIO())
    assert raw_identity(person) == before


def test_reminders_are_a_dry_run_by_default_and_carry_no_identity(reper, make_person):
    person = make_person()
    services.screening_record(
        person=person,
        professional=reper.kine,
        screened_on=date(2023, 3, 1),
        answers=answers(mood__feeling_down=True),
    )
    out = StringIO()
    call_command("reper_reminders", "--date", "2023-10-01", stdout=out)
    assert reper.kine_user.email in out.getvalue() and "Simulation" in out.getvalue()
    assert mail.outbox == []
    call_command("reper_reminders", "--date", "2023-10-01", "--wet-run", stdout=StringIO())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [reper.kine_user.email]
    assert person.pseudonym in message.body and "humeur" in message.body
    for text in ("Dupontel", "Henriette", "02 41", "Martinaud", "1948"):
        assert text not in message.body and text not in message.subject
    # Nothing waiting: no e-mail.
    mail.outbox.clear()
    call_command("reper_reminders", "--date", "2023-03-02", "--wet-run", stdout=StringIO())
    assert mail.outbox == []


def test_reminders_refuse_a_bad_date():
    with pytest.raises(CommandError, match="Date invalide"):
        call_command("reper_reminders", "--date", "2023-13-45")


def test_production_requires_the_identity_keys(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from tests.production import production_settings

    assert production_settings(monkeypatch).SALT_KEY
    monkeypatch.setenv("IDENTITY_ENCRYPTION_KEYS", "")
    monkeypatch.delenv("IDENTITY_ENCRYPTION_KEYS")
    import importlib
    import sys

    sys.modules.pop("config.settings.prod", None)
    with pytest.raises(ImproperlyConfigured):
        importlib.import_module("config.settings.prod")
    sys.modules.pop("config.settings.prod", None)


def test_programme_cpts_command(reper, make_person):
    out = StringIO()
    call_command("reper_programme_cpts", stdout=out)
    assert reper.cpts.name in out.getvalue()
    make_person()
    with pytest.raises(CommandError, match="suit des personnes"):
        call_command("reper_programme_cpts", "--remove", str(reper.cpts.pk))
    with pytest.raises(CommandError, match="Aucune CPTS"):
        call_command("reper_programme_cpts", "--add", "999999")
