"""The French typography filters (`{% load fr %}`)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

from interurps.core import french
from interurps.core.templatetags import fr

N = "\u202f"  # narrow no-break space
B = "\u00a0"  # no-break space
PARIS = ZoneInfo("Europe/Paris")


def render(source, **context):
    return Template("{% load fr %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234567, None, f"1{N}234{N}567"),
        (1234.5, None, f"1{N}234,50"),
        (1234.5, 1, f"1{N}234,5"),
        (Decimal("0.125"), 2, "0,13"),
        (999, None, "999"),
        (-1234.25, 1, f"-1{N}234,3"),  # half up, as French readers round
        (-0.01, 1, "0,0"),
        (12.0, None, "12"),
        ("3.5", 1, "3,5"),
        (2.0, -1, "2"),  # as floatformat:"-1": a decimal only when needed
        (2.25, -1, "2,3"),
        (1.96, -1, "2"),
    ],
)
def test_fr_number(value, decimals, expected):
    assert fr.fr_number(value, decimals) == expected


def test_fr_number_leaves_what_is_not_a_number():
    assert fr.fr_number(None) == ""
    assert fr.fr_number("non renseigné") == "non renseigné"
    assert render("{{ v|fr_number }}", v="<b>") == "&lt;b&gt;"


def test_money_percent_unit():
    assert fr.fr_money(1200) == f"1{N}200{N}€"
    assert fr.fr_money(Decimal("1234.5")) == f"1{N}234,50{N}€"
    assert fr.fr_money(1234.56, 0) == f"1{N}235{N}€"
    assert fr.fr_money(None) == ""
    assert fr.fr_percent(45.24) == f"45{N}%"
    assert fr.fr_percent(45.24, 1) == f"45,2{N}%"
    assert fr.fr_percent(None) == ""
    assert fr.fr_unit(12.5, "km") == f"12,50{N}km"
    assert fr.fr_unit(fr.fr_number(12.5, 1), "km") == f"12,5{N}km"


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, f"0{B}commune"),
        (1, f"1{B}commune"),
        (2, f"2{B}communes"),
        (1249, f"1{N}249{B}communes"),
        ([1, 2, 3], f"3{B}communes"),
        ([], f"0{B}commune"),
    ],
)
def test_fr_count_takes_the_singular_for_zero_and_one(count, expected):
    assert fr.fr_count(count, "commune,communes") == expected


def test_fr_count_irregular_plural_and_template_use():
    assert fr.fr_count(3, "siège pourvu,sièges pourvus") == f"3{B}sièges pourvus"
    assert render('{{ n|fr_count:"journal,journaux" }}', n=1) == f"1{B}journal"
    assert render('{{ n|fr_count:"journal,journaux" }}', n=5) == f"5{B}journaux"


def test_fr_plural_is_pluralize_with_a_french_zero():
    template = "réunion{{ n|fr_plural }} prévue{{ n|fr_plural }}"
    assert render(template, n=0) == "réunion prévue"
    assert render(template, n=1) == "réunion prévue"
    assert render(template, n=2) == "réunions prévues"
    assert render('{{ n|fr_plural:"al,aux" }}', n=2) == "aux"
    # Django's own pluralize puts 0 in the plural, which French does not.
    assert Template("{{ n|pluralize }}").render(Context({"n": 0})) == "s"


def test_fr_punct():
    assert french.french_punctuation("« Oui » : non ; pourquoi ? Parce que !") == (
        f"«{N}Oui{N}»{N}: non{N}; pourquoi{N}? Parce que{N}!"
    )
    assert french.french_punctuation("«Oui»") == f"«{N}Oui{N}»"
    assert french.french_punctuation("https://example.org à 9:30") == "https://example.org à 9:30"
    assert render("{{ t|fr_punct }}", t="<i> !") == f"&lt;i&gt;{N}!"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2021, 3, 9), "9 mars 2021"),
        (dt.date(2021, 3, 1), "1er mars 2021"),
        (dt.date(2026, 12, 25), "25 décembre 2026"),
        (dt.datetime(2021, 8, 2, 23, 30, tzinfo=dt.UTC), "3 août 2021"),  # Paris: next day
        (None, ""),
        ("", ""),
    ],
)
def test_fr_date(value, expected):
    assert render("{{ v|fr_date }}", v=value) == expected


def test_fr_date_styles():
    day = dt.date(2021, 3, 9)
    assert render('{{ v|fr_date:"weekday" }}', v=day) == "mardi 9 mars 2021"
    assert render("{{ v|fr_date_short }}", v=day) == "09/03/2021"


def test_dates_stay_french_whatever_the_active_language():
    with translation.override("en"):
        assert render("{{ v|fr_date }}", v=dt.date(2021, 3, 9)) == "9 mars 2021"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.time(9, 30), f"9{N}h{N}30"),
        (dt.time(9, 0), f"9{N}h"),
        (dt.time(14, 5), f"14{N}h{N}05"),
        (dt.time(0, 0), f"0{N}h"),
        (dt.datetime(2021, 3, 9, 8, 30, tzinfo=dt.UTC), f"9{N}h{N}30"),  # Paris time
        (None, ""),
    ],
)
def test_fr_time(value, expected):
    assert render("{{ v|fr_time }}", v=value) == expected


def test_fr_datetime():
    moment = dt.datetime(2021, 3, 9, 9, 30, tzinfo=PARIS)
    assert render("{{ v|fr_datetime }}", v=moment) == f"9 mars 2021 à 9{N}h{N}30"
    assert render('{{ v|fr_datetime:"weekday" }}', v=moment) == (f"mardi 9 mars 2021 à 9{N}h{N}30")
    assert render('{{ v|fr_datetime:"short" }}', v=moment) == f"09/03/2021 9{N}h{N}30"
    assert render("{{ v|fr_datetime }}", v=dt.date(2021, 3, 1)) == "1er mars 2021"


@override_settings(USE_TZ=True, TIME_ZONE="Europe/Paris")
def test_project_formats_group_thousands_with_narrow_no_break_spaces():
    page = Template("{% load humanize %}{{ n|intcomma }} {{ x|floatformat:'1g' }}").render(
        Context({"n": 1234567, "x": 2345.24})
    )
    assert page == f"1{N}234{N}567 2{N}345,2"


def test_fr_punct_on_html_changes_only_the_text():
    markup = (
        '<p title="Note : ici">Note : « <a href="/x?y=1">lien</a> » !</p>'
        "<textarea>Tel quel : saisi ?</textarea><pre>a : b</pre>"
        '<script type="application/json">{"a" : 1}</script><!-- commentaire : x -->'
        "<p>Fin ?</p>"
    )
    assert french.french_punctuation_html(markup) == (
        f'<p title="Note : ici">Note{N}: «{N}<a href="/x?y=1">lien</a>{N}»{N}!</p>'
        "<textarea>Tel quel : saisi ?</textarea><pre>a : b</pre>"
        '<script type="application/json">{"a" : 1}</script><!-- commentaire : x -->'
        f"<p>Fin{N}?</p>"
    )


def test_fr_punct_as_a_block_filter():
    page = render("{% filter fr_punct %}<b>{{ t }}</b> : fin{% endfilter %}", t="<i> ?")
    assert page == f"<b>&lt;i&gt;{N}?</b>{N}: fin"


def test_plural_for_messages_written_in_python():
    assert french.plural(["53999"], "code inconnu", "codes inconnus") == "code inconnu"
    assert french.plural(["1", "2"], "code inconnu", "codes inconnus") == "codes inconnus"
    assert french.plural(0, "erreur", "erreurs") == "erreur"
    assert french.count(49728, "habitant,habitants") == f"49{N}728{B}habitants"
