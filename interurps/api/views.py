"""The open API, read-mostly. Every view asks the same permission predicates as the page
showing the same records (`interurps/accounts/perms.py` and the apps' `perms.py`), so an
answer never holds more than the page would show to the same account."""

import json
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from interurps.accounts import perms
from interurps.accounts.policy import Kind
from interurps.activities import perms as activity_perms
from interurps.activities import selectors as activity_selectors
from interurps.api import filters, serializers
from interurps.cpom import perms as cpom_perms
from interurps.cpom import services as cpom_services
from interurps.cpom.forms import MeasurementForm
from interurps.cpom.models import Indicator, Measurement
from interurps.cpts import selectors as cpts_selectors
from interurps.cpts.models import Cpts, StageTransition
from interurps.cpts.selectors import MAX_CODES_TEXT, parse_insee_codes
from interurps.diagnostics import selectors as diagnostic_selectors
from interurps.events import perms as event_perms
from interurps.events.models import Event
from interurps.geography.models import Commune, Department, Epci, Region
from interurps.organizations.models import Federation, Profession

MAX_ID = 2**63 - 1


def _errors(*codes) -> dict:
    """The documented error answers of an operation (JSON, French message)."""
    shapes = {400: serializers.ValidationErrorSerializer}
    return {code: shapes.get(code, serializers.ErrorSerializer) for code in codes}


READ_ERRORS = _errors(401, 403, 404)
LIST_ERRORS = _errors(400, 401, 403, 404)  # 400: a filter's value is invalid


def _region(code: str) -> Region:
    return get_object_or_404(Region, code=code[:3])


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _pk(value) -> int:
    if not 0 < int(value) <= MAX_ID:
        raise NotFound
    return int(value)


# --- CPTS ---------------------------------------------------------------------------------


