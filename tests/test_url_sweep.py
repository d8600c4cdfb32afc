"""Every URL pattern of the project, for every role, in two regions: the access policy holds
and nothing answers with a server error.

The patterns are read from the URL resolver (the Django admin's included), so a new view
is swept without writing a test; one that is missing from the policy's page table
(`interurps.accounts.policy.PAGES`) or from the argument table below fails
`test_every_pattern_is_declared`. For each pattern, each of ten visitors — the seven roles
of region A, a superuser, an account without a role, an anonymous visitor — sends a GET and
a POST (with a valid CSRF token, checks enforced) with the arguments of a real record of
region A, then the seven roles of region A do the same on region B's record (a page that
only shows gets its POST from the visitors it refuses and the superuser). Each request
runs in a transaction rolled back afterwards, so a delete or a cancellation leaves the
world intact for the next one.

Expected, from the policy table: a visitor without the right gets 403, 404 (405 for a GET
on a POST-only action) or is sent to the sign-in page; a visitor with the right is served;
a region A role never sees region B's records (the kinds open to every signed-in account or
to a role held in any region excepted). Nobody ever gets a 500 (the test client raises the
view's exception instead, which fails the test too).

`test_sweep_figures` prints the totals (run with `-s`): patterns × visitors tried, refused,
served.
"""

import re
from collections import Counter

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.crypto import get_random_string

from interurps.accounts import policy
from interurps.accounts.models import Role, User
from interurps.accounts.policy import PUBLIC, READ, TOKEN, Kind
from interurps.cpts.models import Cpts
from tests.world import build_region

REGION_A, REGION_B = "52", "11"
SUPERUSER, ROLELESS, ANONYMOUS = "superuser", "roleless", "anonymous"
VISITORS = [*Role.values, SUPERUSER, ROLELESS, ANONYMOUS]
# Records that are "their own" for roles of region A (Access.OWN / OWN_WRITE /
# READ_WRITE_OWN).
OWNER_ROLES = {
    Kind.CPTS: {Role.CPTS_COORDINATOR},  # the world's coordinator coordinates its CPTS
    Kind.LEARNER: {Role.CPTS_COORDINATOR},  # the learner belongs to that CPTS
    Kind.REGISTRATION: {Role.HEALTH_PROFESSIONAL},  # the registration is theirs
    # the world's professional follows the world's REPER person, in the coordinator's CPTS
    Kind.REPER_PERSON: {Role.HEALTH_PROFESSIONAL, Role.CPTS_COORDINATOR},
    # the SAS effector is the professional's, taking part through the coordinator's CPTS;
    # the slot is theirs and a slot of that CPTS's rota
    Kind.SAS_EFFECTOR: {Role.HEALTH_PROFESSIONAL, Role.CPTS_COORDINATOR},
    Kind.SAS_SLOT: {Role.HEALTH_PROFESSIONAL, Role.CPTS_COORDINATOR},
    # the world's survey shares its results with the partner and the elected members
    Kind.SURVEY_RESULTS: {Role.UNION_MEMBER, Role.PARTNER},
}
# Pages whose "own" records belong to fewer roles than their kind's owners: the CPTS's
# backlog and the assignment of its work are the coordinator's; a professional follows
# people but does not dispatch the CPTS's work.
PAGE_OWNER_ROLES = {
    "reper:cpts_backlog": {Role.CPTS_COORDINATOR},
    "reper:assessment_assign": {Role.CPTS_COORDINATOR},
}
# Admin models whose records belong to one region (the others are shared reference data).
REGION_SCOPED_ADMIN_MODELS = {
    "accounts_user",
    "accounts_roleassignment",
    "organizations_federation",
    "organizations_union",
    "organizations_partner",
    "cpts_cpts",
}


# --- the patterns --------------------------------------------------------------------


