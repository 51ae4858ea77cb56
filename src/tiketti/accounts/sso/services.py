"""Who single sign-on lets in, and as what: the rules, on claims the backend has verified."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction

from ..models import Language, Team, User, normalize_email
from ..signals import sso_teams_changed
from .roles import claim_values, staff_role_for, teams_for


class SsoRefused(Exception):
    """The provider vouched for someone who may not sign in this way."""

    def __init__(self, reason: str, *, email: str = "", user: User | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.email = email
        self.user = user


def sign_in_from_claims(claims: Mapping[str, Any]) -> User:
    """The staff account these verified claims sign in, created or brought up to date
    (role and mapped teams). Raises SsoRefused for anyone who is not staff by the role
    map; staff who lost their role claim lose their staff role first."""
    email = normalize_email(str(claims.get("email") or ""))
    if not email:
        raise SsoRefused("no_email")
    if claims.get("email_verified") not in (True, "true"):
        raise SsoRefused("email_unverified", email=email)
    values = claim_values(claims.get(settings.TIKETTI_OIDC_ROLE_CLAIM))
    role = staff_role_for(values, settings.TIKETTI_OIDC_ROLE_MAP)
    user = User.objects.get_by_email(email)
    if user is not None and user.organisation_id is not None:
        raise SsoRefused("customer_account", email=email, user=user)
    if user is not None and not user.is_active:
        raise SsoRefused("inactive", email=email, user=user)
    if not role:
        if user is not None and (user.staff_role or user.is_superuser):
            take_away_staff_role(user)
        raise SsoRefused("no_staff_role", email=email, user=user)
    with transaction.atomic():
        user = _with_role(user, email=email, role=role, claims=claims)
        _follow_team_claims(user, teams_for(values, settings.TIKETTI_OIDC_TEAM_MAP))
    return user


def take_away_staff_role(user: User) -> None:
    """The provider no longer makes them staff: no staff role, superuser status or team,
    and their sessions end."""
    from ..browser_sessions import end_sessions

    with transaction.atomic():
        end_sessions(user)
        user.staff_role = User.StaffRole.NONE
        user.is_superuser = False
        _mark_sso(user)
        user.save(update_fields=["staff_role", "is_superuser"])
        removed = sorted(team.name for team in user.teams.all())
        if removed:
            user.teams.clear()
            sso_teams_changed.send(sender=User, user=user, added=[], removed=removed)


def _mark_sso(user: User) -> None:
    # The audit receiver names single sign-on, not "the system", as the one who changed it.
    user._audit_via = "sso"  # type: ignore[attr-defined]


def _with_role(user: User | None, *, email: str, role: str, claims: Mapping[str, Any]) -> User:
    if user is None:
        locale = str(claims.get("locale") or "")[:2].lower()
        user = User(
            email=email,
            display_name=str(claims.get("name") or "")[:200],
            staff_role=role,
            language=locale if locale in Language.values else settings.LANGUAGE_CODE,
        )
        user.set_unusable_password()  # they sign in through the provider
        _mark_sso(user)
        user.save()
    elif user.staff_role != role:
        user.staff_role = role
        _mark_sso(user)
        user.save(update_fields=["staff_role"])
    return user


def _follow_team_claims(user: User, wanted: frozenset[str]) -> None:
    """Teams named in the team map follow the claim; other teams are left as admins set them."""
    managed = Team.objects.filter(name__in=set(settings.TIKETTI_OIDC_TEAM_MAP.values()))
    current = {team.name: team for team in managed.filter(members=user)}
    to_add = [team for team in managed if team.name in wanted and team.name not in current]
    to_remove = [team for name, team in current.items() if name not in wanted]
    if not (to_add or to_remove):
        return
    user.teams.add(*to_add)
    user.teams.remove(*to_remove)
    sso_teams_changed.send(
        sender=User,
        user=user,
        added=sorted(team.name for team in to_add),
        removed=sorted(team.name for team in to_remove),
    )
