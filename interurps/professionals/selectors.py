"""Reads over the professionals registry."""

from collections import defaultdict

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from interurps.core.text import normalize_name
from interurps.geography.models import Department
from interurps.organizations.models import Profession
from interurps.professionals import rules
from interurps.professionals.models import (
    PracticeSite,
    Professional,
    RegistryImport,
    Source,
)


def _relevant_sites(liberal_only: bool) -> QuerySet[PracticeSite]:
    sites = PracticeSite.objects.filter(professional__active=True, commune__isnull=False)
    if liberal_only:
        sites = sites.filter(mode=rules.SITE_LIBERAL)
    return sites


def supply_by_commune(
    profession_code: str, *, liberal_only: bool = True, commune_codes=None
) -> dict[str, float]:
    """Professionals per commune, a professional with n sites counting 1/n at each (active only).

    n counts the professional's sites with a known commune (liberal sites only when
    `liberal_only`) across France, so that a professional practising inside and outside
    `commune_codes` counts only in part inside. Sites whose commune is unknown are left out
    of n: the professional counts fully where their known sites are. Communes without any
    professional are absent from the result.
    """
    sites = _relevant_sites(liberal_only).filter(professional__profession_id=profession_code)
    site_count = (
        _relevant_sites(liberal_only)
        .filter(professional_id=OuterRef("professional_id"))
        .order_by()
        .values("professional_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    area = sites if commune_codes is None else sites.filter(commune_id__in=list(commune_codes))
    supply: dict[str, float] = defaultdict(float)
    for commune_id, n in area.annotate(n=Subquery(site_count)).values_list("commune_id", "n"):
        supply[commune_id] += 1 / n
    return dict(supply)


def persons_by_commune(
    profession_code: str, *, liberal_only: bool = True, commune_codes=None
) -> dict[str, int]:
    """Distinct active professionals with a site (liberal site if `liberal_only`) in each
    commune: whole people, a professional with two sites in one commune counting once.

    A professional practising in two communes counts in each of them; the count of a
    territory is `counts_by_profession`, not the sum of these. Communes without any
    professional are absent.
    """
    sites = _relevant_sites(liberal_only).filter(professional__profession_id=profession_code)
    if commune_codes is not None:
        sites = sites.filter(commune_id__in=list(commune_codes))
    return dict(
        sites.order_by()
        .values("commune_id")
        .annotate(n=Count("professional_id", distinct=True))
        .values_list("commune_id", "n")
    )


def counts_by_profession(commune_codes: list[str] | None, *, liberal_only: bool) -> dict[str, int]:
    """Distinct active professionals with at least one site (liberal site if liberal_only) in
    the communes (None = all of France), keyed by profession code; every profession code
    present, 0 included.

    With None, a site whose commune is unknown still counts (it is somewhere in France).
    """
    site = Q()
    if commune_codes is not None:
        site &= Q(sites__commune_id__in=list(commune_codes))
    else:
        site &= Q(sites__isnull=False)
    if liberal_only:
        site &= Q(sites__mode=rules.SITE_LIBERAL)
    counts = dict.fromkeys(Profession.objects.values_list("code", flat=True), 0)
    rows = (
        Professional.objects.filter(site, active=True)
        .order_by()
        .values("profession_id")
        .annotate(n=Count("pk", distinct=True))
        .values_list("profession_id", "n")
    )
    counts.update(rows)
    return counts


def professional_search(
    query: str = "", *, profession_code: str = "", active_only: bool = True
) -> QuerySet[Professional]:
    """Professionals matching every word of `query` in their name, an identifier that
    starts with it, or a commune (INSEE code or name) where they practise."""
    professionals = Professional.objects.select_related("profession")
    if active_only:
        professionals = professionals.filter(active=True)
    if profession_code:
        professionals = professionals.filter(profession_id=profession_code)
    query = (query or "").strip()
    if query:
        words = normalize_name(query).split()
        by_name = Q()
        by_commune = Q()
        for word in words:
            by_name &= Q(search_name__contains=word)
            by_commune &= Q(commune__normalized_name__contains=word)
        commune_sites = PracticeSite.objects.filter(
            Q(commune_id=query) | by_commune if words else Q(commune_id=query)
        ).values("professional_id")
        professionals = professionals.filter(
            by_name | Q(identifier__startswith=query.upper()) | Q(pk__in=commune_sites)
        )
    return professionals.prefetch_related(
        Prefetch("sites", queryset=PracticeSite.objects.select_related("commune"))
    ).order_by("last_name", "first_name", "identifier")


def professional_detail_queryset() -> QuerySet[Professional]:
    return Professional.objects.select_related("profession").prefetch_related(
        Prefetch(
            "sites",
            queryset=PracticeSite.objects.select_related("commune__department").order_by(
                "mode", "pk"
            ),
        )
    )


# --- Coverage and provenance of the registry ---------------------------------------------


def latest_imports() -> list[RegistryImport]:
    """The last recorded import of each source and scope (national, or one region) whose
    data is still in the registry, newest first."""
    seen, latest = set(), []
    for record in RegistryImport.objects.select_related("region").order_by("-imported_at", "-pk"):
        key = (record.source, record.region_id)
        if key in seen:
            continue
        seen.add(key)
        if _scope_professionals(record).exists():
            latest.append(record)
    return latest


def _scope_professionals(record: RegistryImport) -> QuerySet[Professional]:
    active = Professional.objects.filter(source=record.source, active=True)
    if record.region_id is None:
        return active
    if record.source == Source.SYNTHETIC:
        prefix = f"{rules.SYNTHETIC_PREFIX}{record.region_id.zfill(2)}"
        return active.filter(identifier__startswith=prefix)
    return active.filter(sites__commune__department__region_id=record.region_id)


def covered_departments() -> set[str]:
    """Codes of the departments the registry covers.

    Rule: a department is covered when a recorded import whose data is still in the
    registry spans it (an Annuaire Santé extraction spans all of France, a synthetic
    generation its region). A registry filled before imports were recorded (no record)
    covers the departments where at least one active professional has a site. A stray
    site outside an import's scope (a professional of one region practising next door)
    does not make its department covered.
    """
    imports = latest_imports()
    if not imports:
        return set(
            PracticeSite.objects.filter(professional__active=True, commune__isnull=False)
            .order_by()
            .values_list("commune__department_id", flat=True)
            .distinct()
        )
    if any(record.region_id is None for record in imports):
        return set(Department.objects.values_list("code", flat=True))
    regions = {record.region_id for record in imports}
    return set(Department.objects.filter(region_id__in=regions).values_list("code", flat=True))


def only_synthetic() -> bool:
    """Whether every professional of the registry is synthetic (all liberal by construction)."""
    return not Professional.objects.exclude(source=Source.SYNTHETIC).exists()
