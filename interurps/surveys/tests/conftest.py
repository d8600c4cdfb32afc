from datetime import timedelta

import pytest
from django.utils import timezone

from interurps.accounts.models import Role, User
from interurps.accounts.services import role_assign
from interurps.cpts import services as cpts_services
from interurps.geography.models import Commune, Department, Region
from interurps.organizations.models import Federation, Partner, Union
from interurps.professionals.models import PracticeSite, Professional
from interurps.surveys import services
from interurps.surveys.models import Survey

# A questionnaire with a condition: « volume » is asked only to those who receive
# unscheduled requests, « details » only when they receive at least 50 a week.
DEFINITION = {
    "sections": [
        {
            "key": "s1",
            "title": "Pratique",
            "questions": [
                {"key": "profession", "type": "profession", "label": "Votre profession"},
                {"key": "commune", "type": "commune", "label": "Votre commune"},
                {
                    "key": "snp",
                    "type": "single",
                    "label": "Recevez-vous des demandes de soins non programmés ?",
                    "required": True,
                    "choices": [
                        {"value": "oui", "label": "Oui"},
                        {"value": "non", "label": "Non"},
                    ],
                },
                {
                    "key": "volume",
                    "type": "number",
                    "label": "Combien par semaine ?",
                    "required": True,
                    "min": 0,
                    "max": 500,
                    "condition": {"question": "snp", "operator": "equals", "value": "oui"},
                },
                {
                    "key": "note",
                    "type": "scale",
                    "label": "Votre satisfaction",
                    "min": 1,
                    "max": 5,
                },
                {"key": "remarques", "type": "long_text", "label": "Remarques"},
            ],
        }
    ]
}


@pytest.fixture
def federation(db):
    return Federation.objects.select_related("region").get(region_id="52")


def make_user(email, role, region="52", **links):
    user = User.objects.create_user(email=email, password="mot-de-passe-de-test")
    role_assign(user=user, role=role, region=Region.objects.get(code=region), **links)
    return user


@pytest.fixture
def staff(federation):
    return make_user("staff@exemple.fr", Role.FEDERATION_STAFF)


@pytest.fixture
def survey(federation, staff):
    survey = services.survey_create(
        federation=federation, title="Soins non programmés", by=staff, distribution="public"
    )
    services.definition_save(survey=survey, definition=DEFINITION, by=staff)
    services.survey_set_status(survey=survey, status=Survey.Status.PUBLISHED)
    return survey


def answer(survey, final=True, **raw):
    response, checked = services.answers_save(survey=survey, raw=raw, final=final)
    assert checked.errors == {}, checked.errors
    return response


@pytest.fixture
def registry(federation):
    """Four professionals: two nurses in Nantes (one in the CPTS, with an account), a
    physician in Angers, an inactive nurse in Nantes; a CPTS covering Nantes."""
    nantes, angers = Commune.objects.get(code="44109"), Commune.objects.get(code="49007")
    cpts = cpts_services.cpts_create(
        region=federation.region,
        name="CPTS de Nantes",
        main_department=Department.objects.get(code="44"),
        by=None,
        started_on=timezone.localdate() - timedelta(days=400),
    )
    cpts_services.cpts_set_territory(cpts=cpts, codes=["44109"])

    def pro(n, profession, commune, active=True):
        p = Professional.objects.create(
            identifier=f"1000000{n:04d}",
            identifier_kind="rpps",
            source="annuaire",
            profession_id=profession,
            last_name=f"Pro{n}",
            first_name="Camille",
            search_name=f"pro{n}",
            active=active,
        )
        PracticeSite.objects.create(professional=p, commune=commune, mode="liberal")
        return p

    nurse = pro(1, "infirmiers", nantes)
    pro(2, "infirmiers", nantes)
    pro(3, "medecins", angers)
    pro(4, "infirmiers", nantes, active=False)
    make_user("pro1@exemple.fr", Role.HEALTH_PROFESSIONAL, professional=nurse)
    return {"cpts": cpts, "nurse": nurse}


@pytest.fixture
def partner_user(federation):
    partner = Partner.objects.get(region=federation.region, kind=Partner.Kind.ARS)
    return make_user("ars@exemple.fr", Role.PARTNER, partner=partner)


@pytest.fixture
def union_user(federation):
    union = Union.objects.get(region=federation.region, profession_id="infirmiers")
    return make_user("elu@exemple.fr", Role.UNION_MEMBER, union=union)
