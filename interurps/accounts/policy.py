"""The access policy, written once: which role may read and which may write each kind of
record. Every permission predicate (`interurps/accounts/perms.py` and each app's
`perms.py`) asks this table; the README's « Qui peut lire et modifier quoi » is checked
against it (`interurps/accounts/tests/test_policy.py`), and `tests/test_url_sweep.py` proves
it on every URL pattern of the project, for every role, in two regions.

Rules the table encodes:

- A role is held in one region and grants nothing in another; superusers (the technical
  operators of a deployment) read and write everything.
- Health professionals and SAS regulators read what is shared with the whole region
  (federation and unions, CPTS and coverage, elections, the bodies' composition, events,
  training programmes) and never the federation's internal records: governance meetings,
  decisions and minutes (PV), internal meetings and their attachments, CPOM and funding,
  staff, learners' records (names, e-mails, attendance), registrations.
- Partners (ARS, Assurance Maladie) read what the federation shares with them: the CPOM and
  its funding (the ARS signs and funds it), the annual report and activity counts, CPTS and
  coverage, diagnostics, events, training programmes and the learners' progress (the ARS
  funds PACTE). Not the internal life of the association (governance meetings and minutes,
  staff, internal meetings, the team's accounts) nor registrants' personal data.
- Elected members of the unions are the association's members: they read its internal
  records (governance meetings and minutes, staff, meetings), never write them.
- SAS: the federation's staff (the SAS officer) run effectors and their participation;
  an effector (health professional) reads and writes only their own participation and
  slots, a coordinator only their CPTS's rota; regulators search, book and record care
  requests in their region; partners and elected members see aggregates only.
- REPER / ICOPE: a person's record (identity, screenings, assessments, plans) is read and
  written only by the professionals who follow that person and by their CPTS's
  coordinator, never by the federation or partners, who see aggregates and a pseudonymised
  evaluation export.
- Surveys: the federation's staff build questionnaires, invite, send and analyse;
  partners and elected members read only the results the federation shared with them
  (a partner organisation named on the survey, or the unions' elected members as a
  whole); respondents need no account and reach only their own form by its token.
- "Own" access reaches only the records that are the user's: a coordinator writes their own
  CPTS and reads their CPTS's learners; anyone reads their own learner record and their own
  certificate of attendance.

Pure Python: no Django import, so the table can be read and rendered anywhere.
"""

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Access(IntEnum):
    """What a role may do on a kind of record, from nothing to everything."""

    NONE = 0
    OWN = 1  # reads only their own records
    OWN_WRITE = 2  # reads and writes only their own records (an effector's slots)
    READ = 3
    READ_WRITE_OWN = 4  # reads every record, writes only their own
    WRITE = 5  # reads and writes every record

    @property
    def label(self) -> str:
        return ACCESS_LABELS[self]


ACCESS_LABELS = {
    Access.NONE: "—",
    Access.OWN: "les siennes",
    Access.OWN_WRITE: "les siennes, en écriture",
    Access.READ: "lecture",
    Access.READ_WRITE_OWN: "lecture, écriture des siennes",
    Access.WRITE: "lecture et écriture",
}


