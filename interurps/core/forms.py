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
