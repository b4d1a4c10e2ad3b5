"""Personal embargo links: a Moderator sends a scheduled release to accredited
journalists; each gets a link of their own by email, once, in their language; the
copy carries their name; each link dies on its own revocation or at go-live; the
admin shows who received and opened what."""

import datetime
import re
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from newsroom.alerts import embargo_mail
from newsroom.alerts.tasks import send_embargo_links
from newsroom.models import (
    EmbargoDelivery,
    EmbargoLink,
    EmbargoView,
    Journalist,
    PressReleasePage,
)
from tests.factories import make_release

SEND_URL = "/admin/newsroom/embargo/send/"
REPORT_URL = "/admin/newsroom/embargo/recipients/"
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def journalists(db):
    return [
        Journalist.objects.create(
            name="Ayu Lestari", outlet="Kompas", email="ayu@example.org", language="id"
        ),
        Journalist.objects.create(
            name="Tom Hart", outlet="Reuters", email="tom@example.org", language="en"
        ),
    ]


def send(client, release, journalists, capture):
    with capture(execute=True):
        return client.post(
            SEND_URL,
            {"release": release.pk, "journalists": [j.pk for j in journalists]},
        )


def link_in(message):
    return re.search(r"https?://\S+/embargo/[\w-]+/", message.body).group(0)


def path_of(url):
    return "/" + url.split("/", 3)[3]