class Kind(StrEnum):
    """Kinds of record, each with its French label for the README."""

    GEOGRAPHY = "geography"
    HOME = "home"
    TODO = "todo"
    FEDERATION = "federation"
    TEAM = "team"
    CPTS = "cpts"
    CPTS_LIFECYCLE = "cpts_lifecycle"
    CPTS_STAGE_DATE = "cpts_stage_date"
    COVERAGE = "coverage"
    DIAGNOSTIC = "diagnostic"
    DIAGNOSTIC_PDF = "diagnostic_pdf"
    PROFESSIONAL = "professional"
    ELECTION = "election"
    GOVERNANCE_BODY = "governance_body"
    GOVERNANCE_MEETING = "governance_meeting"
    STAFF = "staff"
    MEETING = "meeting"
    MEETING_KIND = "meeting_kind"
    ACTIVITY_COUNTS = "activity_counts"
    EVENT = "event"
    REGISTRATION = "registration"
    TRAINING = "training"
    LEARNER = "learner"
    CPOM = "cpom"
    FUNDING = "funding"
    REPORT = "report"
    SAS_EFFECTOR = "sas_effector"
    SAS_SLOT = "sas_slot"
    SAS_REGULATION = "sas_regulation"
    SAS_INDICATORS = "sas_indicators"
    REPER_PERSON = "reper_person"
    REPER_INDICATORS = "reper_indicators"
    REPER_EXPORT = "reper_export"
    ACCESS_REQUEST = "access_request"
    SURVEY = "survey"
    SURVEY_RESULTS = "survey_results"
    JOB = "job"
    FLOWS = "flows"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    Kind.GEOGRAPHY: "Géographie INSEE, barèmes ACI",
    Kind.HOME: "Accueil de son rôle",
    Kind.TODO: "Files « à traiter » de la fédération",
    Kind.FEDERATION: "Fédération, unions, partenaires",
    Kind.TEAM: "Comptes et rôles de la région (équipe)",
    Kind.CPTS: "CPTS : fiche, territoire, missions, membres",
    Kind.CPTS_LIFECYCLE: "CPTS : étapes du cycle de vie, actions d'accompagnement",
    Kind.CPTS_STAGE_DATE: "CPTS : correction d'une date d'étape",
    Kind.COVERAGE: "Couverture régionale et départementale en CPTS",
    Kind.DIAGNOSTIC: "Diagnostics territoriaux",
    Kind.DIAGNOSTIC_PDF: "Diagnostic territorial en PDF (calcul lourd, par région couverte)",
    Kind.PROFESSIONAL: "Répertoire des professionnels de santé",
    Kind.ELECTION: "Élections des URPS, mandats, fonctions",
    Kind.GOVERNANCE_BODY: "Instances de la fédération et leur composition",
    Kind.GOVERNANCE_MEETING: "Réunions des instances, présences, décisions, PV",
    Kind.STAFF: "Équipe salariée",
    Kind.MEETING: "Réunions de la fédération, pièces jointes, calendrier",
    Kind.MEETING_KIND: "Types de réunion",
    Kind.ACTIVITY_COUNTS: "Décompte des réunions",
    Kind.EVENT: "Événements, programme, intervenant·es",
    Kind.REGISTRATION: "Inscriptions aux événements, présence, attestations",
    Kind.TRAINING: "Formations, modules, cohortes, séances, formateur·rices relais",
    Kind.LEARNER: "Apprenant·es (coordonnées, présence, parcours)",
    Kind.CPOM: "CPOM : contrat, thématiques, objectifs, actions, indicateurs",
    Kind.FUNDING: "Financements et dépenses",
    Kind.REPORT: "Rapport d'activité",
    Kind.SAS_EFFECTOR: "SAS : effecteurs, participation, déclarations sur l'honneur",
    Kind.SAS_SLOT: "SAS : créneaux partagés, tour de garde SNP de la CPTS",
    Kind.SAS_REGULATION: "SAS : recherche de créneaux, réservations, demandes de soins",
    Kind.SAS_INDICATORS: "SAS : indicateurs agrégés, valorisation",
    Kind.REPER_PERSON: "REPER / ICOPE : personnes suivies, repérages, évaluations, plans",
    Kind.REPER_INDICATORS: "REPER / ICOPE : indicateurs agrégés",
    Kind.REPER_EXPORT: "REPER / ICOPE : export d'évaluation pseudonymisé",
    Kind.ACCESS_REQUEST: "Demandes d'accès des professionnels inconnus du répertoire",
    Kind.SURVEY: "Enquêtes : questionnaires, destinataires, envois",
    Kind.SURVEY_RESULTS: "Enquêtes : résultats et exports (partagés au cas par cas)",
    Kind.JOB: "Travaux en arrière-plan (imports, PDF, envois groupés) de la région",
    Kind.FLOWS: "Flux de patientèle, pôles d'attraction, propositions de territoires",
    Kind.ADMIN: "Administration (comptes, rôles, organisations)",
}

# Role codes, as in `interurps.accounts.models.Role` (kept as strings: no Django import).
FEDERATION_ADMIN = "federation_admin"
FEDERATION_STAFF = "federation_staff"
UNION_MEMBER = "union_member"
CPTS_COORDINATOR = "cpts_coordinator"
PARTNER = "partner"
HEALTH_PROFESSIONAL = "health_professional"
SAS_REGULATOR = "sas_regulator"

ROLES = (
    FEDERATION_ADMIN,
    FEDERATION_STAFF,
    UNION_MEMBER,
    CPTS_COORDINATOR,
    PARTNER,
    HEALTH_PROFESSIONAL,
    SAS_REGULATOR,
)
ROLE_HEADERS = {
    FEDERATION_ADMIN: "Admin. fédé.",
    FEDERATION_STAFF: "Chargé·e de mission",
    UNION_MEMBER: "Élu·e URPS",
    CPTS_COORDINATOR: "Coord. CPTS",
    PARTNER: "Partenaire",
    HEALTH_PROFESSIONAL: "Professionnel·le",
    SAS_REGULATOR: "Régulateur·rice SAS",
}

