"""Settings, read from the environment with strict parsing and zero-setup local defaults.

With nothing set, the project runs embedded: SQLite, a Celery broker on the local
filesystem, and emails written to files, all under ``var/``. Setting ``DATABASE_URL``,
``REDIS_URL`` and ``EMAIL_HOST`` switches each part to its production service.
"""

from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from environs import Env

BASE_DIR = Path(__file__).resolve().parent.parent

env = Env()
# A typo such as DEBUG=flase raises instead of silently meaning False.
env.read_env(BASE_DIR / ".env", recurse=False)

# The embedded default keeps its database, broker queue and emails here.
VAR_DIR = env.path("VAR_DIR", default=BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

INSECURE_DEFAULT_SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_DEFAULT_SECRET_KEY)
if not DEBUG and SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value when DEBUG is off. "
        "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
_site_url = env.url("SITE_URL", default=None)  # validated: a typo'd URL is an error
SITE_URL = (_site_url.geturl() if _site_url else "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = [SITE_URL]

# The measuring tools (bench/, load/): their commands and reference pages exist only when
# asked for (`make bench`, `make load` set it), never in the product.
MEASURING = env.bool("MEASURING", default=False)

# Imports flow one way, down this list of our apps (import-linter checks it, docs/architecture.md).
INSTALLED_APPS = [
    "mentorship",  # project wiring and people: settings, the user, accounts, email
    "partnerships",  # data and rules: programmes, people, partnerships, check-ins
    "goals",  # data and rules: goals, reviews, next steps, a partner's part, health
    "workspace",  # the partners' pages
    "coordinators",  # the admin site and the coordinators' pages
    "reminders",  # what is due, and sending it
    "coordinators.admin_site.AdminConfig",  # django.contrib.admin, its autocomplete scoped
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",  # brute-force protection (mentorship/accounts/)
    "django_otp",  # two-factor sign-in (mentorship/accounts/)
    "django_otp.plugins.otp_totp",
    *(["bench", "load"] if MEASURING else []),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy, enforced (SECURE_CSP below).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "mentorship.middleware.RefuseNulInQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Every response to a logged-in person is `Cache-Control: private, no-store`.
    "mentorship.middleware.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Dates and times read in each person's own time zone.
    "mentorship.middleware.UserTimeZoneMiddleware",
    "mentorship.accounts.middleware.SessionIdleTimeoutMiddleware",
    "mentorship.accounts.middleware.SecondFactorMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into our login page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mentorship.urls"
WSGI_APPLICATION = "mentorship.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]
FORM_RENDERER = "mentorship.form_renderer.FastFormRenderer"

DATABASES = {
    "default": env.dj_db_url(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: wait for each other's writes instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

AUTH_USER_MODEL = "mentorship.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads (profile photos) are served only through views that check who may read them,
# never from a public media URL; in production every web node mounts the same directory.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Redis when configured; otherwise everything stays on this machine.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Email: SMTP when EMAIL_HOST is set, otherwise files under var/mail (one per email, one per
# batch of reminders: Django's file backend writes a file per connection).
# (Django 6.1's MAILERS replaces the EMAIL_BACKEND family of settings.)
EMAIL_HOST = env.str("EMAIL_HOST", default="")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Mentorship <mentorship@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": env.int("EMAIL_PORT", default=25),
                "username": env.str("EMAIL_HOST_USER", default="") or None,
                "password": env.str("EMAIL_HOST_PASSWORD", default="") or None,
                "use_tls": env.bool("EMAIL_USE_TLS", default=False),
                "timeout": 20,
            },
        }
    }
else:
    MAIL_DIR = VAR_DIR / "mail"
    MAIL_DIR.mkdir(exist_ok=True)
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(MAIL_DIR)},
        }
    }
del EMAIL_HOST  # only MAILERS may configure email from here on

# Celery: Redis when configured, otherwise kombu's filesystem transport (no server needed).
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies mid-run is delivered again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    BROKER_DIR = VAR_DIR / "broker"
    for folder in ("queue", "processed", "control"):
        (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),  # broadcasts; kombu's default is ./control
        "store_processed": False,
    }
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "mentorship.tasks.heartbeat", "schedule": 60.0},
}