def _walk(patterns, namespace="", prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield name or f"{namespace}<unnamed>{route}", route


PATTERNS = dict(_walk(get_resolver().url_patterns))


def _args(w) -> dict[str, dict]:
    """URL name → the arguments naming region `w`'s record."""
    rc = {"region_code": w.region.code}
    n = w.named
    pk = {key: {"pk": record.pk} for key, record in n.items() if hasattr(record, "pk")}
    return {
        "healthz": {},
        "accounts:login": {},
        "accounts:logout": {},
        "accounts:password_reset": {},
        "accounts:password_reset_done": {},
        "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "jeton-perime"},
        "accounts:password_reset_complete": {},
        "accounts:password_change": {},
        "accounts:password_change_done": {},
        "home:home": {},
        "home:todo": {"kind": "cpts-en-attente"},
        "geography:region_list": {},
        "geography:region_detail": {"code": w.region.code},
        "geography:department_detail": {"code": w.department.code},
        "geography:commune_list": {},
        "geography:communes_geojson": {},
        "geography:commune_detail": {"code": w.commune.code},
        "cpts:aci_scales": {},
        "cpts:commune_lookup": {},
        "organizations:federation_detail": rc,
        "organizations:federation_edit": rc,
        "organizations:team": rc,
        "organizations:union_detail": {"pk": w.union.pk},
        "cpts:list": rc,
        "cpts:create": rc,
        "cpts:import": rc,
        "cpts:detail": pk["cpts"],
        "cpts:edit": pk["cpts"],
        "cpts:territory": pk["cpts"],
        "cpts:mission": pk["cpts"],
        "cpts:aci_contract": pk["cpts"],
        "cpts:aci_contract_year": {"pk": n["cpts"].pk, "number": 1},
        "cpts:transition": pk["cpts"],
        "cpts:related_add": {"pk": n["cpts"].pk, "kind": "structures"},
        "cpts:related_delete": {
            "pk": n["cpts"].pk,
            "kind": "structures",
            "record_pk": n["structure"].pk,
        },
        "cpts:transition_correct": pk["transition"],
        "cpts:region_coverage": {"code": w.region.code},
        "cpts:department_coverage": {"code": w.department.code},
        "cpts:region_coverage_map": {"code": w.region.code},
        "cpts:department_coverage_map": {"code": w.department.code},
        "diagnostics:territory": {},
        "professionals:list": {},
        "professionals:detail": pk["professional"],
        "elections:union": {"pk": w.union.pk},
        "elections:office_assign": {"pk": w.union.pk},
        "elections:detail": pk["election"],
        "elections:sheet": pk["election"],
        "elections:ballot_update": pk["ballot"],
        "elections:ballot_upload": pk["ballot"],
        "elections:ballot_allocate": pk["ballot"],
        "elections:mandate_vacate": pk["mandate"],
        "elections:directory": rc,
        "elections:ballot_grid": pk["ballot"],
        "elections:designation_create": {"pk": w.union.pk},
        "elections:designation": pk["designation"],
        "elections:designation_organisation_add": pk["designation"],
        "elections:designation_member_add": pk["designation"],
        "governance:federation": rc,
        "governance:body_create": rc,
        "governance:staff_create": rc,
        "governance:staff_edit": {**rc, "pk": n["staff_member"].pk},
        "governance:body_detail": pk["body"],
        "governance:body_edit": pk["body"],
        "governance:member_create": pk["body"],
        "governance:member_edit": pk["body_member"],
        "governance:meeting_create": pk["body"],
        "governance:meeting_detail": pk["gov_meeting"],
        "governance:meeting_edit": pk["gov_meeting"],
        "governance:meeting_attendance": pk["gov_meeting"],
        "governance:meeting_mark_held": pk["gov_meeting"],
        "governance:meeting_cancel": pk["gov_meeting"],
        "governance:decision_create": pk["gov_meeting"],
        "governance:decision_edit": pk["decision"],
        "governance:meeting_pv": pk["gov_meeting"],
        "activities:meeting_list": rc,
        "activities:meeting_create": rc,
        "activities:meeting_import": rc,
        "activities:meeting_kinds": rc,
        "activities:activity_counts": rc,
        "activities:calendar": rc,
        "activities:calendar_subscriptions": rc,
        "activities:ics_feed": {"token": n["user_feed"].token},
        "activities:meeting_detail": pk["meeting"],
        "activities:meeting_edit": pk["meeting"],
        "activities:meeting_delete": pk["meeting"],
        "activities:attachment_upload": pk["meeting"],
        "activities:attachment_download": pk["attachment"],
        "events:event_list": rc,
        "events:event_create": rc,
        "events:event_detail": pk["event"],
        "events:event_edit": pk["event"],
        "events:event_cancel": pk["event"],
        "events:event_mark_held": pk["event"],
        "events:event_ics": pk["event"],
        "events:programme_item_create": pk["event"],
        "events:programme_item_edit": pk["programme_item"],
        "events:programme_item_delete": pk["programme_item"],
        "events:speaker_create": pk["programme_item"],
        "events:speaker_edit": pk["speaker"],
        "events:speaker_delete": pk["speaker"],
        "events:registration_create": pk["event"],
        "events:participants_csv": pk["event"],
        "events:participants_xlsx": pk["event"],
        "events:event_email": pk["event"],
        "events:registration_cancel": pk["registration"],
        "events:registration_check_in": pk["registration"],
        "events:registration_check_in_undo": pk["registration"],
        "events:certificate": pk["registration"],
        "events:public_register": {"token": n["event"].public_token},
        "events:public_confirmation": {"token": n["event"].public_token},
        "events:registration_self_cancel": {"token": n["cancel_token"]},
        "training:federation": rc,
        "training:programme_create": rc,
        "training:trainers": rc,
        "training:trainer_create": rc,
        "training:programme_detail": pk["programme"],
        "training:programme_edit": pk["programme"],
        "training:module_create": pk["programme"],
        "training:module_edit": pk["module"],
        "training:cohort_create": pk["programme"],
        "training:cohort_detail": pk["cohort"],
        "training:cohort_edit": pk["cohort"],
        "training:learner_create": pk["cohort"],
        "training:learner_detail": pk["learner"],
        "training:learner_edit": pk["learner"],
        "training:session_create": pk["cohort"],
        "training:session_edit": pk["session"],
        "training:session_attendance": pk["session"],
        "training:trainer_edit": pk["trainer"],
        "training:step_create": pk["trainer"],
        "training:step_edit": pk["trainer_step"],
        "cpom:federation_cpom": rc,
        "cpom:contract_create": rc,
        "cpom:funding_line_create": rc,
        "cpom:contract_detail": pk["contract"],
        "cpom:contract_edit": pk["contract"],
        "cpom:amendment_create": pk["contract"],
        "cpom:theme_create": pk["contract"],
        "cpom:theme_edit": pk["theme"],
        "cpom:objective_create": pk["theme"],
        "cpom:objective_edit": pk["objective"],
        "cpom:action_create": pk["objective"],
        "cpom:objective_indicator_create": pk["objective"],
        "cpom:action_detail": pk["action"],
        "cpom:action_edit": pk["action"],
        "cpom:action_indicator_create": pk["action"],
        "cpom:indicator_detail": pk["indicator"],
        "cpom:indicator_edit": pk["indicator"],
        "cpom:target_set": pk["indicator"],
        "cpom:measurement_create": pk["indicator"],
        "cpom:indicator_freeze": pk["indicator"],
        "cpom:funding_line_detail": pk["funding_line"],
        "cpom:funding_line_edit": pk["funding_line"],
        "cpom:spending_create": pk["funding_line"],
        "reports:current": rc,
        "reports:report": {**rc, "year": 2021},
        "reports:pdf": {**rc, "year": 2021},
        "reports:texts": {**rc, "year": 2021},
        "reper:person_list": rc,
        "reper:person_create": {"cpts_pk": n["cpts"].pk},
        "reper:person_detail": pk["reper_person"],
        "reper:person_identity": pk["reper_person"],
        "reper:person_followers": pk["reper_person"],
        "reper:follower_remove": pk["reper_follow_up"],
        "reper:screening_create": pk["reper_person"],
        "reper:screening_detail": pk["reper_screening"],
        "reper:assessment_record": pk["reper_assessment"],
        "reper:assessment_cancel": pk["reper_assessment"],
        "reper:plan_create": pk["reper_person"],
        "reper:plan_detail": pk["reper_plan"],
        "reper:plan_review": pk["reper_plan"],
        "reper:plan_close": pk["reper_plan"],
        "reper:plan_action_done": pk["reper_plan_action"],
        "reper:consent_withdraw": pk["reper_person"],
        "reper:identity_erase": pk["reper_person"],
        "reper:my_queue": rc,
        "reper:cpts_backlog": pk["cpts"],
        "reper:assessment_assign": pk["reper_assessment"],
        "reper:indicators": rc,
        "reper:indicators_map": rc,
        "reper:evaluation_export": rc,
        "fhir:metadata": {},
        "fhir:slot_search": {},
        "fhir:appointment": {},
        "fhir:appointment_detail": {"logical_id": "1"},
        # SAS indicators
        "sas:indicators": rc,
        "sas:indicators_map": rc,
        "sas:indicators_geojson": rc,
        "sas:effector_statement": {"pk": n["sas_effector"].pk},
        # --- Pro Santé Connect and the second factor (interurps/accounts/views.py) ---
        "accounts:account": {},
        "accounts:otp_verify": {},
        "accounts:otp_enrol": {},
        "accounts:otp_backup_codes": {},
        "accounts:psc_welcome": {},
        "accounts:psc_unknown": {},
        "accounts:access_requests": rc,
        # only when Pro Santé Connect is configured (policy.PSC_PAGES; off in the sweep)
        "accounts:psc_authenticate": {},
        "accounts:psc_callback": {},
        "accounts:psc_link": {},
        # SAS regulation
        "sas:regulation_today": rc,
        "sas:regulation_request_create": rc,
        "sas:regulation_request": pk["sas_care_request"],
        "sas:regulation_book": pk["sas_care_request"],
        "sas:regulation_book_extra": pk["sas_care_request"],
        "sas:regulation_outcome": pk["sas_care_request"],
        "sas:regulation_cancel": pk["sas_appointment"],
        "sas:participation": rc,
        "sas:effector_create": rc,
        "sas:effector_detail": pk["sas_effector"],
        "sas:effector_edit": pk["sas_effector"],
        "sas:effector_suspend": pk["sas_effector"],
        "sas:effector_resume": pk["sas_effector"],
        "sas:site_create": pk["sas_effector"],
        "sas:my_slots": {},
        "sas:slot_week": pk["sas_effector"],
        "sas:slot_create": pk["sas_effector"],
        "sas:week_copy": pk["sas_effector"],
        "sas:slot_import": pk["sas_effector"],
        "sas:slot_cancel": pk["sas_slot"],
        "sas:slot_share": pk["sas_slot"],
        "sas:rota": pk["cpts"],
        # surveys
        "surveys:list": rc,
        "surveys:create": rc,
        **{
            f"surveys:{name}": pk["survey"]
            for name in (
                "detail",
                "edit",
                "definition",
                "builder",
                "preview",
                "copy",
                "status",
                "targets",
                "import",
                "invitations",
                "send",
                "indicator",
                "results",
                "results_pdf",
            )
        },
        "surveys:public": {"token": n["survey"].public_token},
        "surveys:answer": {"token": n["survey_invitation"].token},
        "surveys:unsubscribe": {"token": n["survey_invitation"].token},
        # background jobs
        "jobs:list": rc,
        "jobs:start": {**rc, "kind": "report_pdf"},
        "jobs:detail": pk["job"],
        "jobs:progress": pk["job"],
        "jobs:result": pk["job"],
        "jobs:cancel": pk["job"],
        "jobs:requeue": pk["job"],
        # the open API and the account's tokens
        "api_tokens": {},
        "api:schema": {},
        "api:docs": {},
        "api:region_cpts": rc,
        "api:cpts_detail": pk["cpts"],
        "api:cpts_territory": pk["cpts"],
        "api:region_coverage": rc,
        "api:department_coverage": {"code": w.department.code},
        "api:territory_indicators": {},
        "api:activity_counts": rc,
        "api:region_indicators": rc,
        "api:indicator_detail": pk["indicator"],
        "api:indicator_measurements": pk["indicator"],
        "api:region_events": rc,
        "api:event_detail": pk["event"],
        # patient flows and territory proposals
        "flows:federation": rc,
        "flows:import": rc,
        "flows:generate": rc,
        "flows:flow_set": pk["flow_set"],
        "flows:propose": pk["flow_set"],
        "flows:proposal": pk["territory_proposal"],
        "flows:proposal_map": pk["territory_proposal"],
        "flows:adopt": pk["proposed_territory"],
    }


# The admin's sign-in and sign-out pages are open to everyone.
ADMIN_PUBLIC = {"admin:login", "admin:logout"}
ADMIN_MODEL_VIEW = re.compile(r"^admin:(?P<model>[a-z]+_[a-z]+)_(?P<view>[a-z_]+)$")


def _admin_model(key: str):
    for model in admin.site._registry:
        if f"{model._meta.app_label}_{model._meta.model_name}" == key:
            return model
    return None


def _admin_record(w, model):
    return w.objects.get(model) or model.objects.order_by("pk").first()


def _fill(route: str, kwargs: dict) -> str:
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route)
    return "/" + path