_ = Access.NONE
O = Access.OWN  # noqa: E741
OW = Access.OWN_WRITE
R = Access.READ
RO = Access.READ_WRITE_OWN
W = Access.WRITE


def _row(fa, fs, um, cc, p, hp, sas) -> dict[str, Access]:
    return dict(zip(ROLES, (fa, fs, um, cc, p, hp, sas), strict=True))


# fmt: off
POLICY: dict[Kind, dict[str, Access]] = {
    #                              admin staff élu  coord part. pro  SAS
    Kind.GEOGRAPHY:           _row(R,    R,    R,    R,    R,    R,   R),
    Kind.HOME:                _row(R,    R,    R,    R,    R,    R,   R),
    Kind.TODO:                _row(R,    R,    _,    _,    _,    _,   _),
    Kind.FEDERATION:          _row(W,    R,    R,    R,    R,    R,   R),
    Kind.TEAM:                _row(W,    R,    _,    _,    _,    _,   _),
    Kind.CPTS:                _row(W,    W,    R,    RO,   R,    R,   R),
    Kind.CPTS_LIFECYCLE:      _row(W,    W,    R,    R,    R,    R,   R),
    Kind.CPTS_STAGE_DATE:     _row(W,    R,    R,    R,    R,    R,   R),
    Kind.COVERAGE:            _row(R,    R,    R,    R,    R,    R,   R),
    Kind.DIAGNOSTIC:          _row(R,    R,    R,    R,    R,    R,   R),
    Kind.DIAGNOSTIC_PDF:      _row(R,    R,    _,    _,    R,    _,   _),
    Kind.PROFESSIONAL:        _row(R,    R,    _,    _,    _,    _,   _),
    Kind.ELECTION:            _row(W,    R,    R,    R,    R,    R,   R),
    Kind.GOVERNANCE_BODY:     _row(W,    R,    R,    R,    R,    R,   R),
    Kind.GOVERNANCE_MEETING:  _row(W,    W,    R,    _,    _,    _,   _),
    Kind.STAFF:               _row(W,    R,    R,    _,    _,    _,   _),
    Kind.MEETING:             _row(W,    W,    R,    _,    _,    _,   _),
    Kind.MEETING_KIND:        _row(W,    R,    R,    _,    _,    _,   _),
    Kind.ACTIVITY_COUNTS:     _row(R,    R,    R,    _,    R,    _,   _),
    Kind.EVENT:               _row(W,    W,    R,    R,    R,    R,   R),
    Kind.REGISTRATION:        _row(W,    W,    O,    O,    O,    O,   O),
    Kind.TRAINING:            _row(W,    W,    R,    R,    R,    R,   R),
    Kind.LEARNER:             _row(W,    W,    R,    O,    R,    O,   O),
    Kind.CPOM:                _row(W,    W,    R,    _,    R,    _,   _),
    Kind.FUNDING:             _row(W,    W,    R,    _,    R,    _,   _),
    Kind.REPORT:              _row(W,    W,    R,    _,    R,    _,   _),
    Kind.SAS_EFFECTOR:        _row(W,    W,    _,    OW,   _,    OW,  R),
    Kind.SAS_SLOT:            _row(W,    W,    _,    OW,   _,    OW,  R),
    Kind.SAS_REGULATION:      _row(W,    R,    _,    _,    _,    _,   W),
    Kind.SAS_INDICATORS:      _row(R,    R,    R,    R,    R,    _,   R),
    Kind.REPER_PERSON:        _row(_,    _,    _,    OW,   _,    OW,  _),
    Kind.REPER_INDICATORS:    _row(R,    R,    R,    R,    R,    R,   _),
    Kind.REPER_EXPORT:        _row(R,    R,    _,    _,    R,    _,   _),
    Kind.ACCESS_REQUEST:      _row(W,    W,    _,    _,    _,    _,   _),
    Kind.SURVEY:              _row(W,    W,    _,    _,    _,    _,   _),
    Kind.SURVEY_RESULTS:      _row(R,    R,    O,    _,    O,    _,   _),
    Kind.JOB:                 _row(W,    W,    _,    _,    _,    _,   _),
    Kind.FLOWS:               _row(W,    W,    R,    _,    R,    _,   _),
    Kind.ADMIN:               _row(W,    _,    _,    _,    _,    _,   _),
}
# fmt: on

# Kinds not tied to one region: open reference data for any signed-in account (geography,
# ACI scales, the home page), or a national tool opened by a role held in any region
# (the professionals registry, the diagnostics, both built on open data).
SIGNED_IN_KINDS = {Kind.GEOGRAPHY, Kind.HOME}
ANY_REGION_KINDS = {Kind.PROFESSIONAL, Kind.DIAGNOSTIC}
# The work queues follow the role the person works in now (their current space), not an
# address: they are checked in that role's region.
CURRENT_SPACE_KINDS = {Kind.TODO}


