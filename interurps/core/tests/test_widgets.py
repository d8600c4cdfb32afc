"""Every date, time and date-time input of the project renders its value in ISO.

A French browser rejects `value="29/11/2026"` in `<input type="date">` (it expects
`2026-11-29`), leaves the field empty, and the form then refuses "Ce champ est obligatoire".
"""

import datetime as dt
import importlib
import pkgutil
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.utils import translation

import interurps
from interurps.core import widgets

DAY = dt.date(2026, 11, 29)
MOMENT = dt.datetime(2026, 11, 29, 9, 5, tzinfo=ZoneInfo("Europe/Paris"))

EXPECTED = {
    forms.DateField: ("date", DAY, 'value="2026-11-29"'),
    forms.DateTimeField: ("datetime-local", MOMENT, 'value="2026-11-29T09:05"'),
    forms.TimeField: ("time", dt.time(9, 5), 'value="09:05"'),
}


def _project_form_classes():
    """Every form class of the project: those of the `forms` and `views` modules, including
    model forms built at import time with `type()` (the CPTS's related forms)."""
    for module in pkgutil.walk_packages(interurps.__path__, "interurps."):
        if module.name.rsplit(".", 1)[-1].startswith(("forms", "views")):
            importlib.import_module(module.name)
    found, pending = [], [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        meta = getattr(cls, "_meta", None)
        model_module = getattr(getattr(meta, "model", None), "__module__", "")
        if ".tests." not in cls.__module__ and (
            cls.__module__.startswith("interurps.") or model_module.startswith("interurps.")
        ):
            found.append(cls)
    return found


def _temporal_fields():
    for form_class in _project_form_classes():
        for name, field in form_class.base_fields.items():
            for field_type in EXPECTED:
                if isinstance(field, field_type):
                    yield f"{form_class.__module__}.{form_class.__name__}.{name}", field


TEMPORAL_FIELDS = dict(_temporal_fields())


def test_the_project_has_date_fields_to_check():
    assert any(isinstance(f, forms.DateField) for f in TEMPORAL_FIELDS.values())
    assert any(isinstance(f, forms.DateTimeField) for f in TEMPORAL_FIELDS.values())
    assert any(isinstance(f, forms.TimeField) for f in TEMPORAL_FIELDS.values())


@pytest.mark.parametrize("path", sorted(TEMPORAL_FIELDS))
def test_every_date_input_renders_iso_in_french(path):
    field = TEMPORAL_FIELDS[path]
    input_type, value, expected = next(v for t, v in EXPECTED.items() if isinstance(field, t))
    with translation.override("fr"):
        html = field.widget.render("champ", field.prepare_value(value))
    assert f'type="{input_type}"' in html, html
    assert expected in html, html


@pytest.mark.parametrize("language", ["fr", "en", "de"])
def test_shared_widgets_ignore_the_locale(language):
    with translation.override(language):
        assert 'value="2026-11-29"' in widgets.DateInput().render("d", DAY)
        assert 'value="09:05"' in widgets.TimeInput().render("t", dt.time(9, 5))
        assert 'value="2026-11-29T09:05"' in widgets.DateTimeInput().render("m", MOMENT)


def test_iso_values_posted_by_the_browser_are_accepted():
    class Sample(forms.Form):
        day = forms.DateField(widget=widgets.DateInput)
        time = forms.TimeField(widget=widgets.TimeInput)
        moment = forms.DateTimeField(widget=widgets.DateTimeInput)

    with translation.override("fr"):
        form = Sample({"day": "2026-11-29", "time": "09:05", "moment": "2026-11-29T09:05"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == DAY
    assert form.cleaned_data["time"] == dt.time(9, 5)
    assert form.cleaned_data["moment"] == MOMENT
