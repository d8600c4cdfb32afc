from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEMO_MODE = env.bool("DEMO_MODE", default=True)
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Demo accounts of federation staff are signed in from the demo page: no second factor in
# development unless asked for (OTP_REQUIRED_ROLES=federation_admin,federation_staff).
OTP_REQUIRED_ROLES = set(env.list("OTP_REQUIRED_ROLES", default=[]))
OTP_REQUIRED_FOR_ADMIN_ACCESS = env.bool("OTP_REQUIRED_FOR_ADMIN_ACCESS", default=False)