def url_for(name: str, w) -> str:
    """The address of pattern `name` filled with region `w`'s records."""
    route = PATTERNS[name]
    if not name.startswith("admin:"):
        return _fill(route, _args(w)[name])
    if name == "admin:app_list":
        return "/admin/cpts/"
    if name == "admin:view_on_site":
        content_type = ContentType.objects.get_for_model(Cpts)
        return f"/admin/r/{content_type.pk}/{w.named['cpts'].pk}/"
    if name == "admin:auth_user_password_change":
        return f"/admin/accounts/user/{w.users[Role.HEALTH_PROFESSIONAL].pk}/password/"
    if "<unnamed>" in name:
        if route.endswith("(?P<url>.*)$"):
            return "/admin/inexistant/"
        app, model, _ = route.split("/", 3)[1:4]
        record = _admin_record(w, _admin_model(f"{app}_{model}"))
        return f"/admin/{app}/{model}/{record.pk if record else 0}/"
    match = ADMIN_MODEL_VIEW.match(name)
    if match and "object_id" in route:
        record = _admin_record(w, _admin_model(match["model"]))
        return _fill(route, {"object_id": record.pk if record else 0})
    return _fill(route, {})


def admin_model_key(name: str) -> str | None:
    if "<unnamed>" in name:
        parts = PATTERNS[name].split("/")
        return f"{parts[1]}_{parts[2]}" if len(parts) > 3 else None
    match = ADMIN_MODEL_VIEW.match(name)
    return match["model"] if match else None


