from django.core.exceptions import PermissionDenied


def require(allowed: bool) -> None:
    """Turn a permission predicate's answer into a 403 (PermissionDenied) when it says no."""
    if not allowed:
        raise PermissionDenied
