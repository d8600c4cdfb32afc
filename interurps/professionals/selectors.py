"""Reads over the professionals registry."""

from django.db.models import Count, Prefetch, Q, QuerySet

from interurps.core.text import normalize_name
from interurps.geography.models import Commune, Department
from interurps.organizations.models import Profession
from interurps.professionals import rules
from interurps.professionals.models import (
    PracticeSite,
    Professional,
    RegistryCount,
    RegistryCountState,
    RegistryImport,
    Source,
)


def registry_state() -> RegistryCountState:
    """The counts' state (one query). They are kept up to date by their writers (the import
    and the generator rebuild them, an edit one by one recounts what it touches); only a
    database whose counts were never built gets them built here, on its first read."""
    state = RegistryCountState.objects.filter(pk=1, stale=False).first()
    if state is None:
        from interurps.professionals.services import registry_counts_rebuild

        state = registry_counts_rebuild()
    return state


def _fresh(state: RegistryCountState | None) -> RegistryCountState:
    """`state` when a caller already read it for this request, else read (and rebuilt)."""
    return state if state is not None else registry_state()


def _commune_counts(
    profession_code: str, field: str, *, liberal_only: bool, commune_codes, state=None
) -> dict[str, float]:
    _fresh(state)
    rows = RegistryCount.objects.filter(
        scope=RegistryCount.Scope.COMMUNE,
        profession_id=profession_code,
        liberal_only=liberal_only,
    )
    if isinstance(commune_codes, QuerySet):
        rows = rows.filter(code__in=commune_codes)  # a subquery
    elif commune_codes is not None:
        rows = rows.filter(code__in=list(commune_codes))
    return dict(rows.values_list("code", field))


def supply_by_commune(
    profession_code: str, *, liberal_only: bool = True, commune_codes=None, state=None
) -> dict[str, float]:
    """Professionals per commune, a professional with n sites counting 1/n at each (active only).

    n counts the professional's sites with a known commune (liberal sites only when
    `liberal_only`) across France, so that a professional practising inside and outside
    `commune_codes` counts only in part inside. Sites whose commune is unknown are left out
    of n: the professional counts fully where their known sites are. Communes without any
    professional are absent from the result. Read from `RegistryCount`.
    """
    return _commune_counts(
        profession_code,
        "supply",
        liberal_only=liberal_only,
        commune_codes=commune_codes,
        state=state,
    )


def persons_by_commune(
    profession_code: str, *, liberal_only: bool = True, commune_codes=None, state=None
) -> dict[str, int]:
    """Distinct active professionals with a site (liberal site if `liberal_only`) in each
    commune: whole people, a professional with two sites in one commune counting once.

    A professional practising in two communes counts in each of them; the count of a
    territory is `counts_by_profession`, not the sum of these. Communes without any
    professional are absent. Read from `RegistryCount`.
    """
    return _commune_counts(
        profession_code,
        "persons",
        liberal_only=liberal_only,
        commune_codes=commune_codes,
        state=state,
    )


def area_counts(scope: str, code: str, *, state=None) -> tuple[dict[str, int], dict[str, int]]:
    """Whole people per profession in a department, a region or France ("FR"): (all sites,
    liberal sites), every profession present, 0 included. Read from `RegistryCount`."""
    _fresh(state)
    professions = list(Profession.objects.values_list("code", flat=True))
    counts = {False: dict.fromkeys(professions, 0), True: dict.fromkeys(professions, 0)}
    rows = RegistryCount.objects.filter(scope=scope, code=code).values_list(
        "liberal_only", "profession_id", "persons"
    )
    for liberal_only, profession, persons in rows:
        counts[liberal_only][profession] = persons
    return counts[False], counts[True]


def counts_by_profession(commune_codes: list[str] | None, *, liberal_only: bool) -> dict[str, int]:
    """Distinct active professionals with at least one site (liberal site if liberal_only) in
    the communes (None = all of France), keyed by profession code; every profession code
    present, 0 included.

    With None, a site whose commune is unknown still counts (it is somewhere in France).
    """
    site = Q(sites__commune_id__in=list(commune_codes or []))
    if liberal_only:
        site &= Q(sites__mode=rules.SITE_LIBERAL)
    if commune_codes is None:
        return area_counts(RegistryCount.Scope.FRANCE, "FR")[1 if liberal_only else 0]
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


