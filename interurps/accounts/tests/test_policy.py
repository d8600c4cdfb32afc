from pathlib import Path

from interurps.accounts import policy
from interurps.accounts.models import Role

README = Path(__file__).resolve().parents[3] / "README.md"


def test_readme_table_is_the_code_table():
    text = README.read_text(encoding="utf-8")
    start = text.index("<!-- policy-table:start -->") + len("<!-- policy-table:start -->")
    end = text.index("<!-- policy-table:end -->")
    assert text[start:end].strip() == policy.markdown_table()


def test_table_covers_every_role_and_kind():
    assert set(policy.ROLES) == set(Role.values)
    assert set(policy.POLICY) == set(policy.Kind)
    for row in policy.POLICY.values():
        assert set(row) == set(Role.values)


def test_internal_records_are_closed_to_professionals_and_regulators():
    internal = [
        policy.Kind.GOVERNANCE_MEETING,
        policy.Kind.MEETING,
        policy.Kind.FUNDING,
        policy.Kind.STAFF,
        policy.Kind.LEARNER,
        policy.Kind.REGISTRATION,
    ]
    for role in (Role.HEALTH_PROFESSIONAL, Role.SAS_REGULATOR):
        for kind in internal:
            assert not policy.allows_read(policy.access_of({role}, kind)), (role, kind)


def test_partners_read_what_is_shared_and_never_write():
    for kind in (policy.Kind.CPOM, policy.Kind.FUNDING, policy.Kind.REPORT, policy.Kind.COVERAGE):
        assert policy.allows_read(policy.access_of({Role.PARTNER}, kind))
    for kind in policy.Kind:
        assert not policy.allows_write(policy.access_of({Role.PARTNER}, kind), own=True)


def test_own_write_reaches_only_own_records():
    """An effector edits their own slots and nobody else's, and reads no one else's."""
    own_write = policy.Access.OWN_WRITE
    assert policy.allows_read(own_write, own=True)
    assert policy.allows_write(own_write, own=True)
    assert not policy.allows_read(own_write, own=False)
    assert not policy.allows_write(own_write, own=False)
    # "reads every record, writes its own" still reads others' records
    assert policy.allows_read(policy.Access.READ_WRITE_OWN, own=False)
    assert not policy.allows_write(policy.Access.READ_WRITE_OWN, own=False)


def test_people_followed_in_reper_are_closed_to_the_federation_and_partners():
    row = policy.POLICY[policy.Kind.REPER_PERSON]
    for role in (Role.FEDERATION_ADMIN, Role.FEDERATION_STAFF, Role.PARTNER, Role.UNION_MEMBER):
        assert row[role] == policy.Access.NONE
