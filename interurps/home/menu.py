"""The main menu: the pages a person may open in their current space, and which one is open.

Every entry asks the permission predicate its page asks (accounts and the apps' `perms`);
the menu decides nothing on its own, so it never offers a page that would answer 403.
"""

from dataclasses import dataclass, field, replace

from django.urls import reverse

from interurps.accounts import perms
from interurps.accounts.models import Role
from interurps.activities import perms as activities_perms
from interurps.cpom import perms as cpom_perms
from interurps.elections import perms as elections_perms
from interurps.events import perms as events_perms
from interurps.flows import perms as flows_perms
from interurps.governance import perms as governance_perms
from interurps.jobs import perms as jobs_perms
from interurps.organizations.models import Union
from interurps.professionals import perms as professionals_perms
from interurps.reper import perms as reper_perms
from interurps.reper import selectors as reper_selectors
from interurps.reper.monitoring import perms as monitoring_perms
from interurps.sas import perms as sas_perms
from interurps.sas.indicators import perms as sas_indicators_perms
from interurps.sas.models import Effector
from interurps.sas.regulation import perms as regulation_perms
from interurps.surveys import perms as surveys_perms
from interurps.training import perms as training_perms


@dataclass(frozen=True)
class MenuEntry:
    key: str
    label: str
    url: str
    allowed: bool
    # Views that belong to the entry: "namespace" or "namespace:url_name".
    sections: tuple[str, ...] = ()
    # Paths that belong to the entry (a CPTS's own pages for "Ma CPTS").
    prefixes: tuple[str, ...] = field(default=())
    current: str = ""  # "page" on the entry's own page, "true" inside its section

    @property
    def aria_current(self) -> str:
        return self.current


