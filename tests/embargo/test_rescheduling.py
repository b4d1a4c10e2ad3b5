"""Go-live and embargo expiry stay one moment when a release is rescheduled
(issue #26, item 3): links that ended at the old time end at the new one."""

import datetime

from django.utils import timezone

from newsroom.models import EmbargoLink, PressReleasePage


def link_to(page, recipient, **fields):
    """A link as the admin form makes it: a blank expiry is the go-live time."""
    link = EmbargoLink(page=page, recipient=recipient, **fields)
    link.clean()
    link.save()
    return link


def reschedule(release, when):
    page = PressReleasePage.objects.get(pk=release.pk)
    page.go_live_at = when
    page.save_revision().publish()
    return PressReleasePage.objects.get(pk=release.pk)


def test_links_ending_at_go_live_follow_a_later_go_live(scheduled, go_live):
    at_go_live = link_to(scheduled, "Antara")
    own_time = go_live - datetime.timedelta(hours=3)
    earlier = link_to(scheduled, "Reuters", expires_at=own_time)
    assert at_go_live.expires_at == go_live  # a blank expiry is the go-live
    later = go_live + datetime.timedelta(days=2)
    page = reschedule(scheduled, later)
    assert page.scheduled_revision.approved_go_live_at == later
    at_go_live.refresh_from_db()
    earlier.refresh_from_db()
    assert at_go_live.expires_at == later
    assert at_go_live.is_usable
    assert earlier.expires_at == own_time  # a time of its own is kept


def test_an_earlier_go_live_shortens_the_links_too(scheduled, go_live):
    link = link_to(scheduled, "Antara")
    sooner = timezone.now() + datetime.timedelta(hours=2)
    sooner = sooner.replace(second=0, microsecond=0)
    reschedule(scheduled, sooner)
    link.refresh_from_db()
    assert link.expires_at == sooner


def test_revoked_links_and_other_releases_are_left_alone(scheduled, go_live):
    from tests.factories import make_release

    other = make_release("Another embargo", go_live_at=go_live)
    theirs = link_to(other, "Antara")
    revoked = link_to(scheduled, "Kompas", revoked_at=timezone.now())
    reschedule(scheduled, go_live + datetime.timedelta(days=1))
    theirs.refresh_from_db()
    revoked.refresh_from_db()
    assert theirs.expires_at == go_live
    assert revoked.expires_at == go_live


def test_a_draft_saved_meanwhile_changes_nothing(scheduled, go_live):
    link = link_to(scheduled, "Antara")
    page = PressReleasePage.objects.get(pk=scheduled.pk)
    page.title = "Cobalt refinery approved, with figures"
    page.save_revision()
    link.refresh_from_db()
    assert link.expires_at == go_live
