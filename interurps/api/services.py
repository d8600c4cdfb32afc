import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from interurps.api.models import ApiToken
from interurps.core.usage import record_use

TOKEN_PREFIX = "iu_"
MAX_ACTIVE_TOKENS = 20


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns it with its secret, to be shown once."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Donnez un nom au jeton (l'outil qui l'utilisera)."})
    if user.api_tokens.filter(revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            f"Vous avez déjà {MAX_ACTIVE_TOKENS} jetons actifs : révoquez-en un d'abord."
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name[:100], prefix=raw[:10], key_hash=token_hash(raw))
    token.full_clean()
    token.save()
    return token, raw


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_user(raw: str):
    """The active account of an active token (recording its use), or None."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    record_use(token)
    return token.user, token