def catalogue(user, region=None, federation=None, space=None) -> list[MenuEntry]:
    """Every entry the menu knows, each with whether `user` may open it."""
    entries = [MenuEntry("home", "Accueil", reverse("home:home"), True, ("home",))]
    if space is not None and space.role == Role.CPTS_COORDINATOR and space.cpts_id:
        entries.append(
            MenuEntry(
                "my_cpts",
                "Ma CPTS",
                reverse("cpts:detail", args=[space.cpts_id]),
                perms.can_view_cpts(user, space.cpts),
                prefixes=(f"/cpts/{space.cpts_id}/",),
            )
        )
    if space is not None and space.role == Role.CPTS_COORDINATOR and space.cpts_id:
        entries.append(
            MenuEntry(
                "sas_rota",
                "Tour de garde SNP",
                reverse("sas:rota", args=[space.cpts_id]),
                sas_perms.can_view_rota(user, space.cpts),
                ("sas:rota",),
            )
        )
    if space is not None and space.role == Role.HEALTH_PROFESSIONAL:
        entries.append(
            MenuEntry(
                "sas_my_slots",
                "Mes créneaux SAS",
                reverse("sas:my_slots"),
                True,
                ("sas:my_slots", "sas:slot_week", "sas:slot_create", "sas:slot_import"),
            )
        )
    if space is not None and space.role == Role.UNION_MEMBER and space.union_id:
        entries.append(
            MenuEntry(
                "my_union",
                "Mon union",
                reverse("organizations:union_detail", args=[space.union_id]),
                perms.can_view_region_workspace(user, space.union.region_id),
                ("organizations:union_detail", "elections:union"),
                prefixes=(f"/unions/{space.union_id}/",),
            )
        )
    if space is not None and region is not None:
        entries += _reper_entries(user, region, space)
    if region is not None:
        code = region.code
        workspace = perms.can_view_region_workspace(user, region)
        entries += [
            MenuEntry("cpts", "CPTS", reverse("cpts:list", args=[code]), workspace, ("cpts",)),
            MenuEntry(
                "coverage",
                "Couverture",
                reverse("cpts:region_coverage", args=[code]),
                workspace,
                ("cpts:region_coverage", "cpts:department_coverage"),
            ),
            MenuEntry(
                "diagnostics",
                "Diagnostics",
                reverse("diagnostics:territory"),
                workspace,
                ("diagnostics",),
            ),
        ]
        # SAS indicators (aggregates) for the roles that read them.
        entries.append(
            MenuEntry(
                "sas_indicators",
                "SAS – indicateurs",
                reverse("sas:indicators", args=[code]),
                sas_indicators_perms.can_view_indicators(user, region),
                ("sas:indicators", "sas:indicators_map"),
            )
        )
        if space is not None and space.role == Role.SAS_REGULATOR:
            # The regulator's daily tool, first after their home.
            entries.insert(
                1,
                MenuEntry(
                    "sas_regulation",
                    "Régulation SAS",
                    reverse("sas:regulation_today", args=[code]),
                    regulation_perms.can_view_regulation(user, region),
                    prefixes=("/sas/regulation/",),
                ),
            )
    # A health professional who is an SAS effector: their monthly statement.
    if space is not None and space.role == Role.HEALTH_PROFESSIONAL and space.professional_id:
        effector = Effector.objects.filter(professional_id=space.professional_id).first()
        if effector is not None:
            entries.append(
                MenuEntry(
                    "sas_statement",
                    "Mon relevé SAS",
                    reverse("sas:effector_statement", args=[effector.pk]),
                    sas_indicators_perms.can_view_statement(user, effector),
                    ("sas:effector_statement",),
                )
            )
    if federation is not None:
        code = federation.region_id
        entries += [
            MenuEntry(
                "federation",
                "Fédération",
                reverse("organizations:federation_detail", args=[code]),
                perms.can_view_region_workspace(user, code),
                ("organizations:federation_detail", "organizations:federation_edit"),
            ),
            MenuEntry(
                "elected",
                "Élu·es",
                reverse("elections:directory", args=[code]),
                elections_perms.can_view_elections(user, Union(region_id=code)),
                ("elections",),
            ),
            MenuEntry(
                "governance",
                "Gouvernance",
                reverse("governance:federation", args=[code]),
                governance_perms.can_view_governance(user, federation),
                ("governance",),
            ),
            MenuEntry(
                "meetings",
                "Réunions",
                reverse("activities:meeting_list", args=[code]),
                activities_perms.can_view_activity(user, federation),
                ("activities",),
            ),
            MenuEntry(
                "calendar",
                "Calendrier",
                reverse("activities:calendar", args=[code]),
                activities_perms.can_view_activity(user, federation),
                ("activities:calendar", "activities:calendar_subscriptions"),
            ),
            MenuEntry(
                "events",
                "Événements",
                reverse("events:event_list", args=[code]),
                events_perms.can_view_events(user, federation),
                ("events",),
            ),
            MenuEntry(
                "surveys",
                "Enquêtes",
                reverse("surveys:list", args=[code]),
                surveys_perms.can_view_survey_list(user, federation),
                ("surveys",),
            ),
            MenuEntry(
                "training",
                "Formations",
                reverse("training:federation", args=[code]),
                training_perms.can_view_training(user, federation),
                ("training",),
            ),
            MenuEntry(
                "cpom",
                "CPOM",
                reverse("cpom:federation_cpom", args=[code]),
                cpom_perms.can_view_cpom(user, federation),
                ("cpom",),
            ),
            MenuEntry(
                "flows",
                "Flux et territoires",
                reverse("flows:federation", args=[code]),
                flows_perms.can_view_flows(user, code),
                ("flows",),
            ),
            MenuEntry(
                "sas_participation",
                "SAS – participation",
                reverse("sas:participation", args=[code]),
                sas_perms.can_view_participation(user, code),
                ("sas:participation", "sas:effector_create", "sas:effector_detail"),
            ),
            MenuEntry(
                "report",
                "Rapport d'activité",
                reverse("reports:current", args=[code]),
                perms.can_view_report(user, code),
                ("reports",),
            ),
            MenuEntry(
                "team",
                "Équipe",
                reverse("organizations:team", args=[code]),
                perms.can_view_team(user, code),
                ("organizations:team",),
            ),
            MenuEntry(
                "jobs",
                "Travaux",
                reverse("jobs:list", args=[code]),
                jobs_perms.can_view_jobs(user, code),
                ("jobs",),
            ),
        ]
    entries += [
        MenuEntry(
            "professionals",
            "Professionnels",
            reverse("professionals:list"),
            professionals_perms.can_view_registry(user),
            ("professionals",),
        ),
        MenuEntry(
            "geography",
            "Géographie",
            reverse("geography:region_list"),
            perms.can_view_geography(user),
            ("geography",),
        ),
        MenuEntry(
            "admin",
            "Administration",
            reverse("admin:index"),
            perms.can_access_admin(user),
            ("admin",),
        ),
    ]
    return entries