def test_moderator_sends_one_personal_link_each_by_email(
    moderator_client,
    scheduled,
    journalists,
    go_live,
    django_capture_on_commit_callbacks,
):
    response = send(
        moderator_client, scheduled, journalists, django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert response["Location"] == f"{REPORT_URL}?release={scheduled.pk}"
    links = {link.journalist.email: link for link in EmbargoLink.objects.all()}
    assert set(links) == {"ayu@example.org", "tom@example.org"}
    assert links["tom@example.org"].recipient == "Tom Hart, Reuters"
    assert all(link.expires_at == go_live for link in links.values())
    assert len({link.token for link in links.values()}) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(links)
    by_address = {m.to[0]: m for m in mail.outbox}
    for address, link in links.items():
        assert path_of(link_in(by_address[address])) == link.get_absolute_url()
    # Each in the journalist's language.
    assert "EMBARGOED UNTIL" in by_address["tom@example.org"].body
    assert "Dear Tom Hart" in by_address["tom@example.org"].body
    assert "EMBARGO HINGGA" in by_address["ayu@example.org"].body
    assert "Cobalt refinery approved" in by_address["ayu@example.org"].subject
    assert set(EmbargoDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_the_email_goes_once_even_if_the_task_runs_twice(
    scheduled, journalists, press_moderator
):
    ids, _ = embargo_mail.issue_links(scheduled, journalists, press_moderator)
    first = send_embargo_links.call(ids)
    second = send_embargo_links.call(ids)
    assert (first["sent"], second["sent"]) == (2, 0)
    assert len(mail.outbox) == 2
    assert EmbargoDelivery.objects.filter(status="sent", attempts=1).count() == 2


def test_a_refused_email_is_recorded_as_failed(scheduled, journalists):
    import smtplib

    ids, _ = embargo_mail.issue_links(scheduled, journalists[:1])
    refusal = smtplib.SMTPRecipientsRefused({"ayu@example.org": (550, b"no")})
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=refusal,
    ):
        report = embargo_mail.send_embargo_deliveries(ids)
    assert report.failed == 1
    assert EmbargoDelivery.objects.get().status == "failed"
    assert embargo_mail.send_embargo_deliveries(ids).sent == 0


def test_sending_again_makes_no_second_link(
    moderator_client, scheduled, journalists, django_capture_on_commit_callbacks
):
    send(
        moderator_client, scheduled, journalists[:1], django_capture_on_commit_callbacks
    )
    response = send(
        moderator_client, scheduled, journalists, django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert EmbargoLink.objects.count() == 2
    assert EmbargoLink.objects.filter(journalist=journalists[0]).count() == 1
    assert len(mail.outbox) == 2
    # Once revoked, a new link can be sent.
    EmbargoLink.objects.update(revoked_at=timezone.now())
    send(
        moderator_client, scheduled, journalists[:1], django_capture_on_commit_callbacks
    )
    assert EmbargoLink.objects.filter(journalist=journalists[0]).count() == 2


def test_only_scheduled_releases_and_active_journalists_can_be_sent(
    moderator_client,
    newsroom,
    scheduled,
    journalists,
    django_capture_on_commit_callbacks,
):
    published = make_release("Already public")
    response = send(
        moderator_client, published, journalists, django_capture_on_commit_callbacks
    )
    assert response.status_code == 200
    assert "Only a release scheduled for later" in response.content.decode()
    journalists[1].active = False
    journalists[1].save()
    response = send(
        moderator_client, scheduled, journalists, django_capture_on_commit_callbacks
    )
    assert response.status_code == 200
    assert not EmbargoLink.objects.exists()
    assert not mail.outbox


def test_the_copy_is_marked_with_its_recipient_and_every_open_logged(
    client, scheduled, journalists, go_live
):
    embargo_mail.issue_links(scheduled, journalists)
    ayu, tom = (EmbargoLink.objects.get(journalist=j) for j in journalists)
    page = client.get(ayu.get_absolute_url()).content.decode()
    assert "EMBARGOED UNTIL" in page
    assert "Personal copy for Ayu Lestari, Kompas" in page
    assert 'class="embargo-mark"' in page  # fixed in view: in every screenshot
    assert "Tom Hart" not in page
    client.get(ayu.get_absolute_url())
    client.get(tom.get_absolute_url())
    assert EmbargoView.objects.filter(link=ayu).count() == 2
    assert EmbargoView.objects.filter(link=tom).count() == 1


def test_revoking_one_link_leaves_the_others_working(client, scheduled, journalists):
    embargo_mail.issue_links(scheduled, journalists)
    ayu, tom = (EmbargoLink.objects.get(journalist=j) for j in journalists)
    ayu.revoked_at = timezone.now()
    ayu.save()
    assert client.get(ayu.get_absolute_url()).status_code == 410
    response = client.get(tom.get_absolute_url())
    assert response.status_code == 200
    assert "Personal copy for Tom Hart, Reuters" in response.content.decode()


def test_a_revoked_link_is_not_mailed(scheduled, journalists):
    ids, _ = embargo_mail.issue_links(scheduled, journalists)
    EmbargoLink.objects.filter(journalist=journalists[0]).update(
        revoked_at=timezone.now()
    )
    report = embargo_mail.send_embargo_deliveries(ids)
    assert (report.sent, report.dropped) == (1, 1)
    assert [m.to[0] for m in mail.outbox] == ["tom@example.org"]


def test_personal_links_die_at_go_live(client, scheduled, journalists, go_live):
    embargo_mail.issue_links(scheduled, journalists)
    links = list(EmbargoLink.objects.all())
    with mock.patch(
        "django.utils.timezone.now",
        return_value=go_live + datetime.timedelta(minutes=1),
    ):
        call_command("publish_scheduled", verbosity=0)
        for link in links:
            response = client.get(link.get_absolute_url())
            assert response.status_code == 302
            assert response["Location"] == f"/news/{scheduled.slug}/"
    public = client.get(f"/news/{scheduled.slug}/").content.decode()
    assert "Personal copy" not in public


def test_the_report_shows_recipients_sending_and_openings(
    moderator_client, client, scheduled, journalists, django_capture_on_commit_callbacks
):
    send(moderator_client, scheduled, journalists, django_capture_on_commit_callbacks)
    ayu = EmbargoLink.objects.get(journalist=journalists[0])
    client.get(ayu.get_absolute_url())
    response = moderator_client.get(f"{REPORT_URL}?release={scheduled.pk}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ayu Lestari, Kompas" in page and "Tom Hart, Reuters" in page
    assert page.count("Sent ") >= 2
    assert page.count("Not opened") == 1
    assert moderator_client.get(f"{REPORT_URL}?release=x").status_code == 400
    assert moderator_client.get(f"{REPORT_URL}?release=999999").status_code == 404


def test_the_dashboard_links_openings_to_the_report(
    moderator_client, client, scheduled, journalists
):
    embargo_mail.issue_links(scheduled, journalists)
    client.get(EmbargoLink.objects.first().get_absolute_url())
    page = moderator_client.get("/admin/").content.decode()
    assert f"{REPORT_URL}?release={scheduled.pk}" in page


@pytest.mark.parametrize("url", [SEND_URL, REPORT_URL])
def test_editors_are_refused(editor_client, url, scheduled, journalists):
    assert editor_client.get(url).status_code in (302, 403)
    response = editor_client.post(
        SEND_URL,
        {"release": scheduled.pk, "journalists": [j.pk for j in journalists]},
    )
    assert response.status_code in (302, 403)
    assert not EmbargoLink.objects.exists()
    assert editor_client.get("/admin/snippets/newsroom/journalist/").status_code in (
        302,
        403,
    )


def test_a_hostile_name_stays_text(
    client, moderator_client, scheduled, django_capture_on_commit_callbacks
):
    hostile = Journalist.objects.create(
        name=HOSTILE, outlet=f"{HOSTILE} Daily", email="x@example.org"
    )
    send(moderator_client, scheduled, [hostile], django_capture_on_commit_callbacks)
    link = EmbargoLink.objects.get()
    for page in (
        client.get(link.get_absolute_url()).content.decode(),
        moderator_client.get(f"{REPORT_URL}?release={scheduled.pk}").content.decode(),
        mail.outbox[0].alternatives[0][0],
    ):
        assert HOSTILE not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_indonesian_release_carries_the_mark_in_indonesian(
    client, newsroom, go_live
):
    from wagtail.models import Locale

    from newsroom.editorial.site_tree import ensure_site_tree

    berita = ensure_site_tree(Locale.objects.get(language_code="id"))
    release = make_release("Kilang kobalt disetujui", parent=berita, go_live_at=go_live)
    release = PressReleasePage.objects.get(pk=release.pk)
    journalist = Journalist.objects.create(
        name="Ayu Lestari", outlet="Kompas", email="ayu@example.org", language="id"
    )
    embargo_mail.issue_links(release, [journalist])
    page = client.get(EmbargoLink.objects.get().get_absolute_url()).content.decode()
    assert "Salinan pribadi untuk Ayu Lestari, Kompas" in page


def test_the_mark_is_inert_markup(client, scheduled):
    """The escaping matrix's own check of a page (tests/matrices)."""
    from tests.matrices.test_escaping_matrix import PAYLOAD, HtmlOutput

    hostile = Journalist.objects.create(
        name=PAYLOAD[:200], outlet=PAYLOAD[:200], email="h@example.org"
    )
    embargo_mail.issue_links(scheduled, [hostile])
    output = HtmlOutput(client.get(EmbargoLink.objects.get().get_absolute_url()))
    assert output.shows(f"Personal copy for {PAYLOAD[:200]}, {PAYLOAD[:200]}")
