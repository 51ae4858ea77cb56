"""What a person's role claim makes them in Tiketti: pure functions over plain values."""

from __future__ import annotations

from collections.abc import Mapping

# Highest first: a person in several mapped groups gets the strongest role.
ROLE_RANK = ("admin", "team_lead", "agent")


def claim_values(claim: object) -> frozenset[str]:
    """The values of a role claim: providers send a list, or one string (space-separated)."""
    if isinstance(claim, str):
        return frozenset(claim.split())
    if isinstance(claim, list | tuple):
        return frozenset(str(item) for item in claim if isinstance(item, str | int))
    return frozenset()


def staff_role_for(values: frozenset[str], role_map: Mapping[str, str]) -> str:
    """The staff role these claim values map to, or "" (not staff)."""
    roles = {role_map[value] for value in values if value in role_map}
    return next((role for role in ROLE_RANK if role in roles), "")


def teams_for(values: frozenset[str], team_map: Mapping[str, str]) -> frozenset[str]:
    """Names of the teams these claim values put a person in."""
    return frozenset(team_map[value] for value in values if value in team_map)
