"""`tiketti check --deploy` passes with the documented production settings: HTTPS redirect
and HSTS follow from SECURE_COOKIES, each can be set on its own."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

TIKETTI = str(Path(sys.executable).with_name("tiketti"))


def production_env(tmp_path, **extra):
    # Only what a process needs to run: the test run's own variables (browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE, CI may set DATABASE_URL) are not production's.
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    env.update(
        DEBUG="0",
        SECURE_COOKIES="1",
        BEHIND_TLS_PROXY="1",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="help.example.com",
        EMAIL_HOST="smtp.example.com",
        TIKETTI_DATA_DIR=str(tmp_path),
    )
    env.update(extra)
    return env


def run(args, env):
    return subprocess.run(
        [TIKETTI, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_deploy_check_reports_no_issues_with_the_documented_settings(tmp_path):
    result = run(["check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def read_settings(env, *names):
    code = (
        "from django.conf import settings; print("
        + ", ".join(f"settings.{name}" for name in names)
        + ")"
    )
    return run(["shell", "--no-imports", "-c", code], env).stdout.split()


def test_https_only_sites_redirect_and_send_hsts(tmp_path):
    env = production_env(tmp_path)
    assert read_settings(env, "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS") == ["True", "31536000"]


def test_a_site_without_https_cookies_neither_redirects_nor_sends_hsts(tmp_path):
    env = production_env(tmp_path, SECURE_COOKIES="0")
    assert read_settings(env, "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS") == ["False", "0"]
    result = run(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0 and "SECURE_HSTS_SECONDS" in result.stdout + result.stderr


def test_each_can_be_set_on_its_own(tmp_path):
    env = production_env(tmp_path, SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="600")
    assert read_settings(env, "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS") == ["False", "600"]