def access_of(roles, kind: Kind) -> Access:
    """The widest access that any of `roles` (role codes held in one region) gives on `kind`."""
    row = POLICY[kind]
    return max((row[role] for role in roles), default=Access.NONE)


def allows_read(access: Access, *, own: bool = False) -> bool:
    return access >= Access.READ or (own and access in (Access.OWN, Access.OWN_WRITE))


def allows_write(access: Access, *, own: bool = False) -> bool:
    return access == Access.WRITE or (own and access in (Access.READ_WRITE_OWN, Access.OWN_WRITE))


# --- pages: which kind of record each URL shows or changes ----------------------------

READ, WRITE, PUBLIC, TOKEN = "read", "write", "public", "token"


@dataclass(frozen=True)
class Page:
    """What a URL pattern shows (GET) and changes (POST).

    `get` and `post` are READ (the kind's readers), WRITE (its writers), PUBLIC (anyone,
    signed in or not) or TOKEN (anyone holding the unguessable token in the address).
    `own` marks pages that also open to a user on their own record (Access.OWN).
    """

    kind: Kind | None
    get: str = READ
    post: str = WRITE
    own: bool = False


def _read(kind, **kw) -> Page:
    """A page that only shows `kind`: a POST to it changes nothing (same readers)."""
    return Page(kind, READ, READ, **kw)


def _read_form(kind, **kw) -> Page:
    """A page that shows `kind` (GET) with a form that changes it (POST: its writers)."""
    return Page(kind, READ, WRITE, **kw)


def _write(kind, **kw) -> Page:
    """A form or action page: both GET and POST need the right to write `kind`."""
    return Page(kind, WRITE, WRITE, **kw)


def _public() -> Page:
    return Page(None, PUBLIC, PUBLIC)


def _token() -> Page:
    return Page(None, TOKEN, TOKEN)


def _bearer() -> Page:
    """The FHIR interface of the SAS (`/fhir/`): no session, an API client's secret token in
    the `Authorization: Bearer` header (interurps/sas/fhir/auth.py); a request without it
    gets 401. Like TOKEN pages, only "no server error" is checked by the URL sweep."""
    return Page(None, TOKEN, TOKEN)


