"""Settings, read from the environment with safe defaults.

Every variable is documented in `.env.example`. Malformed values stop start-up with
ImproperlyConfigured instead of half-working.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_json_object(name: str, allowed_values: frozenset[str] | None = None) -> dict[str, str]:
    """A JSON object of strings (`{"claim value": "tiketti value"}`); empty when unset."""
    import json

    raw = os.environ.get(name, "").strip()
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(
        isinstance(key, str) and isinstance(item, str) for key, item in value.items()
    ):
        raise ImproperlyConfigured(f"{name} must be a JSON object of strings, not {raw!r}.")
    wrong = sorted(set(value.values()) - allowed_values) if allowed_values is not None else []
    if wrong:
        allowed = ", ".join(sorted(allowed_values or ()))
        raise ImproperlyConfigured(f"{name} maps to {', '.join(wrong)}; use one of {allowed}.")
    return value


def env_secret(name: str, default: str = "") -> str:
    """A secret from NAME, or from the file that NAME_FILE points to."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {error}") from None
    return os.environ.get(name, default)


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off. For a local "
            "try-out run `make demo`, which generates one in its data directory; then run "
            "tiketti commands with SECRET_KEY_FILE=<data directory>/secret_key (var/ unless "
            "TIKETTI_DATA_DIR says otherwise)."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG"  # noqa: S105

DATA_DIR = Path(env_str("TIKETTI_DATA_DIR", str(PROJECT_DIR / "var")))
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SECURE_COOKIES = env_bool("SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "tiketti.accounts",
    "tiketti.audit",
    "tiketti.sla",
    "tiketti.contracts",
    "tiketti.tickets",
    "tiketti.knowledge",
    "tiketti.status",
    "tiketti.satisfaction",
    "tiketti.mail",
    "tiketti.portal",
    "tiketti.desk",
    "tiketti.api",
    "tiketti.webhooks",
    "tiketti.operations",
    "tiketti.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tiketti.api.middleware.ApiErrorsAsJson",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tiketti.accounts.middleware.SecondFactorMiddleware",
    "tiketti.audit.context.AuditContextMiddleware",
    "tiketti.accounts.middleware.UserLanguageMiddleware",
    "tiketti.accounts.middleware.BrowserSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tiketti.accounts.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tiketti.urls"
WSGI_APPLICATION = "tiketti.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tiketti.accounts.context_processors.site",
            ],
        },
    },
]

# SQLite, however it is named (the default file, or DATABASE_URL=sqlite:///…), runs with
# these: IMMEDIATE takes the write lock at BEGIN, so concurrent writers (parallel pipe
# deliveries, the worker, the web) queue for up to `timeout` seconds instead of failing
# with "database is locked"; a deferred BEGIN would fail at once when a reader turns
# writer. WAL lets readers go on while one writes. A 32 MB page cache (SQLite's default
# is 2 MB) keeps the indexes that intake reads for every message in memory: about 5 %
# more mail per second.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": env_int("TIKETTI_SQLITE_TIMEOUT", 20),
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA cache_size=-32000; PRAGMA temp_store=MEMORY;"
    ),
}
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {error}") from None
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "tiketti.sqlite3"),
            # Kept open between requests (and by the LMTP listener between deliveries), as
            # for PostgreSQL: opening runs the PRAGMAs above and starts with a cold cache.
            "CONN_MAX_AGE": 60,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "tiketti.sqlite"  # Django's, one probe changed: see there
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses any attempt while its account or address is locked out (see "Trust").
    "axes.backends.AxesStandaloneBackend",
    "tiketti.accounts.backends.EmailBackend",
    # Single sign-on (OpenID Connect); it answers only the provider's callback, when configured.
    "tiketti.accounts.sso.backend.SsoBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fi", _("Finnish")), ("pl", _("Polish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Finnish and Polish date formats where Django's own do not read naturally.
FORMAT_MODULE_PATH = "tiketti.formats"
LANGUAGE_COOKIE_NAME = "tiketti_language"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Europe/Helsinki")

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
# Attachments are never served from MEDIA_URL: only through access-checked download views.
MEDIA_URL = "/attachments-are-not-public/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Content Security Policy: nothing from other origins, inline scripts only with a nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    # Help-center videos load only after the visitor clicks (privacy-friendly embeds).
    "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "form-action": [CSP.SELF],
}

# Mail: the console backend until SMTP is configured (EMAIL_HOST).
_EMAIL_HOST = env_str("EMAIL_HOST")
_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    _SMTP_BACKEND if _EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
MAILERS: dict[str, dict[str, object]] = {"default": {"BACKEND": _EMAIL_BACKEND}}
if _EMAIL_BACKEND == _SMTP_BACKEND:
    MAILERS["default"]["OPTIONS"] = {
        "host": _EMAIL_HOST or "localhost",
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER") or None,
        "password": env_secret("EMAIL_HOST_PASSWORD") or None,
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        "timeout": env_int("EMAIL_TIMEOUT", 30),
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Tiketti Support <support@tiketti.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks: the database backend, run by `tiketti worker`. Inbound mail is
# processed from a queue of its own ("intake"); everything else uses "default".
TASK_QUEUES = ["default", "intake"]
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "tiketti.operations.task_backend.DatabaseBackend"),
        "QUEUES": TASK_QUEUES,
    }
}

