from .base import *  # noqa: F403

DEBUG = False
if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be set in production")  # noqa: F405

STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

if IS_POSTGRES and env_bool("DATABASE_POOL", True):  # noqa: F405
    # A new PostgreSQL connection costs 4-8 ms a request: keep a psycopg pool per
    # worker process instead (Django's pool needs CONN_MAX_AGE 0). With
    # CONN_HEALTH_CHECKS (base.py) the pool checks a connection with an empty
    # round trip before handing it out: after PostgreSQL restarts, dead pooled
    # connections are replaced instead of failing one request each.
    for database in DATABASES.values():  # noqa: F405
        database["CONN_MAX_AGE"] = 0
        database["OPTIONS"]["pool"] = {
            "min_size": 1,
            "max_size": int(os.environ.get("DATABASE_POOL_SIZE", "4")),  # noqa: F405
            # A request waits this long for a connection while the server is
            # down, then answers 503 (newsroom.channels.resilience), well before
            # gunicorn's timeout would kill the worker.
            "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "5")),  # noqa: F405
        }
    if "replica" in DATABASES:  # noqa: F405
        # A request that cannot get a replica connection is answered again from
        # the primary (newsroom.db_router): waiting long for one gains nothing.
        replica_pool = DATABASES["replica"]["OPTIONS"]["pool"]  # noqa: F405
        replica_pool["timeout"] = min(replica_pool["timeout"], 1.0)
