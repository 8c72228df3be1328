"""The requesting user as every service and selector sees them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from maatwerk.core.access import Role
from maatwerk.web.common.prepared import PreparedQuery

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from maatwerk.web.accounts.models import User
    from maatwerk.web.organizations.models import Membership
    from maatwerk.web.patients.models import Patient


@dataclass(frozen=True)
class Actor:
    """Who acts, in which role, from where (NEN 7513: user, role, access point)."""

    user: User | None
    roles: frozenset[Role]
    access_point: str
    on_behalf_of: str = ""
    memberships: tuple[Membership, ...] = field(default=())
    patient: Patient | None = None
    system: str = ""
    # Whether the user has a TOTP authenticator, when it was read with the actor (for a
    # patient, in the same query as their record); None: not read.
    has_totp: bool | None = None

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @property
    def primary_role(self) -> str:
        for role in (
            Role.PATIENT,
            Role.CLINICIAN,
            Role.ORGANIZATION_ADMIN,
            Role.TEAM_LEAD,
            Role.RESEARCHER,
        ):
            if role in self.roles:
                return role.value
        if self.system:
            return "system"
        return "anonymous" if self.user is None else "none"

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def memberships_with(self, role: Role) -> tuple[Membership, ...]:
        return tuple(m for m in self.memberships if m.role == role.value)

    def organization_ids(self, role: Role) -> set[int]:
        return {m.organization_id for m in self.memberships_with(role)}


def signed_in_user(user_id: Any) -> User | None:
    """The user with what :func:`actor_for_user` needs, in one query: their patient
    record (with its organization), whether they have a TOTP authenticator and whether
    they have an active membership. The authentication backend reads the signed-in user
    this way on every request, so the query is compiled once per process."""
    return _SIGNED_IN_USER.first(pk=user_id)


def _users_with_actor_facts(pk: int) -> QuerySet[User]:
    from allauth.mfa.models import Authenticator
    from django.db.models import Exists, OuterRef

    from maatwerk.web.accounts.models import User
    from maatwerk.web.organizations.models import Membership

    return (
        User.objects.select_related("patient__organization")
        .annotate(
            actor_has_totp=Exists(
                Authenticator.objects.filter(user_id=OuterRef("pk"), type=Authenticator.Type.TOTP)
            ),
            actor_has_memberships=Exists(
                Membership.objects.filter(user_id=OuterRef("pk"), is_active=True)
            ),
        )
        .filter(pk=pk)[:1]
    )


def _active_memberships(user_id: int) -> QuerySet[Membership]:
    from maatwerk.web.organizations.models import Membership

    return Membership.objects.filter(user_id=user_id, is_active=True).select_related(
        "organization", "team"
    )


_SIGNED_IN_USER = PreparedQuery(_users_with_actor_facts, {"pk": ("accounts.User", "pk")})
_ACTIVE_MEMBERSHIPS = PreparedQuery(
    _active_memberships, {"user_id": ("organizations.Membership", "user")}
)


def actor_for_user(user: User | None, *, access_point: str, on_behalf_of: str = "") -> Actor:
    """Build the actor for a user: their patient record or their active memberships."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Actor(user=None, roles=frozenset(), access_point=access_point)
    if not hasattr(user, "actor_has_totp"):
        # Not read by the authentication backend (a user from elsewhere): read now.
        reread = signed_in_user(user.pk)
        if reread is None:  # pragma: no cover - deleted since it was read
            return Actor(user=None, roles=frozenset(), access_point=access_point)
        user = reread
    facts: Any = user  # the annotations of signed_in_user
    patient: Patient | None = getattr(user, "patient", None)  # None: not a patient
    memberships: tuple[Membership, ...] = ()
    if facts.actor_has_memberships:
        memberships = tuple(_ACTIVE_MEMBERSHIPS.rows(user_id=user.pk))
    roles = {Role(m.role) for m in memberships}
    if patient is not None:
        roles.add(Role.PATIENT)
    return Actor(
        user=user,
        roles=frozenset(roles),
        access_point=access_point,
        on_behalf_of=on_behalf_of,
        memberships=memberships,
        patient=patient,
        has_totp=bool(facts.actor_has_totp),
    )


def requires_second_factor(actor: Actor) -> bool:
    """Clinicians and every kind of staff must use a second factor; patients may."""
    if actor.user is None:
        return False
    return bool(actor.roles - {Role.PATIENT}) or actor.user.is_staff


def system_actor(purpose: str) -> Actor:
    """The platform itself acting, e.g. loading demo data or a scheduled job."""
    return Actor(
        user=None, roles=frozenset(), access_point="cli", on_behalf_of=purpose, system=purpose
    )
