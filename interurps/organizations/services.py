"""Writes for professions, unions, federations and partners."""

import logging
from dataclasses import dataclass

from django.db import transaction

from interurps.geography.models import Region
from interurps.organizations import reference
from interurps.organizations.models import (
    ElectoralCollege,
    Federation,
    Partner,
    Profession,
    Union,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def professions_sync() -> int:
    """Create or correct the ten professions and the physicians' colleges; returns changes."""
    changes = 0
    for code, label, union_label, order in reference.PROFESSIONS:
        _, created = Profession.objects.update_or_create(
            code=code,
            defaults={"label": label, "union_label": union_label, "display_order": order},
        )
        changes += created
    physicians = Profession.objects.get(code="medecins")
    for code, label, order in reference.PHYSICIAN_COLLEGES:
        _, created = ElectoralCollege.objects.update_or_create(
            profession=physicians, code=code, defaults={"label": label, "display_order": order}
        )
        changes += created
    return changes


@dataclass
class OrganizationsReport:
    federations: int = 0
    unions: int = 0
    partners: int = 0

    @property
    def total(self) -> int:
        return self.federations + self.unions + self.partners


@transaction.atomic
def organizations_create_for_regions(*, regions=None) -> OrganizationsReport:
    """Give each region its federation, its ten unions and its two partners.

    Existing organisations are kept as they are (their names may have been edited);
    only the missing ones are created.
    """
    if regions is None:
        regions = Region.objects.all()
    professions = list(Profession.objects.all())
    if len(professions) != len(reference.PROFESSIONS):
        professions_sync()
        professions = list(Profession.objects.all())
    report = OrganizationsReport()
    for region in regions:
        _, created = Federation.objects.get_or_create(
            region=region, defaults={"name": reference.federation_name(region.name)}
        )
        report.federations += created
        existing = set(Union.objects.filter(region=region).values_list("profession_id", flat=True))
        new_unions = [
            Union(
                region=region,
                profession=profession,
                name=reference.union_name(profession.union_label, region.name),
            )
            for profession in professions
            if profession.code not in existing
        ]
        Union.objects.bulk_create(new_unions)
        report.unions += len(new_unions)
        for kind, template in reference.PARTNER_NAMES.items():
            _, created = Partner.objects.get_or_create(
                region=region, kind=kind, defaults={"name": template.format(region=region.name)}
            )
            report.partners += created
    logger.info(
        "organizations created federations=%d unions=%d partners=%d",
        report.federations,
        report.unions,
        report.partners,
    )
    return report


@transaction.atomic
def federation_update(*, federation: Federation, data: dict) -> Federation:
    for field_name in ("name", "email", "phone", "address"):
        if field_name in data:
            setattr(federation, field_name, data[field_name])
    federation.full_clean()
    federation.save()
    return federation
