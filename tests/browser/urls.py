"""The site's URLs plus uploaded media, so the browser sees the real pictures.

Production serves media from object storage or the web server; the test settings
keep DEBUG off, where the site's own urls.py serves none.
"""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from newsroom_site.urls import urlpatterns as site_urlpatterns


def media(request, path):
    # MEDIA_ROOT is read per request: the tests give each test its own folder.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    re_path(r"^media/(?P<path>.+)$", media),
    *site_urlpatterns,
]
