"""A release scheduled for tomorrow, the subject of every embargo test."""

import datetime

import pytest
from django.utils import timezone

from newsroom.models import PressReleasePage
from tests.factories import make_release


@pytest.fixture
def go_live():
    return (timezone.now() + datetime.timedelta(days=1)).replace(
        second=0, microsecond=0
    )


@pytest.fixture
def scheduled(newsroom, go_live):
    release = make_release(
        "Cobalt refinery approved",
        standfirst="A cobalt refinery gets the green light.",
        go_live_at=go_live,
    )
    return PressReleasePage.objects.get(pk=release.pk)
