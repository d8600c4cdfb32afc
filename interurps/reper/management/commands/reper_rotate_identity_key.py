"""Re-encrypt every REPER identity with the first key of IDENTITY_ENCRYPTION_KEYS.

Like `MultiFernet.rotate`: each value is read with any of the configured keys (every
IDENTITY_ENCRYPTION_KEYS × SECRET_KEY and SECRET_KEY_FALLBACKS) and written again with the
first one. All or nothing: a value no key can read stops the command, nothing written.
"""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from encrypted_fields.fields import EncryptedTextField

from interurps.reper.models import IDENTITY_FIELDS, Person


def current_keys() -> list[bytes]:
    """The Fernet keys the settings give now, the encrypting one first."""
    return EncryptedTextField().keys


def _forget_cached_keys() -> None:
    """The model's fields cache their keys: make them read the settings again."""
    for name in IDENTITY_FIELDS:
        field = Person._meta.get_field(name)
        field.__dict__.pop("keys", None)
        field.__dict__.pop("f", None)


@transaction.atomic
def rotate_identities() -> tuple[int, int]:
    """(people, values) re-encrypted with the first key."""
    multi = MultiFernet([Fernet(key) for key in current_keys()])
    quote = connection.ops.quote_name
    columns = [Person._meta.get_field(name).column for name in IDENTITY_FIELDS]
    table = quote(Person._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(quote(c) for c in columns)} FROM {table}")  # noqa: S608
        rows = cursor.fetchall()
    people = values = 0
    assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
    with connection.cursor() as cursor:
        for pk, *tokens in rows:
            rotated = []
            for column, token in zip(columns, tokens, strict=True):
                if not token:
                    rotated.append(token)
                    continue
                try:
                    rotated.append(multi.rotate(token.encode("utf-8")).decode("utf-8"))
                except InvalidToken:
                    raise CommandError(
                        f"La personne n° {pk} a une valeur « {column} » qu'aucune clé ne "
                        "déchiffre : rien n'a été modifié. Remettez l'ancienne clé dans "
                        "IDENTITY_ENCRYPTION_KEYS (après la nouvelle) et relancez."
                    ) from None
                values += 1
            cursor.execute(f"UPDATE {table} SET {assignments} WHERE id = %s", [*rotated, pk])  # noqa: S608
            people += 1
    _forget_cached_keys()
    return people, values


class Command(BaseCommand):
    help = (
        "Rechiffre toutes les identités REPER avec la première clé de "
        "IDENTITY_ENCRYPTION_KEYS (lues avec n'importe laquelle des clés)."
    )

    def handle(self, *args, **options):
        people, values = rotate_identities()
        self.stdout.write(
            f"Identités rechiffrées avec la première clé : {people} personne(s), "
            f"{values} valeur(s)."
        )