@extend_schema(tags=["CPTS"], responses={200: serializers.CptsSerializer(many=True), **LIST_ERRORS})
class RegionCptsList(generics.ListAPIView):
    """Le registre des CPTS d'une région (comme la page « CPTS » de la région)."""

    serializer_class = serializers.CptsSerializer
    filterset_class = filters.CptsFilter
    ordering_fields = ["name", "population", "stage", "aci_signed_on"]
    ordering = ["name"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Cpts.objects.none()
        region = _region(self.kwargs["region_code"])
        _require(perms.can_view_cpts_of_region(self.request.user, region))
        return Cpts.objects.filter(region=region).order_by("name", "pk")


def _cpts(request, pk) -> Cpts:
    cpts = get_object_or_404(Cpts, pk=_pk(pk))
    _require(perms.can_view_cpts(request.user, cpts))
    return cpts


@extend_schema(tags=["CPTS"], responses={200: serializers.CptsDetailSerializer, **READ_ERRORS})
class CptsDetail(APIView):
    """Une CPTS : fiche, étapes du cycle de vie datées, missions, communes du territoire."""

    def get(self, request, pk):
        cpts = _cpts(request, pk)
        cpts = (
            Cpts.objects.filter(pk=cpts.pk)
            .prefetch_related(
                Prefetch(
                    "transitions", queryset=StageTransition.objects.order_by("occurred_on", "pk")
                ),
                "missions",
                Prefetch("communes", queryset=Commune.objects.only("code")),
            )
            .get()
        )
        return Response(serializers.CptsDetailSerializer(cpts).data)


@extend_schema(tags=["CPTS"], responses={200: serializers.GeoJsonSerializer, **READ_ERRORS})
class CptsTerritory(APIView):
    """Le territoire d'une CPTS en GeoJSON : une entité par commune (code, nom,
    population) et le contour d'ensemble (`kind: contour`)."""

    def get(self, request, pk):
        cpts = _cpts(request, pk)
        features = [
            {
                "type": "Feature",
                "geometry": json.loads(geometry) if geometry else None,
                "properties": {"code": code, "name": name, "population": population or 0},
            }
            for code, name, population, geometry in cpts.communes.order_by("code").values_list(
                "code", "name", "population", "geometry"
            )
        ]
        if cpts.geometry:
            features.append(
                {
                    "type": "Feature",
                    "geometry": json.loads(cpts.geometry),
                    "properties": {"kind": "contour", "name": cpts.name},
                }
            )
        return Response({"type": "FeatureCollection", "features": features})


# --- coverage -----------------------------------------------------------------------------


def _coverage(area) -> dict:
    report = cpts_selectors.area_coverage(area)
    return {
        "code": area.code,
        "name": area.name,
        "population": report.coverage.total_population,
        "covered_population": report.coverage.covered_population,
        "covered_share_percent": cpts_selectors.covered_share_percent(report),
        "cpts_count": len(report.cpts),
        "cpts_by_stage": [
            {"stage": stage, "label": label, "count": count}
            for stage, label, count in report.by_stage
        ],
        "departments_total": report.departments_total,
        "departments_covered": [d.code for d in report.departments_covered],
        "uncovered_communes": [c.code for c in report.uncovered],
        "overlaps": [
            {"commune": commune.code, "cpts": [c.pk for c in cpts_list]}
            for commune, cpts_list in report.overlaps
        ],
        "aci_signed_cpts": report.signed_cpts,
        "aci_expected_funding": report.funding_total or Decimal("0.00"),
    }


@extend_schema(tags=["Couverture"], responses={200: serializers.CoverageSerializer, **READ_ERRORS})
class RegionCoverage(APIView):
    """La couverture de la région en CPTS (population couverte, étapes, zones blanches,
    chevauchements), comme la page de couverture régionale."""

    def get(self, request, region_code):
        region = _region(region_code)
        _require(perms.can_view_coverage(request.user, region))
        return Response(serializers.CoverageSerializer(_coverage(region)).data)


@extend_schema(tags=["Couverture"], responses={200: serializers.CoverageSerializer, **READ_ERRORS})
class DepartmentCoverage(APIView):
    """La couverture d'un département en CPTS."""

    def get(self, request, code):
        department = get_object_or_404(Department, code=code[:3])
        _require(perms.can_view_coverage(request.user, department.region_id))
        return Response(serializers.CoverageSerializer(_coverage(department)).data)


# --- territory indicators ------------------------------------------------------------------


@extend_schema(
    tags=["Indicateurs territoriaux"],
    parameters=[serializers.TerritoryQuerySerializer],
    responses={200: serializers.TerritoryIndicatorsSerializer, **_errors(400, 401, 403, 404)},
)
class TerritoryIndicators(APIView):
    """Densités (professionnel·les libéraux pour 10 000 habitants) et accessibilité
    (E2SFCA) d'un territoire : une CPTS, un EPCI, un département ou une liste de communes,
    comparé à son département, sa région et la France (les niveaux que le registre couvre),
    comme la page « Diagnostic territorial »."""

    def get(self, request):
        # Every role reads the diagnostics: the tool opens with a role in any region (a
        # CPTS's own territory also needs to read that CPTS, below).
        _require(perms.can_read_in_any_region(request.user, Kind.DIAGNOSTIC))
        query = serializers.TerritoryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        if "cpts" in params:
            territory = diagnostic_selectors.territory_from_cpts(_cpts(request, params["cpts"]))
        else:
            if "departement" in params:
                department = get_object_or_404(Department, code=params["departement"])
                territory = diagnostic_selectors.territory_from_department(department)
            elif "epci" in params:
                epci = get_object_or_404(Epci, code=params["epci"])
                territory = diagnostic_selectors.Territory(
                    epci.name,
                    diagnostic_selectors.territory_communes(epci.communes.all()),
                    "epci",
                )
            else:
                codes = parse_insee_codes(params["communes"][:MAX_CODES_TEXT])
                territory = diagnostic_selectors.territory_from_codes(codes)
        if not territory.communes:
            raise ValidationError({"communes": ["Aucune commune connue dans ce territoire."]})
        professions = list(Profession.objects.values_list("code", flat=True))
        if params["profession"] not in professions:
            raise ValidationError(
                {"profession": [f"Profession inconnue ; valeurs : {', '.join(professions)}."]}
            )
        diagnostic = diagnostic_selectors.diagnostic(territory, params["profession"])
        data = {
            "label": territory.label,
            "kind": territory.kind,
            "population": territory.population,
            "profession": diagnostic.profession.code,
            "accessibility": diagnostic.territory_accessibility,
            "territory_covered": diagnostic.territory_covered,
            "coverage": diagnostic.coverage,
            "levels": [
                {
                    "label": level.label,
                    "kind": level.kind,
                    "population": level.population,
                    "densities": {code: level.density(code) for code in professions},
                }
                for level in diagnostic.levels
            ],
            "communes": [
                {
                    "code": row.commune.code,
                    "name": row.commune.name,
                    "population": row.commune.population or 0,
                    "professionals": row.count,
                    "density": row.density,
                    "accessibility": row.accessibility,
                }
                for row in diagnostic.rows
            ],
        }
        return Response(serializers.TerritoryIndicatorsSerializer(data).data)


# --- activity counts --------------------------------------------------------------------


@extend_schema(
    tags=["Activité"],
    parameters=[serializers.ActivityQuerySerializer],
    responses={200: serializers.ActivityCountsSerializer, **_errors(400, 401, 403, 404)},
)
class ActivityCounts(APIView):
    """Le décompte des réunions de la fédération pour une année, regroupées par type,
    projet, mois, CPTS ou chargé·e de mission (comme la page « Décompte des réunions »)."""

    def get(self, request, region_code):
        federation = get_object_or_404(Federation, region_id=region_code[:3])
        _require(activity_perms.can_view_counts(request.user, federation))
        query = serializers.ActivityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year, grouping = query.validated_data["annee"], query.validated_data["regroupement"]
        start, end = activity_selectors.year_bounds(year)
        table = activity_selectors.activity_counts(federation, start, end, grouping=grouping)
        data = {
            "region": federation.region_id,
            "year": year,
            "grouping": grouping,
            "total_meetings": table.total_meetings,
            "rows": [{"label": str(label or "—"), "count": count} for label, count in table.rows],
        }
        return Response(serializers.ActivityCountsSerializer(data).data)


# --- CPOM -----------------------------------------------------------------------------------


def _indicators():
    return (
        Indicator.objects.select_related(
            "objective__theme__contract", "action__objective__theme__contract"
        )
        .prefetch_related("targets", "measurements")
        .order_by("pk")
    )


@extend_schema(
    tags=["CPOM"], responses={200: serializers.IndicatorSerializer(many=True), **READ_ERRORS}
)
class RegionIndicatorList(generics.ListAPIView):
    """Les indicateurs des CPOM de la fédération, avec leurs cibles et leurs mesures."""

    serializer_class = serializers.IndicatorSerializer
    ordering_fields = ["id", "title"]
    ordering = ["id"]
    filterset_fields = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Indicator.objects.none()
        federation = get_object_or_404(Federation, region_id=self.kwargs["region_code"][:3])
        _require(cpom_perms.can_view_cpom(self.request.user, federation))
        return _indicators().filter(
            Q(objective__theme__contract__federation=federation)
            | Q(action__objective__theme__contract__federation=federation)
        )


def _indicator(request, pk) -> Indicator:
    indicator = get_object_or_404(_indicators(), pk=_pk(pk))
    _require(cpom_perms.can_view_cpom(request.user, indicator.contract.federation))
    return indicator


@extend_schema(tags=["CPOM"], responses={200: serializers.IndicatorSerializer, **READ_ERRORS})
class IndicatorDetail(APIView):
    """Un indicateur du CPOM, ses cibles annuelles et ses mesures."""

    def get(self, request, pk):
        return Response(serializers.IndicatorSerializer(_indicator(request, pk)).data)


class IndicatorMeasurements(APIView):
    """Les mesures d'un indicateur manuel du CPOM ; l'équipe de la fédération en ajoute
    (mêmes règles que le formulaire « Nouvelle mesure »)."""

    @extend_schema(
        tags=["CPOM"],
        responses={200: serializers.MeasurementSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request, pk):
        indicator = _indicator(request, pk)
        measurements = Measurement.objects.filter(indicator=indicator)
        return Response(serializers.MeasurementSerializer(measurements, many=True).data)

    @extend_schema(
        tags=["CPOM"],
        request=serializers.MeasurementSerializer,
        responses={201: serializers.MeasurementSerializer, **_errors(400, 401, 403, 404, 415)},
    )
    def post(self, request, pk):
        indicator = _indicator(request, pk)
        _require(cpom_perms.can_edit_cpom(request.user, indicator.contract.federation))
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": ["Un objet JSON est attendu."]})
        form = MeasurementForm(
            {key: request.data.get(key) for key in ("measured_on", "value", "source")}
        )
        if not form.is_valid():
            raise ValidationError({k: list(v) for k, v in form.errors.items()})
        measurement = cpom_services.measurement_create(
            indicator=indicator, by=request.user, **form.cleaned_data
        )
        return Response(
            serializers.MeasurementSerializer(measurement).data, status=status.HTTP_201_CREATED
        )


# --- events ---------------------------------------------------------------------------------


@extend_schema(
    tags=["Événements"], responses={200: serializers.EventSerializer(many=True), **LIST_ERRORS}
)
class RegionEventList(generics.ListAPIView):
    """Les événements de la fédération (congrès, séminaires, webinaires…)."""

    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventFilter
    ordering_fields = ["starts_at", "title"]
    ordering = ["-starts_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Event.objects.none()
        federation = get_object_or_404(Federation, region_id=self.kwargs["region_code"][:3])
        _require(event_perms.can_view_events(self.request.user, federation))
        return Event.objects.filter(federation=federation).select_related("federation")


@extend_schema(
    tags=["Événements"], responses={200: serializers.EventDetailSerializer, **READ_ERRORS}
)
class EventDetail(APIView):
    """Un événement et son programme."""

    def get(self, request, pk):
        event = get_object_or_404(
            Event.objects.select_related("federation").prefetch_related("programme"), pk=_pk(pk)
        )
        _require(event_perms.can_view_events(request.user, event.federation))
        return Response(serializers.EventDetailSerializer(event).data)


class SchemaView(SpectacularJSONAPIView):
    """The OpenAPI schema, open to all, generated once per process and language (it changes
    only with the code)."""

    permission_classes = [AllowAny]
    _generated: dict = {}

    def _get_schema_response(self, request):
        key = translation.get_language()
        if key not in self._generated:
            self._generated[key] = super()._get_schema_response(request).data
        return Response(
            data=self._generated[key],
            headers={"Content-Disposition": 'inline; filename="interurps-api.json"'},
        )
