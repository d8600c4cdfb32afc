from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEMO_MODE = True
# The synthetic registry of the demo region at a quarter of the real densities (about
# 5,000 professionals instead of 20,000): a dozen tests load the demo, and generating it
# was most of their time. Its own tests check the scale is applied.
SYNTHETIC_REGISTRY_SCALE = 0.25
# Axes needs the request in authenticate(), which Client.login() does not pass; the
# lockout tests switch it back on with override_settings.
AXES_ENABLED = env.bool("AXES_ENABLED", default=False)
# Pro Santé Connect off whatever the environment says; its tests turn it on against a
# provider they start (interurps/accounts/tests/oidc_provider.py).
PSC_DISCOVERY_URL = PSC_CLIENT_ID = PSC_CLIENT_SECRET = ""
AUTHENTICATION_BACKENDS = [b for b in AUTHENTICATION_BACKENDS if "ProSanteConnect" not in b]  # noqa: F405
# The second factor is off in tests, so that `client.force_login` (the URL sweep, every
# view test) signs in fully; interurps/accounts/tests/test_second_factor.py turns it on and
# checks that production settings require it.
OTP_REQUIRED_ROLES = set()
OTP_REQUIRED_FOR_ADMIN_ACCESS = False
# Serve static files from the apps' folders, without a collectstatic step.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="interurps-test-media-")
SITE_URL = "http://testserver"

# SQLite tests run on a file, as in production (WAL, immediate transactions): an in-memory
# database shares one cache between threads, where concurrent writers fail at once instead
# of waiting, so the concurrency tests could not pass or fail for the real reasons.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.mkdtemp(prefix="interurps-test-db-")) / "test.sqlite3")
    }

# Background jobs: starting one only queues it (tests run the runner themselves).
TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # A test database need not survive a crash: commits (migrations, the browser tests'
    # flushes, the live server's writes) do not wait for the disk.
    options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()
# Tests open and close their connections as Django's test runner expects (the booking
# concurrency tests open many from threads).
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
