import factory

from interurps.accounts.models import Role, RoleAssignment, User
from interurps.geography.models import Region
from interurps.organizations.models import Partner, Union

DEFAULT_PASSWORD = "mot-de-passe-de-test"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Testeur{n}")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.FEDERATION_STAFF
    region = factory.LazyFunction(lambda: Region.objects.get(code="52"))

    class Params:
        union_member = factory.Trait(
            role=Role.UNION_MEMBER,
            union=factory.LazyAttribute(
                lambda o: Union.objects.get(region=o.region, profession_id="infirmiers")
            ),
        )
        partner_ars = factory.Trait(
            role=Role.PARTNER,
            partner=factory.LazyAttribute(
                lambda o: Partner.objects.get(region=o.region, kind="ars")
            ),
        )


def user_with_role(role, region_code="52"):
    """A user holding `role` in the region, with the union or partner the role needs."""
    region = Region.objects.get(code=region_code)
    if role == Role.UNION_MEMBER:
        return RoleAssignmentFactory(region=region, union_member=True).user
    if role == Role.PARTNER:
        return RoleAssignmentFactory(region=region, partner_ars=True).user
    assignment = RoleAssignmentFactory(region=region, role=role)
    if role == Role.FEDERATION_ADMIN:
        assignment.user.is_staff = True
        assignment.user.save()
    return assignment.user