# Tiketti's own knobs. Business rules (hours, SLA, routing) are data, edited by admins.
TIKETTI_TICKET_PREFIX = env_str("TIKETTI_TICKET_PREFIX", "TK")
if not TIKETTI_TICKET_PREFIX.isalnum() or not TIKETTI_TICKET_PREFIX.isupper():
    raise ImproperlyConfigured(
        f"TIKETTI_TICKET_PREFIX must be upper-case letters/digits like 'AB', not "
        f"{TIKETTI_TICKET_PREFIX!r}."
    )
TIKETTI_BASE_URL = env_str("TIKETTI_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
TIKETTI_SITE_NAME = env_str("TIKETTI_SITE_NAME", "Tiketti")
TIKETTI_MAX_ATTACHMENTS = env_int("TIKETTI_MAX_ATTACHMENTS", 10)
TIKETTI_MAIL_DOMAIN = env_str("TIKETTI_MAIL_DOMAIN", "tiketti.localhost")
TIKETTI_MAIL_RETRY_LIMIT = env_int("TIKETTI_MAIL_RETRY_LIMIT", 8)
# A mail claimed for sending this long ago was interrupted (worker killed) and is sent again.
TIKETTI_MAIL_CLAIM_SECONDS = env_int("TIKETTI_MAIL_CLAIM_SECONDS", 300)
# Webhooks: attempts per delivery, failed attempts in a row that disable a webhook, and
# whether loopback/private addresses may be targets (off: a webhook must not reach inside).
# Phone numbers typed without a country code are read as this country's.
TIKETTI_PHONE_REGION = env_str("TIKETTI_PHONE_REGION", "FI")
TIKETTI_WEBHOOK_RETRY_LIMIT = env_int("TIKETTI_WEBHOOK_RETRY_LIMIT", 8)
TIKETTI_WEBHOOK_FAILURE_LIMIT = env_int("TIKETTI_WEBHOOK_FAILURE_LIMIT", 15)
TIKETTI_WEBHOOK_TIMEOUT = env_int("TIKETTI_WEBHOOK_TIMEOUT", 10)
TIKETTI_WEBHOOK_ALLOW_PRIVATE = env_bool("TIKETTI_WEBHOOK_ALLOW_PRIVATE", False)
TIKETTI_AUTO_REPLY_LIMIT = env_int("TIKETTI_AUTO_REPLY_LIMIT", 5)  # automatic mails/hour/address
TIKETTI_SALES_EMAIL = env_str("TIKETTI_SALES_EMAIL", "sales@tiketti.localhost")
TIKETTI_DEFAULT_LANGUAGE = env_str("TIKETTI_DEFAULT_LANGUAGE", "en")
# Closed tickets are purged this many months after their last change; unset (or 0): kept.
TIKETTI_RETENTION_MONTHS: int | None = env_int("TIKETTI_RETENTION_MONTHS", 0) or None
if TIKETTI_RETENTION_MONTHS is not None and TIKETTI_RETENTION_MONTHS < 0:
    raise ImproperlyConfigured("TIKETTI_RETENTION_MONTHS must be a number of months, 1 or more.")


def upload_limits(attachment_bytes: int, attachments: int) -> dict[str, int]:
    """Django's request limits, derived from the one attachment limit, so that a request
    carrying a file at the limit is accepted on every path and a bigger one is refused
    with 413 before it is read:
    - DATA_UPLOAD_MAX_MEMORY_SIZE: a JSON body with one file at the limit in base64 (4/3
      of its size), plus room for the text;
    - FILE_UPLOAD_MAX_MEMORY_SIZE: a multipart upload of one file at the limit stays in
      memory (it is read into memory to be checked and stored anyway);
    - TIKETTI_MAX_REQUEST_BYTES: a multipart upload of the most files at the limit.
    """
    room = 1024 * 1024
    return {
        "TIKETTI_MAX_ATTACHMENT_BYTES": attachment_bytes,
        "DATA_UPLOAD_MAX_MEMORY_SIZE": -(-attachment_bytes * 4 // 3) + room,
        "FILE_UPLOAD_MAX_MEMORY_SIZE": attachment_bytes + room,
        "TIKETTI_MAX_REQUEST_BYTES": attachment_bytes * attachments + room,
    }


_UPLOAD_LIMITS = upload_limits(
    env_int("TIKETTI_MAX_ATTACHMENT_MB", 10) * 1024 * 1024, TIKETTI_MAX_ATTACHMENTS
)
TIKETTI_MAX_ATTACHMENT_BYTES = _UPLOAD_LIMITS["TIKETTI_MAX_ATTACHMENT_BYTES"]
DATA_UPLOAD_MAX_MEMORY_SIZE = _UPLOAD_LIMITS["DATA_UPLOAD_MAX_MEMORY_SIZE"]
FILE_UPLOAD_MAX_MEMORY_SIZE = _UPLOAD_LIMITS["FILE_UPLOAD_MAX_MEMORY_SIZE"]
TIKETTI_MAX_REQUEST_BYTES = _UPLOAD_LIMITS["TIKETTI_MAX_REQUEST_BYTES"]
FILE_UPLOAD_HANDLERS = [
    "tiketti.tickets.uploads.RequestSizeLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Attachments can hold personal data: only the service user may read them, whichever
# channel (upload, mail, API) stored them.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # aiosmtpd logs every line of every LMTP session at INFO; our listener logs one
        # line per stored message.
        "mail.log": {"level": "WARNING"},
        # tnefparse warns of every checksum mismatch in a winmail.dat, which real ones
        # often have; what it could read is used, and `tiketti mail ingest` prints one line.
        "tnefparse": {"level": "ERROR"},
    },
}

# --- Trust (docs/security.md) -------------------------------------------------------------
# Sign-in lock-out, API token throttling, the password-reset limit, HTTPS redirect and
# HSTS, the second factor. Kept in one block; the apps, middleware and backend they need
# are in the lists above ("axes", "django_otp*", "tiketti.audit", their middleware).
# Failed sign-ins are counted per account and, separately, per client address; either
# reaching the limit locks that account or address out for the cool-off period. A
# successful sign-in clears the account's count.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", 15)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# A locked-out attacker's further guesses do not push the unlock time later: the time the
# page names holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "tiketti.accounts.throttling.attempted_email"
AXES_CLIENT_IP_CALLABLE = "tiketti.accounts.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "tiketti.accounts.throttling.lockout_response"
AXES_VERBOSE = False
# Sign-ins are recorded in Tiketti's audit log; axes keeps only the failure counts.
AXES_DISABLE_ACCESS_LOG = True
# Bad API bearer tokens from one client address: after this many within the cool-off
# period, that address gets 429 (code "too_many_attempts") until the period has passed.
API_TOKEN_FAILURE_LIMIT = env_int("API_TOKEN_FAILURE_LIMIT", 10)
API_TOKEN_COOLOFF_MINUTES = env_int("API_TOKEN_COOLOFF_MINUTES", 15)
# axes says INFO for every attempt; its WARNINGs name the account and address locked out.
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # type: ignore[index]
# Password-reset mails per address per hour (more requests get the same answer, no mail).
TIKETTI_PASSWORD_RESET_LIMIT = env_int("TIKETTI_PASSWORD_RESET_LIMIT", 3)
# Public and agency form requests per client address and per e-mail address per hour.
TIKETTI_PUBLIC_FORM_LIMIT = env_int("TIKETTI_PUBLIC_FORM_LIMIT", 5)
# How long the mailed confirm links of the public and agency forms are valid, in days.
TIKETTI_PUBLIC_FORM_LINK_DAYS = env_int("TIKETTI_PUBLIC_FORM_LINK_DAYS", 7)
# HTTPS everywhere once cookies are HTTPS-only (SECURE_COOKIES=1): plain HTTP is redirected
# and browsers are told (HSTS) to use HTTPS only, for a year. Each can be set on its own.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE_COOKIES)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if SECURE_COOKIES else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Second factor (django-otp: authenticator app plus backup codes). Staff must use one;
# customers may. Turning this off lets staff sign in with a password alone.
TIKETTI_STAFF_2FA_REQUIRED = env_bool("TIKETTI_STAFF_2FA_REQUIRED", True)
OTP_TOTP_ISSUER = TIKETTI_SITE_NAME

# Single sign-on for staff through OpenID Connect (mozilla-django-oidc), on when a client id
# is set. Endpoints come from the issuer's discovery document unless given one by one.
TIKETTI_OIDC_CLIENT_ID = env_str("TIKETTI_OIDC_CLIENT_ID")
TIKETTI_OIDC_ISSUER = env_str("TIKETTI_OIDC_ISSUER").rstrip("/")
TIKETTI_OIDC_DISCOVERY_URL = env_str(
    "TIKETTI_OIDC_DISCOVERY_URL",
    f"{TIKETTI_OIDC_ISSUER}/.well-known/openid-configuration" if TIKETTI_OIDC_ISSUER else "",
)
TIKETTI_OIDC_PROVIDER_NAME = env_str("TIKETTI_OIDC_PROVIDER_NAME", "single sign-on")
# The claim that lists a person's groups or roles, and what its values make them here:
# {"claim value": "agent" | "team_lead" | "admin"} and {"claim value": "team name"}.
TIKETTI_OIDC_ROLE_CLAIM = env_str("TIKETTI_OIDC_ROLE_CLAIM", "groups")
TIKETTI_OIDC_ROLE_MAP = env_json_object(
    "TIKETTI_OIDC_ROLE_MAP", frozenset({"agent", "team_lead", "admin"})
)
TIKETTI_OIDC_TEAM_MAP = env_json_object("TIKETTI_OIDC_TEAM_MAP")
# On: a sign-in through the provider counts as the staff second factor (the provider asks
# for one); off: staff still give their Tiketti authenticator code after it.
TIKETTI_OIDC_TRUSTS_MFA = env_bool("TIKETTI_OIDC_TRUSTS_MFA", False)
OIDC_RP_CLIENT_ID = TIKETTI_OIDC_CLIENT_ID
OIDC_RP_CLIENT_SECRET = env_secret("TIKETTI_OIDC_CLIENT_SECRET")
OIDC_RP_SIGN_ALGO = env_str("TIKETTI_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("TIKETTI_OIDC_SCOPES", "openid email profile")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("TIKETTI_OIDC_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("TIKETTI_OIDC_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("TIKETTI_OIDC_USERINFO_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("TIKETTI_OIDC_JWKS_ENDPOINT")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso-callback"
if TIKETTI_OIDC_CLIENT_ID and not (
    TIKETTI_OIDC_DISCOVERY_URL
    or (OIDC_OP_AUTHORIZATION_ENDPOINT and OIDC_OP_TOKEN_ENDPOINT and OIDC_OP_USER_ENDPOINT)
):
    raise ImproperlyConfigured(
        "TIKETTI_OIDC_CLIENT_ID is set: set TIKETTI_OIDC_ISSUER (or TIKETTI_OIDC_DISCOVERY_URL), "
        "or the authorization, token and userinfo endpoints."
    )