# --- the world -----------------------------------------------------------------------


class World:
    def __init__(self):
        self.regions = {REGION_A: build_region(REGION_A), REGION_B: build_region(REGION_B)}
        Group.objects.create(name="Groupe du monde")
        self.visitors = dict(self.regions[REGION_A].users)
        self.visitors[SUPERUSER] = User.objects.create_superuser(email="super@monde.fr")
        self.visitors[ROLELESS] = User.objects.create_user(email="sans-role@monde.fr")
        self.clients = {}
        for key in VISITORS:
            client = Client(enforce_csrf_checks=True)
            if key != ANONYMOUS:
                client.force_login(self.visitors[key])
            token = get_random_string(32)
            client.cookies[settings.CSRF_COOKIE_NAME] = token
            client.csrf_token = token
            self.clients[key] = client


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the whole module, in a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield World()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module", autouse=True)
def pdf_layout_skipped():
    """The sweep checks who gets a page, not what a PDF looks like (each PDF has its own
    tests): the PDF pages still render their HTML, WeasyPrint only skips the layout, which
    made most of the sweep's time (a PDF for every reader of every PDF page)."""
    import weasyprint

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(weasyprint.HTML, "write_pdf", lambda self, *a, **kw: b"%PDF-1.7\n%%EOF\n")
        yield


