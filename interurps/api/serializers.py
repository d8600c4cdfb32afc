from rest_framework import serializers

from interurps.cpom.models import Indicator, IndicatorTarget, Measurement
from interurps.cpts.models import Cpts, Mission, StageTransition
from interurps.events.models import Event, ProgrammeItem


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Message en français.")


class ValidationErrorSerializer(ErrorSerializer):
    erreurs = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages par champ (`non_field_errors` : l'ensemble).",
    )


# --- CPTS --------------------------------------------------------------------------------


class CptsSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)
    main_department = serializers.CharField(source="main_department_id", read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)

    class Meta:
        model = Cpts
        fields = [
            "id",
            "name",
            "region",
            "main_department",
            "legal_form",
            "stage",
            "stage_label",
            "population",
            "aci_signed_on",
            "siret",
            "rna",
            "website",
        ]


class StageSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_stage_display", read_only=True)

    class Meta:
        model = StageTransition
        fields = ["stage", "label", "occurred_on", "note"]


class MissionSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Mission
        fields = ["kind", "label", "status", "status_label", "started_on", "achievement"]


class CptsDetailSerializer(CptsSerializer):
    stages = StageSerializer(source="transitions", many=True, read_only=True)
    missions = MissionSerializer(many=True, read_only=True)
    communes = serializers.SerializerMethodField()
    size_category = serializers.SerializerMethodField(
        help_text="Taille ACI (1 à 4) selon la population du territoire."
    )

    class Meta(CptsSerializer.Meta):
        fields = [
            *CptsSerializer.Meta.fields,
            "address",
            "email",
            "phone",
            "size_category",
            "communes",
            "stages",
            "missions",
        ]

    def get_size_category(self, cpts) -> int | None:
        return cpts.size_category if cpts.population else None

    def get_communes(self, cpts) -> list[str]:
        return sorted(c.code for c in cpts.communes.all())


class GeoJsonFeatureSerializer(serializers.Serializer):
    type = serializers.CharField()
    geometry = serializers.JSONField(allow_null=True)
    properties = serializers.DictField()


class GeoJsonSerializer(serializers.Serializer):
    type = serializers.CharField()
    features = GeoJsonFeatureSerializer(many=True)


# --- coverage ------------------------------------------------------------------------------


class StageCountSerializer(serializers.Serializer):
    stage = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class OverlapSerializer(serializers.Serializer):
    commune = serializers.CharField()
    cpts = serializers.ListField(child=serializers.IntegerField())


class CoverageSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    population = serializers.IntegerField()
    covered_population = serializers.IntegerField()
    covered_share_percent = serializers.DecimalField(max_digits=5, decimal_places=1)
    cpts_count = serializers.IntegerField()
    cpts_by_stage = StageCountSerializer(many=True)
    departments_total = serializers.IntegerField()
    departments_covered = serializers.ListField(child=serializers.CharField())
    uncovered_communes = serializers.ListField(child=serializers.CharField())
    overlaps = OverlapSerializer(many=True)
    aci_signed_cpts = serializers.IntegerField()
    aci_expected_funding = serializers.DecimalField(max_digits=14, decimal_places=2)


# --- territory indicators ----------------------------------------------------------------


class LevelSerializer(serializers.Serializer):
    label = serializers.CharField()
    kind = serializers.CharField()
    population = serializers.IntegerField()
    densities = serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        help_text="Professionnel·les libéraux pour 10 000 habitants, par profession.",
    )


class CommuneIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    population = serializers.IntegerField()
    professionals = serializers.IntegerField()
    density = serializers.FloatField(allow_null=True)
    accessibility = serializers.FloatField(allow_null=True)


class TerritoryIndicatorsSerializer(serializers.Serializer):
    label = serializers.CharField()
    kind = serializers.CharField()
    population = serializers.IntegerField()
    profession = serializers.CharField()
    accessibility = serializers.FloatField(
        allow_null=True, help_text="APL-like E2SFCA moyenne pondérée par la population."
    )
    territory_covered = serializers.BooleanField(
        help_text="Le registre couvre tous les départements du territoire."
    )
    coverage = serializers.CharField()
    levels = LevelSerializer(many=True)
    communes = CommuneIndicatorSerializer(many=True)


class TerritoryQuerySerializer(serializers.Serializer):
    cpts = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    epci = serializers.CharField(required=False, max_length=9)
    departement = serializers.CharField(required=False, max_length=3)
    communes = serializers.CharField(
        required=False, max_length=20_000, help_text="Codes INSEE séparés par des virgules."
    )
    profession = serializers.CharField(required=False, default="medecins", max_length=60)

    def validate(self, attrs):
        given = [key for key in ("cpts", "epci", "departement", "communes") if key in attrs]
        if len(given) != 1:
            raise serializers.ValidationError(
                "Indiquez un seul territoire : cpts, epci, departement ou communes."
            )
        return attrs


# --- activity counts -------------------------------------------------------------------------


class ActivityQuerySerializer(serializers.Serializer):
    annee = serializers.IntegerField(min_value=2000, max_value=2100)
    regroupement = serializers.ChoiceField(
        choices=["type", "projet", "mois", "cpts", "personne"], default="type"
    )


class CountRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()


class ActivityCountsSerializer(serializers.Serializer):
    region = serializers.CharField()
    year = serializers.IntegerField()
    grouping = serializers.CharField()
    total_meetings = serializers.IntegerField()
    rows = CountRowSerializer(many=True)


# --- CPOM ------------------------------------------------------------------------------------


class MeasurementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measurement
        fields = ["id", "measured_on", "value", "source", "entered_at"]
        read_only_fields = ["id", "entered_at"]


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorTarget
        fields = ["year", "value"]


class IndicatorSerializer(serializers.ModelSerializer):
    contract = serializers.SerializerMethodField()
    targets = TargetSerializer(many=True, read_only=True)
    measurements = MeasurementSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "title",
            "definition",
            "unit",
            "baseline",
            "direction",
            "computation",
            "objective",
            "action",
            "contract",
            "targets",
            "measurements",
        ]

    def get_contract(self, indicator) -> int:
        return indicator.contract.pk


# --- events ----------------------------------------------------------------------------------


class EventSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="federation.region_id", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "region",
            "kind",
            "kind_label",
            "title",
            "topic",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "status",
            "status_label",
        ]


class ProgrammeItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgrammeItem
        fields = ["order", "kind", "title", "starts_at", "ends_at", "description"]


class EventDetailSerializer(EventSerializer):
    programme = ProgrammeItemSerializer(many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "description", "duration_hours", "programme"]
