from django import forms
from django.core.exceptions import ValidationError

from interurps.core.dates import MAX_DATE, MIN_DATE, validate_date_in_range


class BoundedDatesMixin:
    """Every date and date-time field of the form accepts only dates within
    `interurps.core.dates` (1900–2100), with the French message saying so.

    Inherit from `BoundedForm` / `BoundedModelForm` rather than from Django's classes:
    fields generated from models get the bound too, without a validator on model fields
    (which would mean migrations). A test checks every form of the project uses it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField):
                if validate_date_in_range not in field.validators:
                    field.validators.append(validate_date_in_range)
                # The browser's picker keeps to the same range.
                bounds = WIDGET_BOUNDS.get(getattr(field.widget, "input_type", None))
                if bounds:
                    field.widget.attrs.setdefault("min", bounds[0])
                    field.widget.attrs.setdefault("max", bounds[1])


WIDGET_BOUNDS = {
    "date": (MIN_DATE.isoformat(), MAX_DATE.isoformat()),
    "datetime-local": (f"{MIN_DATE.isoformat()}T00:00", f"{MAX_DATE.isoformat()}T23:59"),
}


class BoundedForm(BoundedDatesMixin, forms.Form):
    pass


class BoundedModelForm(BoundedDatesMixin, forms.ModelForm):
    pass


def named_unique_errors(error: ValidationError) -> ValidationError:
    """Django's generic "Un objet X avec ces champs A et B existe déjà." replaced by a
    message naming the field, attached to that field (the last of the unique fields).

    A model may give its own messages in a `unique_messages` class attribute, keyed by the
    tuple of the constraint's fields (no migration: it is not part of the model's state).
    """
    from django.core.exceptions import NON_FIELD_ERRORS
    from django.utils.text import capfirst

    if not hasattr(error, "error_dict"):
        return error
    result: dict[str, list] = {}
    for field_name, errors in error.error_dict.items():
        for item in errors:
            params = item.params or {}
            if item.code != "unique_together" or "model_class" not in params:
                result.setdefault(field_name, []).append(item)
                continue
            model = params["model_class"]
            check = tuple(params["unique_check"])
            text = getattr(model, "unique_messages", {}).get(check)
            if text is None:
                labels = [str(model._meta.get_field(name).verbose_name) for name in check]
                text = (
                    f"{capfirst(model._meta.verbose_name)} : la valeur du champ « {labels[-1]} » "
                    "est déjà utilisée"
                    + (f" (même {', '.join(labels[:-1])})." if labels[:-1] else ".")
                )
            target = check[-1] if field_name == NON_FIELD_ERRORS else field_name
            result.setdefault(target, []).append(ValidationError(text, code="unique_together"))
    return ValidationError(result)


def add_validation_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one,
    else at the top of the form."""
    error = named_unique_errors(error)
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def render_form_page(request, form, *, title, cancel_url, breadcrumbs_template="", **context):
    """The create/edit page every app shares: a title, the form, save and cancel."""
    from django.shortcuts import render

    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "breadcrumbs_template": breadcrumbs_template,
            **context,
        },
    )


def form_submission(request, form, *, save, message, next_url):
    """Handle the POST of a create/edit form through a service.

    With a valid form, `save(cleaned_data)` runs (a service call); on success the user gets
    `message(record)` and is redirected to `next_url(record)`. Returns None when the page
    must show the form again: a GET, invalid data, or the service's ValidationError, which
    is then displayed on the form.
    """
    from django.contrib import messages
    from django.shortcuts import redirect

    if request.method != "POST" or not form.is_valid():
        return None
    try:
        record = save(form.cleaned_data)
    except ValidationError as error:
        add_validation_errors(form, error)
        return None
    messages.success(request, message(record))
    return redirect(next_url(record))