FIGURES = Counter()


def _is_sign_in_redirect(response) -> bool:
    if response.status_code != 302:
        return False
    location = response.headers.get("Location", "")
    return location.startswith(("/comptes/connexion/", "/admin/login/"))


def _refused(response) -> bool:
    """Refused: 403, 404, 405, a redirect to a sign-in page, or 401 — the open API's
    answer (JSON) to a request without a session or a token, where a page would redirect."""
    return response.status_code in (401, 403, 404, 405) or _is_sign_in_redirect(response)


def _admin_refused(response) -> bool:
    """The admin also refuses by sending back to its index ("no such object")."""
    return _refused(response) or (
        response.status_code == 302 and response.headers.get("Location") == "/admin/"
    )


def _request(client, method: str, url: str):
    """One request, rolled back; the session cookie restored (a POST to the sign-out page
    must not sign the visitor out for the next pattern)."""
    cookies = {key: morsel.value for key, morsel in client.cookies.items()}
    with transaction.atomic():
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, {"csrfmiddlewaretoken": client.csrf_token})
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    for key, value in cookies.items():
        client.cookies[key] = value
    return response


def expected_allowed(
    visitor: str, in_region_a: bool, page, method: str, name: str = ""
) -> bool | None:
    """What the policy table says of `visitor` on a page showing a record of region A
    (`in_region_a`) or of region B."""
    need = page.get if method == "GET" else page.post
    if need in (PUBLIC, TOKEN):
        return None  # open to all: only "no server error" (sign-out redirects, 405...)
    if visitor == ANONYMOUS:
        return False
    if visitor == SUPERUSER:
        # a superuser without a role has no current space (work queues): no expectation
        return None if page.kind in policy.CURRENT_SPACE_KINDS else True
    kind = page.kind
    roles = set()
    region_free = policy.ANY_REGION_KINDS | policy.CURRENT_SPACE_KINDS
    if visitor in Role.values and (in_region_a or kind in region_free):
        roles = {visitor}
    access = policy.access_of(roles, kind)
    if kind in policy.SIGNED_IN_KINDS:
        access = max(access, policy.Access.READ)
    owners = PAGE_OWNER_ROLES.get(name, OWNER_ROLES.get(kind, ()))
    own = page.own and in_region_a and visitor in owners
    if need == READ:
        return policy.allows_read(access, own=own)
    return policy.allows_write(access, own=own)


