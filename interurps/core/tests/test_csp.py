"""The Content-Security-Policy, and templates that keep to it.

The policy forbids inline scripts, event-handler attributes and inline styles; the template
scan below stops anyone from reintroducing one (the browser tests would only see the pages
they visit).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "interurps" / "templates"
# Rendered by WeasyPrint only, never served to a browser: the CSP does not apply to them.
PDF_TEMPLATES = {
    "diagnostics/diagnostic_print.html",
    "elections/election_sheet.html",
    "events/certificate.html",
    "governance/meeting_pv.html",
    "reports/report_print.html",
    "sas/indicators/statement_print.html",
    "surveys/results_print.html",
}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)


def browser_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name not in PDF_TEMPLATES:
            yield name, path.read_text(encoding="utf-8")


def test_every_page_carries_the_policy(client):
    response = client.get("/comptes/connexion/")
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_pdf_templates_listed_here_exist():
    for name in PDF_TEMPLATES:
        assert (TEMPLATES / name).exists(), name


@pytest.mark.parametrize(
    ("pattern", "what"),
    [
        (INLINE_SCRIPT, "inline <script>"),
        (EVENT_HANDLER, "on…= attribute"),
        (STYLE_ATTRIBUTE, 'style="" attribute'),
        (STYLE_ELEMENT, "<style> element"),
    ],
)
def test_browser_templates_have_nothing_inline(pattern, what):
    offenders = [name for name, text in browser_templates() if pattern.search(text)]
    assert offenders == [], f"{what} (refused by the CSP) in {offenders}"


def test_the_scan_catches_what_it_looks_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/js/app.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script id="d" type="application/json">{}</script>')
    assert EVENT_HANDLER.search('<form method="post" onsubmit="return confirm()">')
    assert not EVENT_HANDLER.search('<form method="post" action="/x/">')
    assert STYLE_ATTRIBUTE.search('<span class="dot" style="color: red">')