# --- Reminders (reminders/) ---------------------------------------------------------
# Beat triggers one sweep a minute; PostgreSQL decides what is due and who sends it.
REMINDER_SWEEP_SECONDS = env.float("REMINDER_SWEEP_SECONDS", default=60.0)
REMINDER_BATCH_SIZE = env.int("REMINDER_BATCH_SIZE", default=1000)
# A queued row not claimed within this long (lost message) is queued again; a claimed row
# not marked sent within this long (dead worker) is claimed again. Keep it well above the
# SMTP timeout (20 s) so a slow send is never taken over while it is still running.
REMINDER_QUEUE_LEASE_SECONDS = env.int("REMINDER_QUEUE_LEASE_SECONDS", default=300)
REMINDER_SEND_LEASE_SECONDS = env.int("REMINDER_SEND_LEASE_SECONDS", default=120)
REMINDER_SEND_BATCH_SIZE = env.int("REMINDER_SEND_BATCH_SIZE", default=20)  # per Celery task
# Temporary SMTP failures: retried after base, 2 x base, 4 x base ... until this many attempts.
REMINDER_RETRY_BASE_SECONDS = env.int("REMINDER_RETRY_BASE_SECONDS", default=60)
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=6)
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
CELERY_BEAT_SCHEDULE["sweep-reminders"] = {
    "task": "partnerships.tasks.sweep_reminders",
    "schedule": REMINDER_SWEEP_SECONDS,
    # A sweep that waited longer than its interval is superseded by the next one.
    "options": {"expires": max(REMINDER_SWEEP_SECONDS - 1, 1)},
}
# --- end of reminders -----------------------------------------------------------------
# The dashboard's stored health facts are kept current on every write; rebuilding them
# nightly closes the one race that can leave a row stale (goals.health_facts).
CELERY_BEAT_SCHEDULE["refresh-health-facts"] = {
    "task": "partnerships.tasks.refresh_health_facts",
    "schedule": crontab(hour=3, minute=17),
}
# A programme's life (goals.tasks): its end date acts, and its retention setting is carried
# out, within a quarter of an hour of midnight on the programme's own calendar.
CELERY_BEAT_SCHEDULE["close-programmes"] = {
    "task": "partnerships.tasks.close_programmes",
    "schedule": crontab(minute="*/15"),
}
CELERY_BEAT_SCHEDULE["apply-retention"] = {
    "task": "partnerships.tasks.apply_retention",
    "schedule": crontab(minute="1-59/15"),
}

# Production hardening, all from the environment; on by default when DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers and docker-compose probe health over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy, enforced: scripts and <style> blocks run only from this site or
# with the page's nonce; no inline event handlers, no style="" attributes, no eval (htmx is
# configured to match in base.html). Nothing may frame us, and forms post only here.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.log_level("LOG_LEVEL", default="INFO")},
}

# WhiteNoise warns on every request when the collectstatic folder is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- Accounts: brute-force protection, sessions, two-factor (mentorship/accounts/) -----
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out username + IP before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock the pair, never the username alone: nobody can lock a person out from another IP.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(seconds=env.int("LOGIN_COOLOFF_SECONDS", default=15 * 60))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "mentorship.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "mentorship.accounts.client_ip.client_ip"
AXES_USERNAME_CALLABLE = "mentorship.accounts.lockout.username_of"
AXES_USERNAME_FORM_FIELD = "username"  # the login forms' field (holding the email)
# django-axes keeps each failure's POST data, masking only the fields named here: the
# account forms' passwords (a mistyped old one arrives with a good new one) and codes too.
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "old_password",
    "new_password1",
    "new_password2",
    "code",
]
# How many reverse proxies (load balancer, ingress) append to X-Forwarded-For in front of
# gunicorn. 0: the client is REMOTE_ADDR. Never more than really exist, or clients can
# choose their own IP (and dodge the lockout) by sending the header themselves.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# An idle session ends; SESSION_COOKIE_AGE above bounds every session absolutely.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=60 * 60 * 12)  # seconds
# Coordinators and superusers need a second factor for the admin site.
REQUIRE_2FA_FOR_STAFF = env.bool("REQUIRE_2FA_FOR_STAFF", default=not DEBUG)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Mentorship")
# --- end of accounts ---------------------------------------------------------------------
