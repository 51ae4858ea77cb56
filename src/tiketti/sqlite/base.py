"""Django's SQLite backend (settings use it for every SQLite database), changed in one
place: whether SQLite has JSON is asked with a plain SELECT.

Django asks inside a transaction. Our transactions are IMMEDIATE (writers queue for the
write lock instead of failing), so while another process held the lock longer than the
busy timeout, Django concluded that JSON was missing, for the life of the process: a
worker started during a long lock failed its system checks ("SQLite does not support
JSONFields") and exited. A SELECT needs no write lock.
"""

from __future__ import annotations

from django.db import OperationalError
from django.db.backends.sqlite3 import base, features
from django.utils.functional import cached_property


class DatabaseFeatures(features.DatabaseFeatures):
    @cached_property
    def supports_json_field(self) -> bool:  # type: ignore[override]  # as Django's
        with self.connection.cursor() as cursor:
            try:
                cursor.execute("""SELECT JSON('{"a": "b"}')""")
            except OperationalError:
                return False
        return True


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
