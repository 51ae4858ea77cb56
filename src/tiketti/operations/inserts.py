"""Insert one new row the way `Model.save()` does, without building its SQL every time.

Intake writes a ticket, its message, its events and its Message-IDs for each mail: rows
that are only ever created, at up to hundreds a second. Django compiles a fresh INSERT
for each one, which costs several times what the database does with it. `insert` builds
a model's INSERT once, then only converts the row's values, as `save()` would (each
field's `pre_save` and `get_db_prep_save`).

It is `save(force_insert=True)` for a new row, minus the model's own `save()` override:
use it only where that override adds nothing to a new row. Whenever the plain way is
needed, `insert` takes it: a model with multi-table inheritance, database defaults or
generated fields, a value that is an expression, a row with its key set, a pre_save or
post_save receiver connected for the model, or a database that cannot return the new key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model
from django.db.models.constants import OnConflict
from django.db.models.signals import post_save, pre_save


@dataclass(frozen=True)
class _Plan:
    sql: str
    fields: list[Field[Any, Any]]


_plans: dict[tuple[type[Model], str, bool], _Plan | None] = {}


def insert(instance: Model, *, ignore_conflicts: bool = False) -> None:
    """Write `instance` as a new row and set its key, as `save(force_insert=True)`
    does. `ignore_conflicts`: a row that breaks a unique constraint is left out, as with
    `bulk_create(..., ignore_conflicts=True)`, and the key is then not set."""
    model = type(instance)
    alias = router.db_for_write(model, instance=instance)
    connection = connections[alias]
    plan = _plan(model, alias, connection, ignore_conflicts)
    values = [] if plan is None else [field.pre_save(instance, True) for field in plan.fields]
    if (
        plan is None
        or instance.pk is not None
        or pre_save.has_listeners(model)
        or post_save.has_listeners(model)
        or any(hasattr(value, "resolve_expression") for value in values)
    ):
        _the_plain_way(instance, ignore_conflicts, alias)
        return
    # As save() does first: a related row that is not saved yet is refused.
    instance._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
    params = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(plan.fields, values, strict=True)
    ]
    with transaction.mark_for_rollback_on_error(alias), connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        row = cursor.fetchone()
    if row is not None:
        instance.pk = row[0]
    instance._state.adding = False
    instance._state.db = alias


def _the_plain_way(instance: Model, ignore_conflicts: bool, alias: str) -> None:
    if ignore_conflicts:
        type(instance)._base_manager.using(alias).bulk_create([instance], ignore_conflicts=True)
    else:
        instance.save(force_insert=True, using=alias)


def _plan(
    model: type[Model], alias: str, connection: BaseDatabaseWrapper, ignore_conflicts: bool
) -> _Plan | None:
    key = (model, alias, ignore_conflicts)
    if key not in _plans:
        _plans[key] = _build(model, connection, ignore_conflicts)
    return _plans[key]


def _build(
    model: type[Model], connection: BaseDatabaseWrapper, ignore_conflicts: bool
) -> _Plan | None:
    """The INSERT for a model whose only value coming back is its auto-increment key;
    None when the model needs what only `save()` does."""
    meta = model._meta
    pk = meta.auto_field
    fields = [field for field in meta.local_concrete_fields if field is not pk]
    if pk is None or not all(field.column for field in fields):
        return None
    plain = (
        pk is meta.pk
        and not meta.parents
        and not meta.order_with_respect_to
        and list(meta.db_returning_fields) == [pk]
        and not any(field.generated or field.has_db_default() for field in fields)
        and connection.features.can_return_columns_from_insert
    )
    if not plain:
        return None
    ops, quote = connection.ops, connection.ops.quote_name
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    columns = ", ".join(quote(column) for field in fields if (column := field.column))
    placeholders = ", ".join(["%s"] * len(fields))
    suffix = ops.on_conflict_suffix_sql(fields, on_conflict, None, None) if on_conflict else ""
    returning, _ = ops.returning_columns([pk])
    parts = [  # names from the model, quoted; every value is a parameter
        f"{ops.insert_statement(on_conflict=on_conflict)} {quote(meta.db_table)}",
        f"({columns}) VALUES ({placeholders})",
        suffix,
        returning,
    ]
    return _Plan(" ".join(part for part in parts if part), fields)
