"""Models of the admins, roles and directory families: the collection's examples, unknown fields
and unknown enum values."""

from __future__ import annotations

from datetime import UTC, datetime

from pysophoscentralapi import models

ADMIN = {
    "id": "e1c7aa85-7863-4561-a50e-2b345b0e16e5",
    "tenant": {"id": "79067fa3-e4d0-4769-a5f7-8d6550b3b68b"},
    "users": [
        {"id": "17dd896f-ee9f-4f7d-a2a2-6a8c0b48ff15", "name": "John Smith"},
        {"id": "95685fcb-8ee1-4fad-96e6-966dd5588025", "name": "Johnny Smith"},
    ],
    "profile": {
        "name": "John Smith",
        "firstName": "John",
        "lastName": "Smith",
        "email": "john.smith@example.com",
    },
    "roleAssignments": [
        {
            "id": "4bcb8ee6-720b-40c7-b748-716a3c47c185",
            "roleId": "c83c9481-f63c-4eb8-8793-e81eb9d66ef4",
        }
    ],
    "createdAt": "2021-01-02T15:32:59.789",
    "updatedAt": "2021-02-12T20:00:01.329",
}


def test_admin_from_the_collection_example() -> None:
    admin = models.Admin.model_validate(ADMIN)
    assert admin.profile is not None
    assert (admin.profile.first_name, admin.profile.last_name) == ("John", "Smith")
    assert [u.name for u in admin.users] == ["John Smith", "Johnny Smith"]
    assert admin.role_ids == ["c83c9481-f63c-4eb8-8793-e81eb9d66ef4"]
    # the example has no zone: UTC
    assert admin.created_at == datetime(2021, 1, 2, 15, 32, 59, 789000, tzinfo=UTC)
    # back to the wire spelling (timestamps are written with their zone)
    wire = admin.to_api()
    assert wire["createdAt"] == "2021-01-02T15:32:59.789Z"
    assert {k: v for k, v in wire.items() if not k.endswith("At")} == {
        k: v for k, v in ADMIN.items() if not k.endswith("At")
    }


def test_unknown_fields_and_enum_values_are_kept() -> None:
    role = models.Role.model_validate(
        {"id": "r", "type": "partnerDefined", "principalType": "robot", "scope": {"x": 1}}
    )
    assert role.type == "partnerDefined"
    assert isinstance(role.type, models.RoleType)
    assert role.principal_type == "robot"
    assert role.to_api()["scope"] == {"x": 1}
    user = models.DirectoryUser.model_validate({"id": "u", "source": {"type": "okta"}})
    assert user.source is not None
    assert user.source.type == "okta"


def test_permission_set_from_the_2025_collection_sample() -> None:
    ps = models.PermissionSet.model_validate(
        {
            "id": "dolor ut",
            "name": "aute irure dolor",
            "type": "base",
            "principalTypes": ["service", "user"],
            "allowedInCustomRoles": True,
            "description": "mollit velit",
            "access": "admin",
            "products": ["optix", "mobile"],
        }
    )
    assert ps.type is models.PermissionSetType.BASE
    assert ps.access is models.PermissionSetAccess.ADMIN
    assert ps.principal_types == [models.PrincipalType.SERVICE, models.PrincipalType.USER]
    assert ps.allowed_in_custom_roles is True


def test_group_and_user_members() -> None:
    group = models.UserGroup.model_validate(
        {
            "id": "g",
            "name": "Finance",
            "source": {"type": "azureActiveDirectory"},
            "users": {
                "total": 2,
                "itemsCount": 2,
                "items": [{"id": "u1"}, {"id": "u2", "name": "B"}],
            },
        }
    )
    assert group.source is not None
    assert group.source.type is models.SourceType.AZURE_ACTIVE_DIRECTORY
    assert group.users is not None
    assert (group.users.total, group.users.items_count) == (2, 2)
    assert [u.id for u in group.users.items] == ["u1", "u2"]
