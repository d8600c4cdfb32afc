from .base import *  # noqa: F403
from .base import STORAGES, client_ip_settings, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
# REPER identities: no default key in production (README, « Données REPER »).
SALT_KEY = env.list("IDENTITY_ENCRYPTION_KEYS")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Hashed, compressed static files; the build fails on a file referencing a missing one
# (manifest_strict), which is why vendored files carry no sourceMappingURL comment.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS: the reverse proxy terminates TLS and says so in X-Forwarded-Proto (README).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The proxy's health check asks over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)  # one year
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading commits the domain in browsers for months: the operator's decision, off by
# default; its deploy-check reminder is silenced only while it is off.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)

# Lockout counts the real client address: one reverse proxy in front of gunicorn by
# default (see client_ip_settings in base.py).
REVERSE_PROXY_COUNT = env.int("REVERSE_PROXY_COUNT", default=1)
vars().update(client_ip_settings(REVERSE_PROXY_COUNT))
DEMO_MODE = False

# EMAIL_URL such as smtp+tls://user:password@smtp.example.org:587
vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))
