import django_filters
from django.core.exceptions import ValidationError
from django_filters.fields import IsoDateTimeField

from interurps.core.dates import validate_date_in_range
from interurps.cpts.models import Cpts
from interurps.events.models import Event


class CptsFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(
        choices=Cpts._meta.get_field("stage").choices, label="Étape du cycle de vie"
    )
    main_department = django_filters.CharFilter(
        field_name="main_department_id", label="Département principal (code INSEE)"
    )
    legal_form = django_filters.ChoiceFilter(
        choices=Cpts.LegalForm.choices, label="Forme juridique"
    )

    class Meta:
        model = Cpts
        fields = ["stage", "main_department", "legal_form"]


class BoundedIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time between 1900 and 2100, like every date of the project."""

    def to_python(self, value):
        try:
            result = super().to_python(value)
        except (OverflowError, ValueError) as exc:
            raise ValidationError("Date et heure invalides (ISO 8601 attendu).") from exc
        if result is not None:
            validate_date_in_range(result)
        return result


class BoundedIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedIsoDateTimeField


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Event.Kind.choices, label="Type d'événement")
    status = django_filters.ChoiceFilter(choices=Event.Status.choices, label="Statut")
    starts_after = BoundedIsoDateTimeFilter(
        field_name="starts_at", lookup_expr="gte", label="Commence à partir de (ISO 8601)"
    )
    starts_before = BoundedIsoDateTimeFilter(
        field_name="starts_at", lookup_expr="lt", label="Commence avant (ISO 8601)"
    )

    class Meta:
        model = Event
        fields = ["kind", "status", "starts_after", "starts_before"]
