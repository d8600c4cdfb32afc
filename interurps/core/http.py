from django.core.exceptions import PermissionDenied


def require(allowed: bool) -> None:
    """Turn a permission predicate's answer into a 403 (PermissionDenied) when it says no."""
    if not allowed:
        raise PermissionDenied


def query_int(request, name: str, default=None, *, minimum: int = 0, maximum: int = 2**31 - 1):
    """An integer from the query string, or `default` when absent or malformed.

    Ids and toggles arrive from links users can edit: a non-numeric, negative, huge or
    NUL-containing value must never reach the database (PostgreSQL rejects NUL bytes and
    integers beyond 64 bits with a server error).
    """
    text = request.GET.get(name, "")
    # isascii(): "²".isdigit() is True but int("²") raises.
    if not text or len(text) > 12 or not (text.isascii() and text.isdigit()):
        return default
    value = int(text)
    return value if minimum <= value <= maximum else default


def query_text(request, name: str, default: str = "", *, max_length: int = 200) -> str:
    """A text from the query string without NUL bytes, cut to `max_length` characters."""
    return request.GET.get(name, default).replace("\x00", "")[:max_length]
