"""Save one row the way `Model.save()` does, without building its SQL every time.

Intake writes a ticket, its message, its events and its Message-IDs for each mail, and
updates the ticket a reply joins, at up to hundreds a second. Django compiles a fresh
statement for each row, which costs several times what the database does with it.
`insert` and `update` (`update_all` for several rows) build a model's statement once,
then only convert the row's values, as `save()` would (each field's `pre_save` and
`get_db_prep_save`).

They are `save(force_insert=True)` and `save(update_fields=...)` minus the model's own
`save()` override: use them only where that override adds nothing. Whenever the plain
way is needed, they take it: a model with multi-table inheritance, database defaults or
generated fields, a value that is an expression, a new row with its key set, a pre_save
or post_save receiver connected for the model, or (to insert) a database that cannot
return the new key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectNotUpdated
from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model
from django.db.models.constants import OnConflict
from django.db.models.signals import post_save, pre_save


@dataclass(frozen=True)
class _Plan:
    sql: str
    fields: list[Field[Any, Any]]


_plans: dict[tuple[type[Model], str, object], _Plan | None] = {}


def insert(instance: Model, *, ignore_conflicts: bool = False) -> None:
    """Write `instance` as a new row and set its key, as `save(force_insert=True)`
    does. `ignore_conflicts`: a row that breaks a unique constraint is left out, as with
    `bulk_create(..., ignore_conflicts=True)`, and the key is then not set."""
    model = type(instance)
    alias = router.db_for_write(model, instance=instance)
    plan = _plan(model, alias, ignore_conflicts, _build_insert)
    if plan is None or instance.pk is not None or _listened_to(model):
        _the_plain_way(instance, ignore_conflicts, alias)
        return
    values = _values(instance, plan, adding=True)
    if _any_expression(values):
        _the_plain_way(instance, ignore_conflicts, alias)
        return
    connection = connections[alias]
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


def update(instance: Model, fields: Sequence[str]) -> None:
    """Write these fields of a stored row, as `save(update_fields=fields)` does: raises
    the model's NotUpdated when the row is gone."""
    update_all([instance], fields)


def update_all(instances: Sequence[Model], fields: Sequence[str]) -> None:
    """`update` for several rows of one model, in one statement run for each row:
    raises the model's NotUpdated when one of them is gone."""
    if not instances:
        return
    model = type(instances[0])
    alias = router.db_for_write(model, instance=instances[0])
    names = tuple(dict.fromkeys(fields))
    plan = _plan(model, alias, names, _build_update)
    connection = connections[alias]
    rows = []
    for instance in instances:
        values = [] if plan is None else _values(instance, plan, adding=False)
        if plan is None or instance.pk is None or _listened_to(model) or _any_expression(values):
            instance.save(update_fields=names, using=alias)
            continue
        params = [
            field.get_db_prep_save(value, connection)
            for field, value in zip(plan.fields, values, strict=True)
        ]
        rows.append(
            (instance, [*params, model._meta.pk.get_db_prep_value(instance.pk, connection)])
        )
    if not rows:
        return
    assert plan is not None
    with transaction.mark_for_rollback_on_error(alias), connection.cursor() as cursor:
        cursor.executemany(plan.sql, [params for _, params in rows])
        if cursor.rowcount < len({instance.pk for instance, _ in rows}):
            not_updated: type[Exception] = getattr(model, "NotUpdated", ObjectNotUpdated)
            raise not_updated("Save with update_fields did not affect any rows.")
    for instance, _ in rows:
        instance._state.adding = False
        instance._state.db = alias


def _values(instance: Model, plan: _Plan, *, adding: bool) -> list[Any]:
    """The row's values as save() takes them: first a related row saved since it was
    assigned lends its key (one never saved is refused), then each field's pre_save."""
    instance._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
    return [field.pre_save(instance, adding) for field in plan.fields]


def _listened_to(model: type[Model]) -> bool:
    return pre_save.has_listeners(model) or post_save.has_listeners(model)


def _any_expression(values: list[Any]) -> bool:
    """A value for the database to evaluate (F(), Now(), ...): save() resolves those."""
    return any(hasattr(value, "resolve_expression") for value in values)


def _the_plain_way(instance: Model, ignore_conflicts: bool, alias: str) -> None:
    if ignore_conflicts:
        type(instance)._base_manager.using(alias).bulk_create([instance], ignore_conflicts=True)
    else:
        instance.save(force_insert=True, using=alias)


def _plan[Variant](
    model: type[Model],
    alias: str,
    variant: Variant,
    build: Callable[[type[Model], BaseDatabaseWrapper, Variant], _Plan | None],
) -> _Plan | None:
    key = (model, alias, variant)
    if key not in _plans:
        _plans[key] = build(model, connections[alias], variant)
    return _plans[key]


def _plain_model(model: type[Model]) -> bool:
    meta = model._meta
    return (
        meta.auto_field is not None
        and meta.auto_field is meta.pk
        and not meta.parents
        and not meta.order_with_respect_to
        and all(field.column for field in meta.local_concrete_fields)
    )


def _build_update(
    model: type[Model], connection: BaseDatabaseWrapper, names: tuple[str, ...]
) -> _Plan | None:
    """The UPDATE of these fields by key; None when save() must do it (a name that is not
    a plain column of the model is left to save(), which says what is wrong)."""
    meta = model._meta
    by_name = {field.name: field for field in meta.local_concrete_fields}
    by_name.update((field.attname, field) for field in meta.local_concrete_fields)
    if not names or not _plain_model(model) or not all(name in by_name for name in names):
        return None
    fields = list(dict.fromkeys(by_name[name] for name in names))  # "team" and "team_id": one
    if any(field.primary_key or field.generated for field in fields):
        return None
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column)} = %s" for field in fields if (column := field.column))
    sql = (  # names from the model, quoted; every value is a parameter
        f"UPDATE {quote(meta.db_table)} SET {assignments} "  # noqa: S608
        f"WHERE {quote(meta.pk.column)} = %s"  # type: ignore[arg-type]
    )
    return _Plan(sql, fields)


def _build_insert(
    model: type[Model], connection: BaseDatabaseWrapper, ignore_conflicts: bool
) -> _Plan | None:
    """The INSERT for a model whose only value coming back is its auto-increment key;
    None when the model needs what only `save()` does."""
    meta = model._meta
    pk = meta.auto_field
    fields = [field for field in meta.local_concrete_fields if field is not pk]
    if (
        pk is None
        or not _plain_model(model)
        or list(meta.db_returning_fields) != [pk]
        or any(field.generated or field.has_db_default() for field in fields)
        or not connection.features.can_return_columns_from_insert
    ):
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
