"""The README's production set-up works: static files, deploy checks, error logs, sessions."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import path
from django.utils.module_loading import import_string

from config import urls as project_urls
from interurps.accounts.models import Role
from tests.factories import DEFAULT_PASSWORD, UserFactory, user_with_role
from tests.production import production_settings, readme_production_env

BASE_DIR = Path(__file__).resolve().parents[3]


def test_collectstatic_with_the_production_storage(monkeypatch, tmp_path):
    prod = production_settings(monkeypatch)
    # Every static file, the apps' included, is collected and hashed by the production
    # storage, whose manifest must resolve each reference in the CSS files (and each source
    # map): that is what a new or upgraded file can break. Compressing is the same work
    # for any file and took 38 of this test's 40 seconds, on the third-party bundles (the
    # API documentation's): here only the project's own files are compressed.
    storage_class = import_string(prod.STORAGES["staticfiles"]["BACKEND"])
    ours = {entry.name for entry in (BASE_DIR / "interurps" / "static").iterdir()}
    compress_files = storage_class.compress_files
    monkeypatch.setattr(
        storage_class,
        "compress_files",
        lambda storage, paths: compress_files(
            storage, [path for path in paths if path.split("/", 1)[0] in ours]
        ),
    )
    with override_settings(STORAGES=prod.STORAGES, STATIC_ROOT=tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    hashed = manifest["paths"]["vendor/leaflet/leaflet.js"]
    assert (tmp_path / hashed).exists()
    assert (tmp_path / f"{hashed}.gz").exists()
    for name in ("css/app.css", "js/app.js", "vendor/leaflet/leaflet.css"):
        assert (tmp_path / f"{manifest['paths'][name]}.gz").exists(), name
    for name in (
        "admin/css/base.css",
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
        "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js",
    ):
        assert (tmp_path / manifest["paths"][name]).exists(), name


def test_check_deploy_is_clean_with_the_readme_environment(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "SECURE_", "SESSION_", "CSRF_"))
    }
    env.update(readme_production_env())
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout


def test_production_turns_https_and_hsts_on_by_default(monkeypatch):
    prod = production_settings(monkeypatch)
    assert prod.SECURE_SSL_REDIRECT is True
    assert prod.SECURE_HSTS_SECONDS == 31536000
    assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE
    assert prod.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert prod.DEBUG is False


def test_production_security_settings_can_be_overridden(monkeypatch):
    monkeypatch.setenv("SECURE_SSL_REDIRECT", "false")
    monkeypatch.setenv("SECURE_HSTS_SECONDS", "3600")
    prod = production_settings(monkeypatch)
    assert prod.SECURE_SSL_REDIRECT is False
    assert prod.SECURE_HSTS_SECONDS == 3600


# --- errors are logged with their request ---------------------------------------------


def boom(request):
    raise RuntimeError("panne simulée")


urlpatterns = [path("panne/", boom), *project_urls.urlpatterns]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_an_unhandled_error_is_logged_to_stderr_with_its_request(client):
    handler = next(h for h in logging.getLogger("django.request").handlers)
    assert isinstance(handler, logging.StreamHandler)
    # The configured stream is stderr; swap it for a buffer while the error happens.
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        user = user_with_role(Role.FEDERATION_STAFF)
        client.force_login(user)
        client.raise_request_exception = False
        response = client.get("/panne/?q=1")
    finally:
        handler.setStream(previous)
    assert response.status_code == 500
    logged = stream.getvalue()
    assert "ERROR django.request" in logged
    assert f"method=GET path=/panne/ user={user.pk} status=500" in logged
    assert "RuntimeError: panne simulée" in logged  # the traceback


def test_the_log_handler_writes_to_stderr():
    from django.conf import settings

    assert settings.LOGGING["handlers"]["console"]["stream"] == "ext://sys.stderr"
    assert "console" in settings.LOGGING["loggers"]["django.request"]["handlers"]


# --- sessions ---------------------------------------------------------------------------


def login(client, user):
    response = client.post(
        "/comptes/connexion/", {"username": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    return client.session.get_expiry_age()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [Role.FEDERATION_ADMIN, Role.FEDERATION_STAFF, Role.UNION_MEMBER, Role.PARTNER]
)
def test_staff_sessions_are_shorter(client, settings, role):
    settings.STAFF_SESSION_AGE = 8 * 3600
    settings.SESSION_COOKIE_AGE = 14 * 24 * 3600
    age = login(client, user_with_role(role))
    staff = role in (Role.FEDERATION_ADMIN, Role.FEDERATION_STAFF)
    assert age == (8 * 3600 if staff else 14 * 24 * 3600)


@pytest.mark.django_db
def test_superuser_sessions_are_shorter(client, settings):
    settings.STAFF_SESSION_AGE = 8 * 3600
    assert login(client, UserFactory(is_superuser=True, is_staff=True)) == 8 * 3600
