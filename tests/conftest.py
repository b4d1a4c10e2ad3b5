import pytest
from wagtail.models import Site

from newsroom.site_tree import ensure_site_tree


@pytest.fixture
def newsroom(db):
    return ensure_site_tree()


@pytest.fixture
def home(newsroom):
    return newsroom.get_parent().specific


@pytest.fixture
def site(newsroom):
    return Site.objects.get(is_default_site=True)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