def _reper_entries(user, region, space) -> list[MenuEntry]:
    """REPER / ICOPE: for the professionals who follow people and the coordinators of a
    CPTS of the programme, their people and their work queue (a coordinator's: the CPTS's
    backlog); the aggregated indicators for those who read them."""
    entries = []
    if space is not None and space.role == Role.HEALTH_PROFESSIONAL and space.professional_id:
        entries += [
            MenuEntry(
                "reper_people",
                "REPER – mes patients",
                reverse("reper:person_list", args=[region.code]),
                reper_perms.can_use_reper(user, region),
                ("reper",),
            ),
            MenuEntry(
                "reper_queue",
                "REPER – file de travail",
                reverse("reper:my_queue", args=[region.code]),
                monitoring_perms.can_view_queue(user, region),
                ("reper:my_queue",),
            ),
        ]
    elif (
        space is not None
        and space.role == Role.CPTS_COORDINATOR
        and space.cpts_id
        and reper_selectors.is_programme_cpts(space.cpts)
    ):
        entries += [
            MenuEntry(
                "reper_people",
                "REPER – patients de la CPTS",
                reverse("reper:person_list", args=[region.code]),
                reper_perms.can_use_reper(user, region),
                ("reper",),
            ),
            MenuEntry(
                "reper_queue",
                "REPER – file de travail",
                reverse("reper:cpts_backlog", args=[space.cpts_id]),
                monitoring_perms.can_view_cpts_backlog(user, space.cpts),
                ("reper:cpts_backlog", "reper:my_queue"),
            ),
        ]
    entries.append(
        MenuEntry(
            "reper_indicators",
            "REPER – indicateurs",
            reverse("reper:indicators", args=[region.code]),
            monitoring_perms.can_view_indicators(user, region),
            ("reper:indicators", "reper:evaluation_export"),
        )
    )
    return entries


def _section_of(entry: MenuEntry, path: str, view: str, namespace: str, specific: bool) -> bool:
    if specific:
        return view in entry.sections or any(path.startswith(p) for p in entry.prefixes)
    return namespace in entry.sections


def mark_current(entries: list[MenuEntry], path: str, resolver_match=None) -> list[MenuEntry]:
    """The entries, with the open page marked: `aria-current="page"` on the entry whose
    own page this is; otherwise `aria-current="true"` on the section the page belongs to
    (an event's page belongs to "Événements")."""
    for index, entry in enumerate(entries):
        if entry.url == path:
            return [*entries[:index], replace(entry, current="page"), *entries[index + 1 :]]
    if resolver_match is None:
        return entries
    namespace = resolver_match.namespace
    view = f"{namespace}:{resolver_match.url_name}"
    for specific in (True, False):  # "cpts:region_coverage" before the "cpts" namespace
        for index, entry in enumerate(entries):
            if _section_of(entry, path, view, namespace, specific):
                return [*entries[:index], replace(entry, current="true"), *entries[index + 1 :]]
    return entries


def menu(user, path: str, resolver_match=None, *, region=None, federation=None, space=None):
    """The entries `user` may open, with the current one marked."""
    allowed = [e for e in catalogue(user, region, federation, space) if e.allowed]
    return mark_current(allowed, path, resolver_match)


def breadcrumbs(entries: list[MenuEntry]) -> list[MenuEntry]:
    """A default trail for pages that draw none: home, then the section the page is in."""
    home = entries[0] if entries and entries[0].key == "home" else None
    current = next((e for e in entries if e.current), None)
    if home is None or current is None or current.key == "home":
        return []
    return [home, current]
