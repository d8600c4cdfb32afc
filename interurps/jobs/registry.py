"""The kinds of background job: each says who may start it, what its form asks, what it
reads (`prepare`, outside any transaction) and what it writes (`apply`, in one
transaction), and what it leaves (an `Outcome`).

A new kind is a subclass of `JobType` passed to `register` (see `interurps/jobs/kinds.py`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms

from interurps.accounts import perms
from interurps.accounts.policy import Kind


@dataclass
class Outcome:
    """What a finished job leaves: a one-line summary, counts, errors by line, a file."""

    summary: str
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    file_name: str = ""
    file_content: bytes = b""

    def as_result(self) -> dict:
        return {"summary": self.summary, "counts": self.counts, "errors": self.errors}


class JobFailure(Exception):
    """An expected failure (a wrong file, a refused operation): its French message is shown
    as the job's error, without a traceback."""


class JobType:
    code: str = ""
    label: str = ""
    description: str = ""
    form_class: type[forms.Form] | None = None
    # National reference data (the professionals registry, the geography) is shared by
    # every region: only the deployment's operators (superusers) change it.
    national: bool = False

    def can_start(self, user, region) -> bool:
        """Federation staff and admins of the region (Kind.JOB); superusers only for the
        national kinds."""
        if self.national:
            return bool(user.is_authenticated and user.is_superuser)
        return perms.can_write(user, Kind.JOB, region)

    def form(self, data=None, files=None, *, region, user, initial=None) -> forms.Form:
        form_class = self.form_class or forms.Form
        return form_class(data, files, region=region, user=user, initial=initial)

    def params(self, cleaned_data: dict, *, region, user) -> dict:
        """The JSON parameters stored on the job (uploaded files are stored apart)."""
        return {}

    def upload(self, cleaned_data: dict):
        """The uploaded file to keep with the job, if any."""
        return None

    def lock_key(self, params: dict, *, region, user) -> str:
        """Jobs with the same key never run at the same time (empty: no exclusion)."""
        return ""

    def prepare(self, ctx) -> Any:
        """Read and compute, writing nothing to the database (no transaction is open)."""
        return None

    def apply(self, ctx, prepared) -> Outcome:
        """Write, inside one transaction: an exception or a cancellation rolls it back."""
        raise NotImplementedError


REGISTRY: dict[str, JobType] = {}


def register(job_type: type[JobType] | JobType) -> JobType:
    instance = job_type() if isinstance(job_type, type) else job_type
    if not instance.code:
        raise ValueError("A job type needs a code.")
    REGISTRY[instance.code] = instance
    return job_type


def get(code: str) -> JobType | None:
    _load()
    return REGISTRY.get(code)


def all_types() -> list[JobType]:
    _load()
    return list(REGISTRY.values())


def label_of(code: str) -> str:
    job_type = get(code)
    return job_type.label if job_type else code


_loaded: list[Callable] = []


def _load() -> None:
    if not _loaded:
        from interurps.jobs import kinds  # noqa: F401  (registers the project's kinds)

        _loaded.append(kinds)
