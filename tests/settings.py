"""Test overrides, in one place: fast hashing, mail kept in memory, tasks run at once."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("TIKETTI_TICKET_PREFIX", "AB")
# Small files keep the tests fast; Django's request limits follow (tiketti.settings).
os.environ.setdefault("TIKETTI_MAX_ATTACHMENT_MB", "1")

from tiketti.settings import *  # noqa: F403
from tiketti.settings import DATABASES, STORAGES, TASK_QUEUES

TEST_DIR = Path(tempfile.mkdtemp(prefix="tiketti-test-"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASK_QUEUES,
    }
}
# For tests that queue tasks as production does, for a worker to run: override_settings(TASKS=…)
DATABASE_TASKS = {
    "default": {
        "BACKEND": "tiketti.operations.task_backend.DatabaseBackend",
        "QUEUES": TASK_QUEUES,
    }
}
MEDIA_ROOT = TEST_DIR / "media"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
TIKETTI_BASE_URL = "http://testserver"
if DATABASES["default"]["ENGINE"] == "tiketti.sqlite":
    # A file, not the in-memory default: threads (live server, concurrency tests) then share
    # it through real SQLite locking, as in production.
    DATABASES["default"]["TEST"] = {"NAME": str(TEST_DIR / "test.sqlite3")}
STATIC_ROOT = TEST_DIR / "static"
STATIC_ROOT.mkdir()
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests sign staff in with force_login; the second-factor tests turn the requirement on.
TIKETTI_STAFF_2FA_REQUIRED = False