def _admin_expectation(visitor: str, in_region_a: bool, name: str) -> bool | None:
    """True: must be served; False: must be refused; None: only "no server error".

    The admin's own region scoping is tested with the admin; here: only superusers and
    federation admins get in, and a federation admin never opens another region's record.
    """
    if name in ADMIN_PUBLIC or "<unnamed>" in name:
        return None  # open to all, or a redirect to a page swept on its own
    if visitor == SUPERUSER:
        return None  # some admin pages refuse even superusers (adding geography...)
    if visitor != Role.FEDERATION_ADMIN:
        return False
    if not in_region_a and admin_model_key(name) in REGION_SCOPED_ADMIN_MODELS:
        return False if "object_id" in PATTERNS[name] else None
    return None


def _post_repeats_get(visitor: str, in_region_a: bool, page, name: str) -> bool:
    """A POST to a page that only shows (post == get == READ) renders it again: sent by
    every visitor refused on GET and by the superuser, not repeated for every reader (the
    sweep's heavy pages are PDFs and maps that only show)."""
    if name.startswith("admin:") or not (page.get == page.post == READ):
        return False
    return visitor != SUPERUSER and bool(expected_allowed(visitor, in_region_a, page, "GET", name))


# --- the tests -----------------------------------------------------------------------


def test_every_pattern_is_declared():
    """A pattern missing from the policy's page table or from the arguments fails here."""
    missing_policy = [name for name in PATTERNS if policy.page_of(name) is None]
    assert missing_policy == [], f"URL patterns missing from policy.PAGES: {missing_policy}"
    stale = sorted(set(policy.PAGES) - set(PATTERNS))
    assert stale == [], f"policy.PAGES names no URL pattern: {stale}"


@pytest.mark.django_db  # asks pytest-django to create the test database
@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_policy_holds_on_every_url(world, name):
    page = policy.page_of(name)
    assert page is not None, f"{name} is missing from interurps.accounts.policy.PAGES"
    violations = []
    for in_region_a in (True, False):
        region_world = world.regions[REGION_A if in_region_a else REGION_B]
        try:
            url = url_for(name, region_world)
        except KeyError as missing:
            pytest.fail(f"{name}: no arguments in tests/test_url_sweep.py::_args ({missing})")
        visitors = VISITORS if in_region_a else Role.values
        for visitor in visitors:
            client = world.clients[visitor]
            for method in ("GET", "POST"):
                if method == "POST" and _post_repeats_get(visitor, in_region_a, page, name):
                    continue
                response = _request(client, method, url)
                status = response.status_code
                FIGURES["tried"] += 1
                FIGURES["server errors"] += status >= 500
                assert status < 500, f"{method} {url} as {visitor}: {status}"
                admin_page = name.startswith("admin:")
                refused = _admin_refused(response) if admin_page else _refused(response)
                FIGURES["refused" if refused else "served"] += 1
                if admin_page:
                    allowed = _admin_expectation(visitor, in_region_a, name)
                else:
                    allowed = expected_allowed(visitor, in_region_a, page, method, name)
                if allowed is None:
                    continue
                if not allowed and not refused:
                    violations.append(f"{method} {url} as {visitor}: served ({status})")
                if allowed and refused and status != 405:
                    violations.append(f"{method} {url} as {visitor}: refused ({status})")
    assert violations == [], "\n".join(violations)


def test_sweep_figures(capsys):
    """Run last: the totals of the sweep (`pytest -s tests/test_url_sweep.py`)."""
    with capsys.disabled():
        print(
            f"\nURL sweep: {len(PATTERNS)} patterns, {FIGURES['tried']} requests tried "
            f"(patterns × visitors × GET/POST × regions), {FIGURES['refused']} refused, "
            f"{FIGURES['served']} served, {FIGURES['server errors']} server errors."
        )
    assert FIGURES["tried"] == FIGURES["refused"] + FIGURES["served"]
