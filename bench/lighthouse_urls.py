"""The site's URLs plus /media/, for the Lighthouse run only.

Production serves uploaded pictures from the web server or object storage, not from
Django; without them every page with a picture would log 404s and Lighthouse would
audit pages that are not what readers get.
"""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from newsroom_site.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    re_path(r"^media/(?P<path>.+)$", serve, {"document_root": settings.MEDIA_ROOT}),
    *site_urlpatterns,
]
