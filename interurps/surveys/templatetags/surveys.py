from django import template

from interurps.surveys import perms, selectors

register = template.Library()


@register.inclusion_tag("surveys/_event_surveys.html", takes_context=True)
def event_surveys(context, event):
    """The satisfaction surveys of an event, on the event's page: their public link (open
    surveys) and, for whoever reads the results, the answers' count and a link to them."""
    user = context["request"].user
    surveys = selectors.event_surveys(event)
    items = []
    for survey in surveys:
        can_view_results = perms.can_view_results(user, survey)
        scales = []
        if can_view_results and survey.answered:
            responses = selectors.filtered_responses(survey, selectors.Filters())
            scales = [
                r.summary
                for r in selectors.analysis(survey, responses)
                if r.question["type"] == "scale" and r.summary.answered
            ]
        items.append(
            {
                "survey": survey,
                "scales": scales,
                "can_view_results": can_view_results,
                "can_manage": perms.can_manage_surveys(user, survey.federation),
                "open": not survey.closed_reason()
                and survey.distribution == survey.Distribution.PUBLIC,
            }
        )
    return {"items": items, "event": event}
