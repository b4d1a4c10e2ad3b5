from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "newsroom-tests",
    }
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "build" / "test-media"  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
WAGTAILADMIN_BASE_URL = WAGTAILAPI_BASE_URL = "http://testserver"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

if IS_POSTGRES:  # noqa: F405
    # One test database per run, so parallel runs on one server never collide.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": f"test_newsroom_{os.getpid()}"  # noqa: F405
    }
    # A test database is thrown away: its commits (migrations, live-server and
    # flushing tests) need not wait for the disk.
    DATABASES["default"]["OPTIONS"]["options"] += " -c synchronous_commit=off"  # noqa: F405
# Sign-in throttling off; tests/matrices/test_hardening.py switches it on where it
# is tested.
AXES_ENABLED = False
# Background tasks (alerts, Wagtail's housekeeping) run in-process as they are
# queued; the alert tests also drive the database queue and its worker. The
# factories hold theirs until they are done (tests/task_backend.py).
TASKS = {"default": {"BACKEND": "tests.task_backend.ImmediateBackendHoldingRepeats"}}
