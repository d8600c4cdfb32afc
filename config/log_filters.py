"""Logging filter that adds the request's context to every record that carries one."""

import logging


class RequestContextFilter(logging.Filter):
    """Add `request_context` (" method=GET path=/x user=12 status=500", or "") to records.

    Django passes the request (and the response status) in `extra` for the records of
    "django.request" and "django.security"; other records get an empty context.
    """

    def filter(self, record):
        request = getattr(record, "request", None)
        if request is None or not hasattr(request, "method"):
            record.request_context = ""
            return True
        user_id = "anonymous"
        user = getattr(request, "user", None)
        try:
            if user is not None and user.is_authenticated:
                user_id = str(user.pk)
        except Exception:  # noqa: BLE001 - the user cannot be loaded (database down…)
            user_id = "unknown"
        status = getattr(record, "status_code", None) or "-"
        path = getattr(request, "path", "-")  # without the query string, which may hold secrets
        record.request_context = (
            f" method={request.method} path={path} user={user_id} status={status}"
        )
        return True
