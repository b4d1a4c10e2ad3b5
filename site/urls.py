from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from newsroom.alerts import views as alert_views
from newsroom.channels.agenda import serve_calendar
from newsroom.channels.api import api_router
from newsroom.channels.contacts import serve_vcard
from newsroom.channels.documents import serve_release_download
from newsroom.channels.embargo import embargo_pdf, embargo_preview
from newsroom.channels.exports import serve_export_csv
from newsroom.channels.figures import figures_api
from newsroom.channels.picture_serving import serve_media, serve_picture_download
from newsroom.channels.seo import LanguageSitemap, robots_txt
from newsroom.channels.views import healthz

# A database outage is a 503 with Retry-After, wherever in the request it struck.
handler500 = "newsroom.channels.resilience.server_error"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Totals rather than a list of objects: a view of its own beside the router's.
    path("api/v2/figures/", figures_api, name="figures_api"),
    path("api/v2/", api_router.urls),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("healthz", healthz, name="healthz"),
    # Tokens are URL-safe base64 (secrets.token_urlsafe): anything else, a NUL
    # byte PostgreSQL cannot even compare included, is no link at all.
    re_path(
        r"^embargo/(?P<token>[A-Za-z0-9_-]{1,64})/$",
        embargo_preview,
        name="embargo_preview",
    ),
    re_path(
        r"^embargo/(?P<token>[A-Za-z0-9_-]{1,64})/release\.pdf$",
        embargo_pdf,
        name="embargo_pdf",
    ),
]

# Pictures of unpublished releases go only to editors and embargo holders: Django
# decides for every picture file (nginx sends it: README, "Deploying"); other
# uploads are served by Django in development only, as before.
urlpatterns.append(
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", serve_media)
)

#  Pages in the reader's language: English without a prefix (every URL of
# docs/contracts.md  stays as it is), Indonesian under /id/. The language comes from the
# path only.
urlpatterns += i18n_patterns(
    # Email alerts in the reader's language: /alerts/... and /id/alerts/...; the
    # links in an alert email are reversed in the subscription's language.
    path("alerts/subscribe/", alert_views.subscribe, name="alerts_subscribe"),
    path(
        "alerts/subscribe/sent/",
        alert_views.subscribe_sent,
        name="alerts_subscribe_sent",
    ),
    path("alerts/confirm/<str:token>/", alert_views.confirm, name="alerts_confirm"),
    path("alerts/manage/<str:token>/", alert_views.manage, name="alerts_manage"),
    path(
        "alerts/unsubscribe/<str:token>/",
        alert_views.unsubscribe,
        name="alerts_unsubscribe",
    ),
    # /sitemap.xml lists the English pages, /id/sitemap.xml the Indonesian ones.
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"wagtail": LanguageSitemap}},
        name="sitemap",
    ),
    # Wagtail serves only slash-terminated paths; the CSV keeps its .csv name.
    re_path(
        r"^(?P<path>(?:[\w\-]+/)*)export\.csv$", serve_export_csv, name="export_csv"
    ),
    # The agenda's, an event's and each hub's calendars, likewise.
    re_path(r"^(?P<path>(?:[\w\-]+/)*)calendar\.ics$", serve_calendar, name="calendar"),
    # A release's pictures as downloads named after it: <release URL>media/<name>.
    re_path(
        r"^(?P<path>(?:[\w\-]+/)+)media/(?P<filename>[\w\-]+\.\w+)$",
        serve_picture_download,
        name="picture_download",
    ),
    # A release's PDF, press kit and ninjs, and media contacts' vCards, likewise.
    re_path(
        r"^(?P<path>(?:[\w\-]+/)*)(?P<name>release\.pdf|press-kit\.zip|ninjs\.json)$",
        serve_release_download,
        name="release_download",
    ),
    re_path(
        r"^(?P<path>(?:[\w\-]+/)*)contacts/(?P<slug>[-\w]+)\.vcf$",
        serve_vcard,
        name="contact_vcard",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
