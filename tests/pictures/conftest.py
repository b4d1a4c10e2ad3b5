import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from newsroom.models import EmbargoLink


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def go_live():
    return (timezone.now() + datetime.timedelta(days=1)).replace(
        second=0, microsecond=0
    )


@pytest.fixture
def editor_client(client, db):
    user = get_user_model().objects.create_superuser(
        "pic-editor", "p@example.go.id", "x"
    )
    client.force_login(user)
    return client


def embargo_link(page, recipient="Reuters Jakarta"):
    revision = page.scheduled_revision
    return EmbargoLink.objects.create(
        page=page, recipient=recipient, expires_at=revision.approved_go_live_at
    )