PAGES: dict[str, Page] = {
    "healthz": _public(),
    # accounts: sign-in and password pages are for everyone; changing one's password
    # needs to be signed in (the login_required of Django's own view).
    "accounts:login": _public(),
    "accounts:logout": _public(),
    "accounts:password_reset": _public(),
    "accounts:password_reset_done": _public(),
    "accounts:password_reset_confirm": _public(),
    "accounts:password_reset_complete": _public(),
    "accounts:password_change": Page(Kind.HOME, READ, READ),
    "accounts:password_change_done": Page(Kind.HOME, READ, READ),
    "home:home": Page(Kind.HOME, READ, READ),
    "home:todo": _read(Kind.TODO),
    # geography and reference data
    "geography:region_list": _read(Kind.GEOGRAPHY),
    "geography:region_detail": _read(Kind.GEOGRAPHY),
    "geography:department_detail": _read(Kind.GEOGRAPHY),
    "geography:commune_list": _read(Kind.GEOGRAPHY),
    "geography:commune_detail": _read(Kind.GEOGRAPHY),
    "geography:communes_geojson": _read(Kind.GEOGRAPHY),
    "cpts:aci_scales": _read(Kind.GEOGRAPHY),
    "cpts:commune_lookup": _read(Kind.GEOGRAPHY),
    # organizations
    "organizations:federation_detail": _read(Kind.FEDERATION),
    "organizations:federation_edit": _write(Kind.FEDERATION),
    "organizations:team": _read(Kind.TEAM),
    "organizations:union_detail": _read(Kind.FEDERATION),
    # CPTS
    "cpts:list": _read(Kind.CPTS),
    "cpts:create": _write(Kind.CPTS),
    "cpts:import": _write(Kind.CPTS),
    "cpts:detail": _read(Kind.CPTS, own=True),
    "cpts:edit": _write(Kind.CPTS, own=True),
    "cpts:territory": _write(Kind.CPTS, own=True),
    "cpts:mission": _write(Kind.CPTS, own=True),
    "cpts:aci_contract": _read(Kind.CPTS, own=True),
    "cpts:aci_contract_year": _write(Kind.CPTS, own=True),
    "cpts:related_add": _write(Kind.CPTS, own=True),
    "cpts:related_delete": _write(Kind.CPTS, own=True),
    "cpts:transition": _write(Kind.CPTS_LIFECYCLE),
    "cpts:transition_correct": _write(Kind.CPTS_STAGE_DATE),
    "cpts:region_coverage": _read(Kind.COVERAGE),
    "cpts:department_coverage": _read(Kind.COVERAGE),
    "cpts:region_coverage_map": _read(Kind.COVERAGE),
    "cpts:department_coverage_map": _read(Kind.COVERAGE),
    # diagnostics and the registry
    "diagnostics:territory": _read(Kind.DIAGNOSTIC),
    "professionals:list": _read(Kind.PROFESSIONAL),
    "professionals:detail": _read(Kind.PROFESSIONAL),
    # elections
    "elections:union": _read_form(Kind.ELECTION),
    "elections:office_assign": _write(Kind.ELECTION),
    "elections:detail": _read(Kind.ELECTION),
    "elections:sheet": _read(Kind.ELECTION),
    "elections:ballot_update": _write(Kind.ELECTION),
    "elections:ballot_upload": _write(Kind.ELECTION),
    "elections:ballot_allocate": _write(Kind.ELECTION),
    "elections:mandate_vacate": _write(Kind.ELECTION),
    "elections:directory": _read(Kind.ELECTION),
    "elections:ballot_grid": _write(Kind.ELECTION),
    "elections:designation_create": _write(Kind.ELECTION),
    "elections:designation": _read(Kind.ELECTION),
    "elections:designation_organisation_add": _write(Kind.ELECTION),
    "elections:designation_member_add": _write(Kind.ELECTION),
    # governance
    "governance:federation": _read(Kind.GOVERNANCE_BODY),
    "governance:body_create": _write(Kind.GOVERNANCE_BODY),
    "governance:body_detail": _read(Kind.GOVERNANCE_BODY),
    "governance:body_edit": _write(Kind.GOVERNANCE_BODY),
    "governance:member_create": _write(Kind.GOVERNANCE_BODY),
    "governance:member_edit": _write(Kind.GOVERNANCE_BODY),
    "governance:staff_create": _write(Kind.STAFF),
    "governance:staff_edit": _write(Kind.STAFF),
    "governance:meeting_create": _write(Kind.GOVERNANCE_MEETING),
    "governance:meeting_detail": _read(Kind.GOVERNANCE_MEETING),
    "governance:meeting_edit": _write(Kind.GOVERNANCE_MEETING),
    "governance:meeting_attendance": _write(Kind.GOVERNANCE_MEETING),
    "governance:meeting_mark_held": _write(Kind.GOVERNANCE_MEETING),
    "governance:meeting_cancel": _write(Kind.GOVERNANCE_MEETING),
    "governance:decision_create": _write(Kind.GOVERNANCE_MEETING),
    "governance:decision_edit": _write(Kind.GOVERNANCE_MEETING),
    "governance:meeting_pv": _read(Kind.GOVERNANCE_MEETING),
    # activities: meetings, counts, calendar, feeds
    "activities:meeting_list": _read_form(Kind.MEETING),
    "activities:meeting_create": _write(Kind.MEETING),
    "activities:meeting_import": _write(Kind.MEETING),
    "activities:meeting_kinds": _read_form(Kind.MEETING_KIND),
    "activities:activity_counts": _read(Kind.ACTIVITY_COUNTS),
    "activities:calendar": _read(Kind.MEETING),
    # renewing one's own feed is open to every reader of the calendar
    "activities:calendar_subscriptions": Page(Kind.MEETING, READ, READ),
    "activities:ics_feed": _token(),
    "activities:meeting_detail": _read(Kind.MEETING),
    "activities:meeting_edit": _write(Kind.MEETING),
    "activities:meeting_delete": _write(Kind.MEETING),
    "activities:attachment_upload": _write(Kind.MEETING),
    "activities:attachment_download": _read(Kind.MEETING),
    # events
    "events:event_list": _read(Kind.EVENT),
    "events:event_create": _write(Kind.EVENT),
    "events:event_detail": _read(Kind.EVENT),
    "events:event_edit": _write(Kind.EVENT),
    "events:event_cancel": _write(Kind.EVENT),
    "events:event_mark_held": _write(Kind.EVENT),
    "events:event_ics": _read(Kind.EVENT),
    "events:programme_item_create": _write(Kind.EVENT),
    "events:programme_item_edit": _write(Kind.EVENT),
    "events:programme_item_delete": _write(Kind.EVENT),
    "events:speaker_create": _write(Kind.EVENT),
    "events:speaker_edit": _write(Kind.EVENT),
    "events:speaker_delete": _write(Kind.EVENT),
    "events:registration_create": _write(Kind.REGISTRATION),
    "events:participants_csv": _write(Kind.REGISTRATION),
    "events:participants_xlsx": _write(Kind.REGISTRATION),
    "events:event_email": _write(Kind.REGISTRATION),
    "events:registration_cancel": _write(Kind.REGISTRATION),
    "events:registration_check_in": _write(Kind.REGISTRATION),
    "events:registration_check_in_undo": _write(Kind.REGISTRATION),
    "events:certificate": _read(Kind.REGISTRATION, own=True),
    "events:public_register": _token(),
    "events:public_confirmation": _token(),
    "events:registration_self_cancel": _token(),
    # training
    "training:federation": _read(Kind.TRAINING),
    "training:programme_create": _write(Kind.TRAINING),
    "training:trainers": _read(Kind.TRAINING),
    "training:trainer_create": _write(Kind.TRAINING),
    "training:programme_detail": _read(Kind.TRAINING),
    "training:programme_edit": _write(Kind.TRAINING),
    "training:module_create": _write(Kind.TRAINING),
    "training:module_edit": _write(Kind.TRAINING),
    "training:cohort_create": _write(Kind.TRAINING),
    "training:cohort_detail": _read(Kind.TRAINING),
    "training:cohort_edit": _write(Kind.TRAINING),
    "training:learner_create": _write(Kind.LEARNER),
    "training:learner_detail": _read(Kind.LEARNER, own=True),
    "training:learner_edit": _write(Kind.LEARNER),
    "training:session_create": _write(Kind.TRAINING),
    "training:session_edit": _write(Kind.TRAINING),
    "training:session_attendance": _write(Kind.LEARNER),
    "training:trainer_edit": _write(Kind.TRAINING),
    "training:step_create": _write(Kind.TRAINING),
    "training:step_edit": _write(Kind.TRAINING),
    # CPOM and funding
    "cpom:federation_cpom": _read(Kind.CPOM),
    "cpom:contract_create": _write(Kind.CPOM),
    "cpom:contract_detail": _read(Kind.CPOM),
    "cpom:contract_edit": _write(Kind.CPOM),
    "cpom:amendment_create": _write(Kind.CPOM),
    "cpom:theme_create": _write(Kind.CPOM),
    "cpom:theme_edit": _write(Kind.CPOM),
    "cpom:objective_create": _write(Kind.CPOM),
    "cpom:objective_edit": _write(Kind.CPOM),
    "cpom:action_create": _write(Kind.CPOM),
    "cpom:objective_indicator_create": _write(Kind.CPOM),
    "cpom:action_detail": _read(Kind.CPOM),
    "cpom:action_edit": _write(Kind.CPOM),
    "cpom:action_indicator_create": _write(Kind.CPOM),
    "cpom:indicator_detail": _read(Kind.CPOM),
    "cpom:indicator_edit": _write(Kind.CPOM),
    "cpom:target_set": _write(Kind.CPOM),
    "cpom:measurement_create": _write(Kind.CPOM),
    "cpom:indicator_freeze": _write(Kind.CPOM),
    "cpom:funding_line_create": _write(Kind.FUNDING),
    "cpom:funding_line_detail": _read(Kind.FUNDING),
    "cpom:funding_line_edit": _write(Kind.FUNDING),
    "cpom:spending_create": _write(Kind.FUNDING),
    # SAS: effectors and participation (the SAS officer; an effector and their CPTS's
    # coordinator on their own record), slots and the CPTS's SNP rota
    "sas:participation": _read(Kind.SAS_EFFECTOR),
    "sas:effector_create": _write(Kind.SAS_EFFECTOR),
    "sas:effector_detail": _read(Kind.SAS_EFFECTOR, own=True),
    "sas:effector_edit": _write(Kind.SAS_EFFECTOR, own=True),
    "sas:effector_suspend": _write(Kind.SAS_EFFECTOR),
    "sas:effector_resume": _write(Kind.SAS_EFFECTOR),
    "sas:site_create": _write(Kind.SAS_EFFECTOR, own=True),
    # the way in to one's own week: every signed-in account (a page says when there is none)
    "sas:my_slots": Page(Kind.HOME, READ, READ),
    "sas:slot_week": _read(Kind.SAS_SLOT, own=True),
    "sas:slot_create": _write(Kind.SAS_SLOT, own=True),
    "sas:week_copy": _write(Kind.SAS_SLOT, own=True),
    "sas:slot_import": _write(Kind.SAS_SLOT, own=True),
    "sas:slot_cancel": _write(Kind.SAS_SLOT, own=True),
    "sas:slot_share": _write(Kind.SAS_SLOT, own=True),
    "sas:rota": _read_form(Kind.SAS_SLOT, own=True),
    # annual report
    "reports:current": _read(Kind.REPORT),
    "reports:report": _read(Kind.REPORT),
    "reports:pdf": _read(Kind.REPORT),
    "reports:texts": _write(Kind.REPORT),
    # REPER / ICOPE records: the professionals who follow the person and the coordinators
    # of their CPTS (own=True: only their own people), never the federation or partners.
    "reper:person_list": _read(Kind.REPER_PERSON, own=True),
    "reper:person_create": _write(Kind.REPER_PERSON, own=True),
    "reper:person_detail": _read(Kind.REPER_PERSON, own=True),
    "reper:person_identity": _write(Kind.REPER_PERSON, own=True),
    "reper:person_followers": _read_form(Kind.REPER_PERSON, own=True),
    "reper:follower_remove": _write(Kind.REPER_PERSON, own=True),
    "reper:screening_create": _write(Kind.REPER_PERSON, own=True),
    "reper:screening_detail": _read(Kind.REPER_PERSON, own=True),
    "reper:assessment_record": _read_form(Kind.REPER_PERSON, own=True),
    "reper:assessment_cancel": _write(Kind.REPER_PERSON, own=True),
    "reper:plan_create": _write(Kind.REPER_PERSON, own=True),
    "reper:plan_detail": _read_form(Kind.REPER_PERSON, own=True),
    "reper:plan_review": _write(Kind.REPER_PERSON, own=True),
    "reper:plan_close": _write(Kind.REPER_PERSON, own=True),
    "reper:plan_action_done": _write(Kind.REPER_PERSON, own=True),
    "reper:consent_withdraw": _write(Kind.REPER_PERSON, own=True),
    "reper:identity_erase": _write(Kind.REPER_PERSON, own=True),
    # REPER / ICOPE monitoring: one's own work queue, the coordinator's backlog and the
    # assignment of work (their people only), aggregates, the pseudonymised export.
    "reper:my_queue": _read(Kind.REPER_PERSON, own=True),
    "reper:cpts_backlog": _read(Kind.REPER_PERSON, own=True),
    "reper:assessment_assign": _write(Kind.REPER_PERSON, own=True),
    "reper:indicators": _read(Kind.REPER_INDICATORS),
    "reper:indicators_map": _read(Kind.REPER_INDICATORS),
    "reper:evaluation_export": _read(Kind.REPER_EXPORT),
    # FHIR interface of the SAS: API clients, not users (the CapabilityStatement is public)
    "fhir:metadata": _public(),
    "fhir:slot_search": _bearer(),
    "fhir:appointment": _bearer(),
    "fhir:appointment_detail": _bearer(),
    # SAS indicators (aggregates) and an effector's monthly statement (own effector)
    "sas:indicators": _read(Kind.SAS_INDICATORS),
    "sas:indicators_map": _read(Kind.SAS_INDICATORS),
    "sas:indicators_geojson": _read(Kind.SAS_INDICATORS),
    "sas:effector_statement": _read(Kind.SAS_EFFECTOR, own=True),
    # --- Pro Santé Connect and the second factor (interurps/accounts/views.py) ---
    # One's account, the welcome after a first Pro Santé Connect sign-in, the second
    # factor's pages: any signed-in account (the pages say when there is nothing to do).
    "accounts:account": Page(Kind.HOME, READ, READ),
    "accounts:psc_welcome": Page(Kind.HOME, READ, READ),
    "accounts:otp_verify": Page(Kind.HOME, READ, READ),
    "accounts:otp_enrol": Page(Kind.HOME, READ, READ),
    "accounts:otp_backup_codes": Page(Kind.HOME, READ, READ),
    # A professional unknown to the registry (identity from the Pro Santé Connect session).
    "accounts:psc_unknown": _public(),
    # The federation's staff read and answer the requests of their region.
    "accounts:access_requests": _read_form(Kind.ACCESS_REQUEST),
    # Surveys: staff build, target, send and analyse; partners and elected members read
    # the results shared with them (own=True); respondents answer through a token, or
    # through the survey's public link.
    "surveys:list": _read(Kind.SURVEY_RESULTS, own=True),
    "surveys:create": _write(Kind.SURVEY),
    "surveys:detail": _read(Kind.SURVEY),
    "surveys:edit": _write(Kind.SURVEY),
    "surveys:definition": _write(Kind.SURVEY),
    "surveys:builder": _write(Kind.SURVEY),
    "surveys:preview": _read(Kind.SURVEY),
    "surveys:copy": _write(Kind.SURVEY),
    "surveys:status": _write(Kind.SURVEY),
    "surveys:targets": _write(Kind.SURVEY),
    "surveys:import": _write(Kind.SURVEY),
    "surveys:invitations": _read(Kind.SURVEY),
    "surveys:send": _read_form(Kind.SURVEY),
    "surveys:indicator": _write(Kind.SURVEY),
    "surveys:results": _read(Kind.SURVEY_RESULTS, own=True),
    "surveys:results_pdf": _read(Kind.SURVEY_RESULTS, own=True),
    "surveys:public": _public(),
    "surveys:answer": _token(),
    "surveys:unsubscribe": _token(),
    # --- background jobs (interurps/jobs): the federation's staff of the region see and
    # start them, cancel them and restart one left by a dead worker; the national ones
    # (Annuaire Santé, geography) are started by superusers only (checked by the job type).
    "jobs:list": _read(Kind.JOB),
    "jobs:start": _write(Kind.JOB),
    "jobs:detail": _read(Kind.JOB),
    "jobs:progress": _read(Kind.JOB),
    "jobs:result": _read(Kind.JOB),
    "jobs:cancel": _write(Kind.JOB),
    "jobs:requeue": _write(Kind.JOB),
    # --- the open API (interurps/api, /api/v1/): each endpoint is the kind its page shows;
    # without a session or a token it answers 401 (JSON), never a sign-in redirect. The
    # schema and its documentation page are open. A POST to a read-only endpoint is 405.
    "api_tokens": Page(Kind.HOME, READ, READ),
    "api:schema": _public(),
    "api:docs": _public(),
    "api:region_cpts": _read(Kind.CPTS),
    "api:cpts_detail": _read(Kind.CPTS),
    "api:cpts_territory": _read(Kind.CPTS),
    "api:region_coverage": _read(Kind.COVERAGE),
    "api:department_coverage": _read(Kind.COVERAGE),
    "api:territory_indicators": _read(Kind.DIAGNOSTIC),
    "api:activity_counts": _read(Kind.ACTIVITY_COUNTS),
    "api:region_indicators": _read(Kind.CPOM),
    "api:indicator_detail": _read(Kind.CPOM),
    "api:indicator_measurements": _read_form(Kind.CPOM),
    "api:region_events": _read(Kind.EVENT),
    "api:event_detail": _read(Kind.EVENT),
    # Patient flows, attraction poles and territory proposals (interurps/flows).
    "flows:federation": _read(Kind.FLOWS),
    "flows:import": _write(Kind.FLOWS),
    "flows:generate": _write(Kind.FLOWS),
    "flows:flow_set": _read(Kind.FLOWS),
    "flows:propose": _write(Kind.FLOWS),
    "flows:proposal": _read(Kind.FLOWS),
    "flows:proposal_map": _read(Kind.FLOWS),
    "flows:adopt": _write(Kind.FLOWS),
    # SAS: regulators' search, bookings and care requests
    "sas:regulation_today": _read(Kind.SAS_REGULATION),
    "sas:regulation_request_create": _write(Kind.SAS_REGULATION),
    "sas:regulation_request": _read_form(Kind.SAS_REGULATION),
    "sas:regulation_book": _write(Kind.SAS_REGULATION),
    "sas:regulation_book_extra": _write(Kind.SAS_REGULATION),
    "sas:regulation_outcome": _write(Kind.SAS_REGULATION),
    "sas:regulation_cancel": _write(Kind.SAS_REGULATION),
}

