from urllib.parse import unquote

from django.http import HttpResponseBadRequest

NUL_MESSAGE = "Requête invalide : l'adresse contient un caractère nul (%00)."


class RejectNulBytesMiddleware:
    """400 for a request whose path, query string or cookies hold a NUL character.

    PostgreSQL refuses NUL in text (a server error wherever such a value reaches a
    query: a region code in the path, a search in the query string, a session cookie),
    and no legitimate link contains one. Put it first in MIDDLEWARE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if (
            "\x00" in request.path
            or "\x00" in unquote(query)
            or any("\x00" in value for value in request.COOKIES.values())
        ):
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
