"""Hardening: response headers and the Content-Security-Policy by area, sign-in
throttling (django-axes), upload limits and how documents are served.

The policies themselves are tried in Chromium in tests/browser/test_csp.py.
"""

import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client, RequestFactory
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from newsroom.channels.security import client_ip_address
from tests.settings_probe import run_probe

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"


def directives(policy):
    """{"script-src": ["'self'"], ...} from a policy header."""
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def settings_probe(module, names, **environ):
    """The values of settings ``names`` under ``module`` and ``environ``."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}, "
        "default=str))"
    )
    return run_probe(code, module, **environ)


@pytest.fixture
def webteam(db):
    return get_user_model().objects.create_superuser(
        "webteam", "web@example.go.id", PASSWORD
    )


@pytest.fixture
def admin_client(webteam):
    client = Client()
    client.force_login(webteam)
    return client


# --- Headers and the Content-Security-Policy


def test_public_pages_get_the_strict_policy_and_the_security_headers(home):
    client = Client()
    first = client.get("/")
    again = client.get("/")
    assert first.status_code == again.status_code == 200
    assert again["X-Cache"] == "hit"  # answered by the response cache
    for response in (first, again):
        policy = directives(response["Content-Security-Policy"])
        assert policy == {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            "style-src": ["'self'"],
            "img-src": ["'self'", "data:"],
            "media-src": ["'self'"],
            "font-src": ["'self'"],
            "connect-src": ["'self'"],
            "frame-src": [
                "https://www.youtube.com",
                "https://www.youtube-nocookie.com",
                "https://player.vimeo.com",
            ],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "form-action": ["'self'"],
            "frame-ancestors": ["'none'"],
        }
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "Content-Security-Policy-Report-Only" not in response


def test_the_admin_gets_its_own_policy_signed_in_or_not(home, admin_client):
    for client, path in ((Client(), "/admin/login/"), (admin_client, "/admin/")):
        response = client.get(path)
        assert response.status_code == 200
        policy = directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["img-src"] == ["'self'", "data:", "blob:"]
        assert policy["frame-src"][0] == "'self'"
        assert policy["frame-ancestors"] == ["'self'"]
        for name in ("object-src", "base-uri", "form-action", "default-src"):
            assert "unsafe" not in " ".join(policy[name])
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"


def test_no_public_page_runs_inline_script(home):
    """The strict policy holds because no public template writes a runnable
    inline script: only JSON-LD data blocks, which browsers never run."""
    templates = ROOT / "templates"
    for path in templates.rglob("*.html"):
        text = path.read_text()
        for chunk in text.split("<script")[1:]:
            opening = chunk.split(">", 1)[0]
            assert "src=" in opening or 'type="application/ld+json"' in opening, path
        assert " on" + "click=" not in text and "javascript:" not in text, path


def test_report_only_switch_sends_the_same_policies_as_report_only(
    home, admin_client, settings
):
    probed = settings_probe(
        "newsroom_site.settings.dev",
        ["CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"],
        CSP_REPORT_ONLY="1",
        CSP_REPORT_URI="/csp-reports/",
    )
    assert probed["CONTENT_SECURITY_POLICY"] is None
    report_only = probed["CONTENT_SECURITY_POLICY_REPORT_ONLY"]["DIRECTIVES"]
    assert report_only["report-uri"] == ["/csp-reports/"]

    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    for client, path, script_src in (
        (Client(), "/", ["'self'"]),
        (admin_client, "/admin/", ["'self'", "'unsafe-inline'"]),
    ):
        response = client.get(path)
        assert "Content-Security-Policy" not in response
        policy = directives(response["Content-Security-Policy-Report-Only"])
        assert policy["script-src"] == script_src


def test_production_adds_https_only_headers_and_cookies():
    probed = settings_probe(
        "newsroom_site.settings.production",
        [
            "SECURE_HSTS_SECONDS",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "SECURE_SSL_REDIRECT",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "SECURE_CONTENT_TYPE_NOSNIFF",
            "SECURE_REFERRER_POLICY",
            "X_FRAME_OPTIONS",
            "CONTENT_SECURITY_POLICY",
            "AXES_ENABLED",
            "DEBUG",
        ],
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="example.org",
    )
    assert probed["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert probed["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert probed["SECURE_SSL_REDIRECT"] is True
    assert probed["SESSION_COOKIE_SECURE"] is True
    assert probed["CSRF_COOKIE_SECURE"] is True
    assert probed["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert probed["SECURE_REFERRER_POLICY"] == "strict-origin-when-cross-origin"
    assert probed["X_FRAME_OPTIONS"] == "DENY"
    assert probed["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["script-src"] == ["'self'"]
    assert probed["AXES_ENABLED"] is True
    assert probed["DEBUG"] is False


def test_production_headers_on_an_https_request(home, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    response = Client().get("/admin/login/", secure=True)
    assert response["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert response.cookies["csrftoken"]["secure"] is True
    assert "Content-Security-Policy" in response


def test_check_deploy_is_clean_under_production_settings():
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="newsroom_site.settings.production",
        SECRET_KEY="k" * 30 + "Q9!x" * 10,
        ALLOWED_HOSTS="example.org",
    )
    completed = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "WARNINGS" not in completed.stdout + completed.stderr


# --- Sign-in throttling


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    return settings


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user("editor", "e@example.go.id", PASSWORD)


def test_axes_tables_are_migrated(db):
    executor = MigrationExecutor(connection)
    targets = [key for key in executor.loader.graph.leaf_nodes() if key[0] == "axes"]
    assert targets
    assert executor.migration_plan(targets) == []  # nothing left to apply
    assert AccessAttempt.objects.count() == 0


def test_admin_sign_in_locks_after_the_failure_limit(axes_on, home, editor, webteam):
    limit = axes_on.AXES_FAILURE_LIMIT
    assert limit == 5
    client = Client()
    for attempt in range(1, limit):
        response = sign_in(client, "editor", "wrong")
        assert response.status_code == 200, attempt  # the form, with its error
        assert not signed_in(client)
    response = sign_in(client, "editor", "wrong")
    assert response.status_code == 429
    assert b"Sign-in paused" in response.content
    assert b"15 minutes" in response.content

    # Locked: the right password is refused too, and the lock holds on.
    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    assert "Content-Security-Policy" in response  # still an admin page

    # The lock is for this username from this address only.
    other_user = Client()
    assert sign_in(other_user, "webteam", PASSWORD).status_code == 302
    assert signed_in(other_user)
    elsewhere = Client()
    assert sign_in(elsewhere, "editor", PASSWORD, address="10.9.9.9").status_code == 302
    assert signed_in(elsewhere)


def test_the_lock_lifts_after_the_cool_off(axes_on, home, editor):
    client = Client()
    for _ in range(axes_on.AXES_FAILURE_LIMIT):
        sign_in(client, "editor", "wrong")
    assert sign_in(client, "editor", PASSWORD).status_code == 429

    # Fifteen minutes and a second later...
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - axes_on.AXES_COOLOFF_TIME
        - timedelta(seconds=1)
    )
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    assert signed_in(client)
    # ...and a success clears the slate (AXES_RESET_ON_SUCCESS).
    assert not AccessAttempt.objects.filter(username="editor").exists()


def test_a_success_before_the_limit_resets_the_count(axes_on, home, editor):
    client = Client()
    for _ in range(axes_on.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "editor", "wrong")
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    client.logout()
    for _ in range(axes_on.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "editor", "wrong").status_code == 200
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_client_address_behind_trusted_proxies(settings):
    factory = RequestFactory()
    forged = "6.6.6.6, 203.0.113.7, 198.51.100.2"
    request = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forged)
    settings.NEWSROOM_TRUSTED_PROXIES = 0
    assert client_ip_address(request) == "10.0.0.2"
    settings.NEWSROOM_TRUSTED_PROXIES = 1  # nginx appended the client
    assert client_ip_address(request) == "198.51.100.2"
    settings.NEWSROOM_TRUSTED_PROXIES = 2  # a CDN, then nginx
    assert client_ip_address(request) == "203.0.113.7"
    bare = factory.get("/", REMOTE_ADDR="10.0.0.3")
    assert client_ip_address(bare) == "10.0.0.3"


# --- Uploads


def png(size, mode="RGB", noise=False):
    picture = (
        PILImage.frombytes(mode, size, os.urandom(size[0] * size[1] * 3))
        if noise
        else PILImage.new(mode, size)
    )
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def upload_image(client, name, content, content_type="image/png"):
    return client.post(
        "/admin/images/add/",
        {
            "title": name,
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )


def file_errors(response):
    assert response.status_code == 200, response.status_code
    errors = response.context["form"].errors.get("file", [])
    return [str(error).replace("\xa0", " ") for error in errors]  # sizes: 10.0 MB


def test_upload_limits_are_configured(settings):
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 10 * 1024 * 1024
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 50_000_000
    assert settings.WAGTAILDOCS_MAX_UPLOAD_SIZE == 20 * 1024 * 1024
    assert "svg" not in settings.WAGTAILIMAGES_EXTENSIONS
    assert not {"html", "htm", "svg", "js", "exe", "rtf"} & set(
        settings.WAGTAILDOCS_EXTENSIONS
    )
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert settings.WAGTAILDOCS_INLINE_CONTENT_TYPES == [
        "application/pdf",
        "text/plain",
    ]
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 5 * 1024 * 1024


def test_an_oversize_image_is_refused_with_a_clear_error(admin_client):
    content = png((2000, 1900), noise=True)  # random pixels barely compress
    assert len(content) > 10 * 1024 * 1024
    errors = file_errors(upload_image(admin_client, "huge.png", content))
    assert len(errors) == 1
    assert errors[0].startswith("This file is too big (")
    assert errors[0].endswith("Maximum filesize 10.0 MB.")
    assert not get_image_model().objects.exists()


def test_an_image_of_too_many_pixels_is_refused(admin_client):
    content = png((8000, 6300), mode="1")  # 50.4 million pixels, a few kB
    errors = file_errors(upload_image(admin_client, "wide.png", content))
    assert errors == [
        "This file has too many pixels (50400000). Maximum pixels 50000000."
    ]
    assert not get_image_model().objects.exists()


def test_svg_images_are_refused(admin_client):
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.cookie)</script></svg>"
    )
    errors = file_errors(upload_image(admin_client, "logo.svg", svg, "image/svg+xml"))
    assert errors == [
        "Not a supported image format. Supported formats: GIF, JPG, JPEG, PNG, WEBP."
    ]
    # Nor through the multiple upload the admin's "Add images" page uses.
    response = admin_client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile("logo.svg", svg, "image/svg+xml")},
    )
    assert response.json()["success"] is False
    assert "Not a supported image format" in response.json()["error_message"]
    assert not get_image_model().objects.exists()


def test_a_small_png_is_accepted(admin_client):
    response = upload_image(admin_client, "fine.png", png((40, 30)))
    assert response.status_code == 302
    assert get_image_model().objects.get().width == 40


def upload_document(client, name, content):
    return client.post(
        "/admin/documents/add/",
        {
            "title": name,
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile(name, content),
        },
    )


def test_html_and_svg_documents_cannot_be_uploaded(admin_client):
    for name in ("statement.html", "chart.svg", "tool.exe", "memo.rtf"):
        errors = file_errors(upload_document(admin_client, name, b"<b>hi</b>"))
        assert len(errors) == 1 and "is not allowed" in errors[0], name
    assert not get_document_model().objects.exists()
    response = upload_document(admin_client, "statement.pdf", b"%PDF-1.4\n%%EOF\n")
    assert response.status_code == 302


def test_an_oversize_document_is_refused(admin_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024  # the form reads it when built
    errors = file_errors(upload_document(admin_client, "big.pdf", b"%PDF" * 1024))
    assert errors[0] == "This file is too big (4.0 KB). Maximum filesize 1.0 KB."
    # (Wagtail 8 then checks the extension of the file it did not keep, and adds
    # 'File extension “” is not allowed'.)
    assert not get_document_model().objects.exists()


def served(document):
    response = Client().get(document.url)
    assert response.status_code == 200
    b"".join(response.streaming_content)
    return response


def test_documents_are_served_as_attachments_but_pdf_and_text(db):
    Document = get_document_model()
    made = {}
    for name, content in (
        ("legacy.html", b"<script>alert(1)</script>"),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
        ("statement.pdf", b"%PDF-1.4\n%%EOF\n"),
        ("notes.txt", b"plain"),
    ):
        document = Document(title=name)
        # As an old import might have stored it, around the upload form's checks.
        document.file.save(name, ContentFile(content))
        made[name] = document
    for name in ("legacy.html", "drawing.svg"):
        response = served(made[name])
        assert response["Content-Disposition"].startswith("attachment;"), name
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'"
    for name in ("statement.pdf", "notes.txt"):
        response = served(made[name])
        assert response["Content-Disposition"].startswith("inline"), name
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'"


def test_an_oversize_form_body_is_refused(db):
    response = Client().post(
        "/admin/login/", {"username": "x" * (6 * 1024 * 1024), "password": "y"}
    )
    assert response.status_code == 400