# Pages that exist only when Pro Santé Connect is configured (settings PSC_*): out of
# PAGES, whose every name must be a pattern of the running configuration.
PSC_PAGES: dict[str, Page] = {
    "accounts:psc_authenticate": _public(),
    "accounts:psc_callback": _public(),
    "accounts:psc_link": Page(Kind.HOME, READ, READ),
}

# Every page of the Django admin (`admin:*`) is the admin's: federation admins of the
# record's region (scoped by the admin classes) and superusers.
ADMIN_PAGE = Page(Kind.ADMIN, WRITE, WRITE)


def page_of(url_name: str) -> Page | None:
    """The policy of a named URL pattern, or None when the pattern is not declared."""
    if url_name.startswith("admin:"):
        return ADMIN_PAGE
    return PAGES.get(url_name) or PSC_PAGES.get(url_name)


def markdown_table() -> str:
    """The policy as the Markdown table of the README."""
    header = "| Données | " + " | ".join(ROLE_HEADERS[r] for r in ROLES) + " |"
    rule = "|---|" + "---|" * len(ROLES)
    lines = [header, rule]
    for kind, row in POLICY.items():
        cells = " | ".join(row[role].label for role in ROLES)
        lines.append(f"| {kind.label} | {cells} |")
    return "\n".join(lines)
