"""Settings shared by every environment; each value that differs comes from the
environment so one build runs anywhere."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_list(name, default=""):
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "newsroom",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "csp",
    "axes",
]

# Headers (security, CSP, X-Frame-Options) are set outside the response cache, so
# a cached page answered by CachedResponseMiddleware carries them too.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the database: picks the primary or the replica for
    # the whole request (newsroom.db_router); a no-op without a replica.
    "newsroom.db_router.ReadRoutingMiddleware",
    # A view that lost the database answers 503 + Retry-After (handler500 in
    # urls.py does for errors raised in middleware).
    "newsroom.channels.resilience.DatabaseUnavailableMiddleware",
    "newsroom.channels.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the URL alone (no prefix: English, /id/: Indonesian),
    # never from a cookie or Accept-Language, so a response cached by path
    # (CachedResponseMiddleware) is always in the right language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsroom.channels.page_cache.CachedResponseMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires: turns its lockout flag into the response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom_site.urls"
WSGI_APPLICATION = "newsroom_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: DATABASE_URL, else a SQLite file in the project.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["newsroom.db_router.PrimaryReplicaRouter"]
# Anonymous public reads use the replica while it is at most this many seconds
# behind (checked at most every REPLICA_CHECK_SECONDS per process); else the
# primary (newsroom.db_router).
REPLICA_MAX_LAG = float(os.environ.get("REPLICA_MAX_LAG", "10"))
REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS", "1"))
for database in DATABASES.values():
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # The site and the task worker write to one file. WAL: readers never
        # wait for a writer. IMMEDIATE: a transaction takes the write lock when
        # it begins, so one that read first cannot fail at its first write with
        # "database is locked" (SQLite does not wait in that case, and that is
        # what a publish met while the worker wrote). timeout: a writer waits up
        # to that many seconds for the lock (SQLite's busy timeout). NORMAL
        # sync is WAL's usual pairing: commits skip the fsync, so the lock is
        # held shorter; an application crash loses nothing.
        database.setdefault("OPTIONS", {}).update(
            {
                "transaction_mode": "IMMEDIATE",
                "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            }
        )
DATABASE_ENGINE = DATABASES["default"]["ENGINE"]
IS_POSTGRES = DATABASE_ENGINE == "django.db.backends.postgresql"
if IS_POSTGRES:
    # Wagtail's database search backend uses PostgreSQL full text through it.
    INSTALLED_APPS.append("django.contrib.postgres")
    for database in DATABASES.values():
        # JIT compiling the facet aggregates costs 100-300 ms and saves less.
        # Parallel workers cost more to start (10-30 ms on two cores) than
        # they save on a request's queries, and take the cores other requests
        # are waiting for; PG_PARALLEL_WORKERS allows them again.
        workers = int(os.environ.get("PG_PARALLEL_WORKERS", "0"))
        # The RUM index sorts the distance of every match of a broad search
        # word (newsroom/finder/broad_search.py); with PostgreSQL's 4 MB a word
        # in every one of 100,000 releases spilled 8 MB to disk: 130 -> 107 ms.
        work_mem = os.environ.get("PG_WORK_MEM", "16MB")
        database.setdefault("OPTIONS", {})["options"] = (
            f"-c jit=off -c max_parallel_workers_per_gather={workers}"
            f" -c work_mem={work_mem}"
        )
elif DATABASE_ENGINE != "django.db.backends.sqlite3":
    raise ImproperlyConfigured(
        f"DATABASE_URL must point at PostgreSQL or SQLite, not {DATABASE_ENGINE}"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def redis_cache(url):
    """The cache on Redis at ``url``, for a site that outlives its cache.

    With Redis down (or never up) every cache call gives up at once or after a
    short timeout and reads as a miss, so pages are served uncached instead of
    failing; the failures are logged (newsroom.channels.resilience.CacheOutageFilter
    makes them one warning a minute per process) and the client reconnects by
    itself once Redis answers again.
    """
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "IGNORE_EXCEPTIONS": True,
            # Loopback or a LAN answers in a millisecond; an unreachable host
            # must not hold a worker for the system's default of minutes.
            "SOCKET_CONNECT_TIMEOUT": 0.25,
            "SOCKET_TIMEOUT": 0.5,
        },
        "KEY_PREFIX": "newsroom",
    }


# Cache: Redis when REDIS_URL is set, else per-process memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
        }
    }

_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]

# Sign-in throttling (django-axes): after LOGIN_FAILURE_LIMIT failed sign-ins for
# one username from one address, that pair is refused, even with the right
# password, for LOGIN_COOLOFF_MINUTES. Its backend must come first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every start; failures are still logged
AXES_LOCKOUT_CALLABLE = "newsroom.channels.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "newsroom.channels.security.client_ip_address"
# Reverse proxies in front of the site that append to X-Forwarded-For (0: none,
# the client is REMOTE_ADDR); a client can forge every entry left of theirs.
NEWSROOM_TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Security headers, in every environment (production adds HTTPS-only ones).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4; newsroom/channels/security.py picks the
# policy).
# Readers' pages: no inline script or style at all, nothing from elsewhere but
# video embeds and, when media live on object storage, its origin.
_CSP_MEDIA = env_list("CSP_MEDIA_ORIGINS")
_CSP_EMBEDS = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]
_CSP_PUBLIC = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:", *_CSP_MEDIA],
    "media-src": [SELF, *_CSP_MEDIA],
    "font-src": [SELF],
    "connect-src": [SELF],
    "frame-src": _CSP_EMBEDS,
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
    "report-uri": env_list("CSP_REPORT_URI") or None,
}
# The Wagtail admin (under /admin/), as Wagtail 8.0 needs it in Chromium
# (tests/browser/test_csp.py): inline <script> elements (InlinePanel,
# MultipleChooserPanel, date and chooser widgets, the chooser modals' HTML) and
# the <style> elements Draftail injects; blob: pictures (upload previews); its
# own preview in an iframe (frame-src and frame-ancestors 'self'). No eval.
NEWSROOM_ADMIN_CSP = {
    "DIRECTIVES": {
        **_CSP_PUBLIC,
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *_CSP_MEDIA],
        "frame-src": [SELF, *_CSP_EMBEDS],
        "frame-ancestors": [SELF],
    }
}
# CSP_REPORT_ONLY=1 sends the same policies as Content-Security-Policy-Report-Only:
# browsers report what they would block and block nothing.
if env_bool("CSP_REPORT_ONLY"):
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_PUBLIC}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_PUBLIC}
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None
# Editors' avatars are uploaded, never fetched from gravatar.com (that would leak
# their e-mail hashes and need img-src there); no call home for new versions.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

#  English (default, URLs without a prefix, as docs/contracts.md fixes them) and
# Indonesian  (under /id/); pages are translated with Wagtail's simple_translation.
LANGUAGE_CODE = "en"
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [("en", "English"), ("id", "Bahasa Indonesia")]
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# A request body without its files (a long release's form) is held in memory up to
# this size, and refused beyond; uploaded files stream to disk above 2.5 MB. The
# web server in front bounds the whole request (client_max_body_size and the like)
# just above the document limit below.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 << 20
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o644

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "Ministry of Industry Newsroom")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Wagtail's database backend (PostgreSQL full text / SQLite FTS5) unless an
# Elasticsearch or OpenSearch URL is given, when full text outgrows PostgreSQL.
SEARCH_URL = os.environ.get("SEARCH_URL", "")
if SEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": os.environ.get(
                "SEARCH_BACKEND", "wagtail.search.backends.opensearch2"
            ),
            "URLS": [SEARCH_URL],
            "INDEX": os.environ.get("SEARCH_INDEX", "newsroom"),
        }
    }
else:
    # Wagtail's database backend, whose PostgreSQL index reads the average title
    # length of a large index from a sample (newsroom/finder/search_backend.py).
    WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "newsroom.finder.search_backend"},
    }

# A CDN in front of the site is purged on publish through Wagtail's frontend cache.
if os.environ.get("CDN_PURGE_URL"):
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ["CDN_PURGE_URL"],
        }
    }
# Uploads. Pictures: no SVG (a script inside one runs when it is opened directly),
# bounded in bytes and in pixels (decoding a huge picture takes a worker's memory).
# Pictures carry their credit, licence and captions (newsroom/models/images.py).
WAGTAILIMAGES_IMAGE_MODEL = "newsroom.NewsroomImage"
# Behind nginx: Django decides who gets a picture, nginx sends it from this internal
# location (README, "Pictures and their rights"). Empty: Django sends the file.
MEDIA_ACCEL_REDIRECT = os.environ.get("MEDIA_ACCEL_REDIRECT", "")
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = int(os.environ.get("UPLOAD_MAX_IMAGE_MB", "10")) << 20
WAGTAILIMAGES_MAX_IMAGE_PIXELS = int(
    os.environ.get("UPLOAD_MAX_IMAGE_PIXELS", "50000000")
)
# Documents: office formats, text and archives only (no HTML, SVG, RTF or
# executables), served through Django (so collection privacy applies) as
# attachments, but for PDF and plain text, always with nosniff and Wagtail's
# own "default-src 'none'" policy (WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT).
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "odp",
    "ods",
    "odt",
    "pdf",
    "pptx",
    "txt",
    "xlsx",
    "zip",
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = int(os.environ.get("UPLOAD_MAX_DOCUMENT_MB", "20")) << 20
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf", "text/plain"]
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100
TAGGIT_CASE_INSENSITIVE = True

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

# Newsroom
NEWSROOM_PAGE_SIZE = 20
# The organisation whose press office this is: "who met whom" lists its officials
# (and its directorates') on other organisations' hubs (newsroom/finder/meetings.py).
NEWSROOM_MINISTRY_SLUG = os.environ.get(
    "NEWSROOM_MINISTRY_SLUG", "ministry-of-industry"
)
NEWSROOM_MAX_QUERY_LENGTH = 200
# A query matching more index entries than this is counted on a
# sample of about NEWSROOM_SEARCH_SAMPLE_ROWS listing rows and shown as an estimate;
# its first NEWSROOM_SEARCH_WINDOW matches by the RUM index are ranked as Wagtail
# ranks (newsroom/finder/broad_search.py).
NEWSROOM_SEARCH_EXACT_LIMIT = 1000
NEWSROOM_SEARCH_SAMPLE_ROWS = 2000
NEWSROOM_SEARCH_WINDOW = 100
# A one-word query's first matches are first sought among the titles holding it,
# shortest first, reading at most this many entries: where their ranks prove
# them the best, they are Wagtail's own (newsroom/finder/title_first.py).
NEWSROOM_SEARCH_TITLE_WALK = 5000
# Fewer hits than this in the sample are counted rather than scaled.
NEWSROOM_SEARCH_MIN_HITS = 5
# Cached responses are keyed by content version, so this only bounds memory use.
NEWSROOM_CACHE_SECONDS = int(os.environ.get("NEWSROOM_CACHE_SECONDS", "3600"))
NEWSROOM_BROWSER_MAX_AGE = int(os.environ.get("NEWSROOM_BROWSER_MAX_AGE", "60"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "cache_outage": {"()": "newsroom.channels.resilience.CacheOutageFilter"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # With Redis down: one warning a minute, not a traceback per cache call.
        "django_redis.cache": {"filters": ["cache_outage"]},
        # One line per background task and per page action drowns real messages.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # WeasyPrint logs each step of every PDF (release.pdf) at INFO.
        "weasyprint": {"level": "WARNING"},
    },
}

# --- Email alerts (newsroom/alerts/) ---------------------------------------------
# Readers subscribe to any filter; a worker matches each published release and
# mails the subscribers. Outgoing mail uses SMTP as configured here (dev.py prints
# it to the console instead; the tests start an SMTP server on loopback).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Ministry of Industry Newsroom <newsroom@localhost>"
)

# Background tasks (django-tasks): matching and sending never run in the request
# that publishes. The database backend (django-tasks-db) queues them in the
# database for `python manage.py db_worker`; Wagtail's own housekeeping tasks
# (reference index, image focal points) use the same queue. TASKS_BACKEND may name
# another backend, e.g. django_tasks.backends.immediate.ImmediateBackend to run
# tasks in-process without a worker.
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Absolute links in alert emails; blank: the default Site's root URL, as release
# links use (its port 443 makes them https).
NEWSROOM_ALERTS_BASE_URL = os.environ.get("ALERTS_BASE_URL", "")
# Optional mailbox for List-Unsubscribe by email (the https one-click URL is always
# there); messages to it must be handled outside the site.
NEWSROOM_ALERTS_UNSUBSCRIBE_MAILTO = os.environ.get("ALERTS_UNSUBSCRIBE_MAILTO", "")
NEWSROOM_ALERTS_CONFIRM_MAX_AGE = 3 * 24 * 3600  # seconds a confirmation link works
NEWSROOM_ALERTS_MANAGE_MAX_AGE = 400 * 24 * 3600  # manage links in older emails
# Subscribe attempts allowed per window (seconds), per client address and per
# email address, counted in the cache (Redis in production, shared by workers).
NEWSROOM_ALERTS_RATE_LIMITS = {"ip": (10, 3600), "address": (3, 3600)}
# Only releases dated within this many days are announced: importing an archive or
# republishing an old release mails nobody.
NEWSROOM_ALERTS_MAX_RELEASE_AGE_DAYS = int(os.environ.get("ALERTS_MAX_AGE_DAYS", "7"))
NEWSROOM_ALERTS_SEND_BATCH = 200  # emails per task and SMTP connection
