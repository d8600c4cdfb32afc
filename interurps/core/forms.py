from django.core.exceptions import ValidationError


def add_validation_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one,
    else at the top of the form."""
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
