import pytest
from django.db import transaction

from tests.world import build_region


class ApiWorld:
    def __init__(self):
        self.a = build_region("52")
        self.b = build_region("11")


@pytest.fixture(scope="module")
def api_world(django_db_setup, django_db_blocker):
    """Two regions' records (tests/world.py), built once for the module and rolled back."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield ApiWorld()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
