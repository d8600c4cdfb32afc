"""REPER monitoring writes: entrusting a step-2 assessment to a professional of the CPTS."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from interurps.reper.models import Assessment, FollowUp
from interurps.reper.monitoring import selectors


@transaction.atomic
def assessment_assign(*, assessment: Assessment, professional) -> Assessment:
    """Entrust `assessment` to `professional` (None: to nobody).

    The professional must be one of the CPTS's (`selectors.cpts_professionals`) and the
    assessment still to do. A professional who does not follow the person yet gets an
    open follow-up from today, so that they may open the person's record to do the work
    (the access rule of `scopes`).
    """
    assessment = (
        Assessment.objects.select_for_update().select_related("person").get(pk=assessment.pk)
    )
    if assessment.status != Assessment.Status.TO_DO:
        raise ValidationError(
            {"assigned_to": "Cette évaluation n'est plus à réaliser : elle ne peut être confiée."}
        )
    person = assessment.person
    if professional is not None:
        allowed = selectors.cpts_professionals(person.cpts).filter(pk=professional.pk)
        if not allowed.exists():
            raise ValidationError(
                {"assigned_to": f"{professional} n'est pas un·e professionnel·le de la CPTS."}
            )
        if not FollowUp.objects.filter(
            person=person, professional=professional, until__isnull=True
        ).exists():
            follow_up = FollowUp(
                person=person, professional=professional, since=timezone.localdate()
            )
            follow_up.full_clean()
            follow_up.save()
    assessment.assigned_to = professional
    assessment.full_clean()
    assessment.save(update_fields=["assigned_to"])
    return assessment
