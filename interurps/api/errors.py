"""Errors as JSON, in French, whatever language the client asks for."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import translation
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

MESSAGES = {
    status.HTTP_401_UNAUTHORIZED: (
        "Authentification requise : envoyez « Authorization: Bearer <jeton> » avec un jeton "
        "créé sur « Mon compte », ou connectez-vous."
    ),
    status.HTTP_403_FORBIDDEN: "Votre compte n'a pas accès à cette ressource.",
    status.HTTP_404_NOT_FOUND: "Ressource introuvable.",
    status.HTTP_405_METHOD_NOT_ALLOWED: "Méthode non autorisée sur cette adresse.",
    status.HTTP_406_NOT_ACCEPTABLE: "Format de réponse non disponible : l'API répond en JSON.",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "Type de contenu non pris en charge : envoyez du JSON.",
}


def _text(value):
    """Lazy messages made plain strings, in French."""
    if isinstance(value, dict):
        return {str(key): _text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_text(item) for item in value]
    return str(value)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    with translation.override("fr"):
        if isinstance(exc, exceptions.ValidationError):
            response.data = {
                "detail": "Données invalides : voir « erreurs ».",
                "erreurs": _text(
                    exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
                ),
            }
        else:
            detail = MESSAGES.get(response.status_code)
            if detail is None or (
                isinstance(exc, exceptions.AuthenticationFailed) and response.status_code == 401
            ):
                detail = _text(getattr(exc, "detail", "")) or detail or "Erreur."
            if isinstance(detail, dict | list):
                detail = str(detail)
            if isinstance(exc, exceptions.NotFound) and "Page invalide" in str(exc.detail):
                detail = str(exc.detail)
            response.data = {"detail": detail}
    return response
