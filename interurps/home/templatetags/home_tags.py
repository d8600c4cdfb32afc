import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


def page_title(text: str, federation=None) -> str:
    """The page's title followed once by the site's name: "Réunions · InterURPS Pays de la
    Loire". A title that already names the federation ("Réunions — InterURPS Pays de la
    Loire") is not suffixed twice. `text` is HTML already escaped; so is the result."""
    site = conditional_escape(federation.name) if federation else "InterURPS"
    text = re.sub(r"\s+", " ", str(text)).strip()
    names = {site, "InterURPS"}
    for name in sorted(names, key=len, reverse=True):
        if text.endswith(name) and text != name:
            return re.sub(r"\s*[—·-]\s*$", "", text[: -len(name)]).strip() + f" · {name}"
    if not text or text in names:
        return site
    return f"{text} · {site}"


class PageTitleNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        title = page_title(self.nodelist.render(context), context.get("current_federation"))
        return mark_safe(title)  # noqa: S308 -- built from escaped parts only


@register.tag("pagetitle")
def do_pagetitle(parser, token):
    """`{% pagetitle %}…{% endpagetitle %}`: the enclosed title through `page_title`, with
    the federation the page speaks for (none on pages seen before signing in)."""
    nodelist = parser.parse(("endpagetitle",))
    parser.delete_first_token()
    return PageTitleNode(nodelist)