# Shorter words match at the start of a word of the name: trigram indexes serve only words
# of three letters or more, and "ma" anywhere matches a good part of the registry.
SHORT_WORD = 3


def _word_match(field: str, word: str) -> Q:
    if len(word) >= SHORT_WORD:
        return Q(**{f"{field}__contains": word})
    return Q(**{f"{field}__startswith": word}) | Q(**{f"{field}__contains": f" {word}"})


def professional_search(
    query: str = "", *, profession_code: str = "", active_only: bool = True
) -> QuerySet[Professional]:
    """Professionals matching every word of `query` in their name, an identifier that
    starts with it, or a commune (INSEE code or name) where they practise; a word of one
    or two letters matches the start of a word of the name."""
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
            by_name &= _word_match("search_name", word)
            by_commune &= _word_match("normalized_name", word)
        # The communes first (a small table), then their sites through the commune index:
        # one condition over sites joined to communes made PostgreSQL join every site.
        communes = Commune.objects.filter(Q(code=query) | by_commune if words else Q(code=query))
        commune_sites = PracticeSite.objects.filter(commune_id__in=communes.values("code")).values(
            "professional_id"
        )
        # Each way of matching is its own indexed query (on PostgreSQL a trigram index
        # serves the names: see the migration), their union then sorted: one condition
        # ORing them made the database read the whole registry in name order.
        matches = (
            Professional.objects.filter(by_name)
            .order_by()
            .values("pk")
            .union(
                Professional.objects.filter(identifier__startswith=query.upper())
                .order_by()
                .values("pk"),
                commune_sites.order_by(),
            )
        )
        professionals = professionals.filter(pk__in=matches)
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


def latest_imports(*, state=None) -> list[RegistryImport]:
    """The last recorded import of each source and scope (national, or one region) whose
    data is still in the registry, newest first."""
    summary = _fresh(state).summary
    seen, latest = set(), []
    for record in RegistryImport.objects.select_related("region").order_by("-imported_at", "-pk"):
        key = (record.source, record.region_id)
        if key in seen:
            continue
        seen.add(key)
        if _scope_has_professionals(record, summary):
            latest.append(record)
    return latest


def _scope_has_professionals(record: RegistryImport, summary: dict) -> bool:
    """Whether active professionals of the import's source and scope remain, read in the
    counts' summary (a region-scoped non-synthetic import, never written today, is looked
    up)."""
    if record.source not in summary.get("sources", []):
        return False
    if record.region_id is None:
        return True
    if record.source == Source.SYNTHETIC:
        return record.region_id.zfill(2) in summary.get("synthetic_regions", [])
    return Professional.objects.filter(
        source=record.source,
        active=True,
        sites__commune__department__region_id=record.region_id,
    ).exists()


def covered_departments(*, state=None) -> set[str]:
    """Codes of the departments the registry covers.

    Rule: a department is covered when a recorded import whose data is still in the
    registry spans it (an Annuaire Santé extraction spans all of France, a synthetic
    generation its region). A registry filled before imports were recorded (no record)
    covers the departments where at least one active professional has a site. A stray
    site outside an import's scope (a professional of one region practising next door)
    does not make its department covered.
    """
    imports = latest_imports(state=state)
    if not imports:
        return set(
            RegistryCount.objects.filter(scope=RegistryCount.Scope.DEPARTMENT, sites__gt=0)
            .order_by()
            .values_list("code", flat=True)
            .distinct()
        )
    if any(record.region_id is None for record in imports):
        return set(Department.objects.values_list("code", flat=True))
    regions = {record.region_id for record in imports}
    return set(Department.objects.filter(region_id__in=regions).values_list("code", flat=True))


def registry_size(*, profession_code: str = "", active_only: bool = True) -> int:
    """Professionals of the registry (active only, or all), of one profession or all, read
    in the counts' summary."""
    summary = registry_state().summary
    groups = [summary.get("active_by_profession", {})]
    if not active_only:
        groups.append(summary.get("retired_by_profession", {}))
    return sum(
        n
        for group in groups
        for profession, n in group.items()
        if not profession_code or profession == profession_code
    )


def only_synthetic(*, state=None) -> bool:
    """Whether every professional of the registry is synthetic (all liberal by construction)."""
    return set(_fresh(state).summary.get("all_sources", [])) <= {Source.SYNTHETIC}
