from django.db.models import QuerySet

from interurps.accounts.models import Role, RoleAssignment
from interurps.geography.models import Region
from interurps.organizations.models import Federation, Partner, Union


def federation_for_region(region) -> Federation | None:
    """The region's federation; read once per region instance (the menu, the page and its
    permissions ask it of the same region during a request)."""
    if not isinstance(region, Region):
        return Federation.objects.filter(region=region).select_related("region").first()
    if "_federation" not in region.__dict__:
        region.__dict__["_federation"] = Federation.objects.filter(region=region).first()
        if region.__dict__["_federation"] is not None:
            region.__dict__["_federation"].region = region
    return region.__dict__["_federation"]


def unions_of_region(region) -> QuerySet[Union]:
    return Union.objects.filter(region=region).select_related("profession")


def partners_of_region(region) -> QuerySet[Partner]:
    return Partner.objects.filter(region=region)


def team_of_region(region) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(region=region)
        .select_related("user", "union", "partner")
        .order_by("role", "user__last_name", "user__first_name")
    )


def elected_members_of_union(union) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(union=union, role=Role.UNION_MEMBER)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


def federation_or_404(region_code) -> Federation:
    """The federation of a region (INSEE code), with its region, or a 404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Federation.objects.select_related("region"), region_id=region_code)
