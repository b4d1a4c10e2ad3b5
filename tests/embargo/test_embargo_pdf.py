"""The embargoed PDF: a holder of a personal link downloads the scheduled release
as a PDF carrying the banner and their own mark on every page, logged as an open
of the PDF; the link's end (revocation, expiry, go-live) ends the PDF with it."""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Locale, Revision
from wagtail.rich_text import RichText

from newsroom.alerts import embargo_mail
from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.models import EmbargoLink, EmbargoView, Journalist, PressReleasePage
from tests.factories import make_release
from tests.presskit.test_downloads import pdf_text


@pytest.fixture
def links(scheduled):
    journalists = [
        Journalist.objects.create(
            name="Ayu Lestari", outlet="Kompas", email="ayu@example.org", language="id"
        ),
        Journalist.objects.create(
            name="Tom Hart", outlet="Reuters", email="tom@example.org", language="en"
        ),
    ]
    embargo_mail.issue_links(scheduled, journalists)
    return [EmbargoLink.objects.get(journalist=j) for j in journalists]


def pdf_of(client, link):
    return client.get(f"{link.get_absolute_url()}release.pdf")


def test_the_holder_gets_a_pdf_with_the_banner_and_their_mark(client, links):
    ayu, tom = links
    response = pdf_of(client, ayu)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Robots-Tag"] == "noindex, nofollow, noarchive"
    assert (
        "no-cache" in response["Cache-Control"]
        or "max-age=0" in (response["Cache-Control"])
    )
    text = pdf_text(response.content)
    assert "Cobalt refinery approved" in text
    assert "EMBARGOED UNTIL" in text
    assert "Not for publication or broadcast before this time." in text
    assert "Personal copy for Ayu Lestari, Kompas" in text
    assert "Tom Hart" not in text
    other = pdf_text(pdf_of(client, tom).content)
    assert "Personal copy for Tom Hart, Reuters" in other
    assert "Ayu Lestari" not in other


def test_the_mark_is_on_every_page(client, newsroom, go_live):
    paragraph = RichText("<p>" + "Nickel ore exports rose again. " * 120 + "</p>")
    long_body = [("paragraph", paragraph)] * 6
    release = make_release("Long embargoed release", go_live_at=go_live, body=long_body)
    journalist = Journalist.objects.create(
        name="Tom Hart", outlet="Reuters", email="tom@example.org"
    )
    embargo_mail.issue_links(PressReleasePage.objects.get(pk=release.pk), [journalist])
    content = pdf_of(client, EmbargoLink.objects.get()).content
    pages = pdf_text(content).count("Personal copy for Tom Hart, Reuters")
    assert pages >= 3  # the banner once, then the margin of each page


def test_each_pdf_open_is_logged_as_a_pdf(client, links):
    ayu, _ = links
    client.get(ayu.get_absolute_url())
    pdf_of(client, ayu)
    pdf_of(client, ayu)
    documents = sorted(EmbargoView.objects.filter(link=ayu).values_list("document"))
    assert documents == [("page",), ("pdf",), ("pdf",)]


def test_the_report_says_which_copy_was_opened(moderator_client, client, links):
    ayu, _ = links
    pdf_of(client, ayu)
    report = moderator_client.get(
        f"/admin/newsroom/embargo/recipients/?release={ayu.page_id}"
    ).content.decode()
    assert "(the PDF)" in report


def test_the_preview_links_the_holders_pdf_not_the_public_ones(client, links):
    ayu, _ = links
    page = client.get(ayu.get_absolute_url()).content.decode()
    assert f'href="{ayu.get_absolute_url()}release.pdf"' in page
    assert "press-kit.zip" not in page
    assert "ninjs.json" not in page


def test_a_revoked_link_gives_no_pdf(client, links):
    ayu, tom = links
    ayu.revoked_at = timezone.now()
    ayu.save()
    response = pdf_of(client, ayu)
    assert response.status_code == 410
    assert b"%PDF" not in response.content
    assert b"Cobalt" not in response.content
    assert pdf_of(client, tom).status_code == 200
    assert not EmbargoView.objects.filter(link=ayu).exists()


def test_an_unknown_token_is_not_found(client, links):
    assert client.get("/embargo/not-a-token/release.pdf").status_code == 404


def test_after_go_live_the_link_leads_to_the_public_pdf(
    client, scheduled, links, go_live
):
    later = go_live + datetime.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled", verbosity=0)
        response = pdf_of(client, links[0])
    assert response.status_code == 302
    assert response["Location"] == f"/news/{scheduled.slug}/release.pdf"
    public = client.get(response["Location"])
    assert public.status_code == 200
    text = pdf_text(public.content)
    assert "EMBARGOED" not in text and "Personal copy" not in text


def test_an_unscheduled_release_gives_no_pdf(client, scheduled, links):
    # What "Cancel scheduled publish" leaves: no approved go-live time.
    Revision.page_revisions.filter(object_id=str(scheduled.pk)).update(
        approved_go_live_at=None
    )
    response = pdf_of(client, links[0])
    assert response.status_code == 410
    assert b"Cobalt" not in response.content


def test_the_public_pdf_of_a_scheduled_release_stays_a_404(client, scheduled, links):
    pdf_of(client, links[0])  # the holder's cookie opens no public download
    for name in ("release.pdf", "press-kit.zip", "ninjs.json"):
        assert client.get(f"/news/{scheduled.slug}/{name}").status_code == 404


def test_an_indonesian_release_gives_an_indonesian_copy(client, newsroom, go_live):
    berita = ensure_site_tree(Locale.objects.get(language_code="id"))
    release = make_release("Kilang kobalt disetujui", parent=berita, go_live_at=go_live)
    journalist = Journalist.objects.create(
        name="Ayu Lestari", outlet="Kompas", email="ayu@example.org", language="id"
    )
    embargo_mail.issue_links(PressReleasePage.objects.get(pk=release.pk), [journalist])
    link = EmbargoLink.objects.get()
    text = pdf_text(pdf_of(client, link).content)
    assert "EMBARGO HINGGA" in text
    assert "Tidak untuk dipublikasikan atau disiarkan sebelum waktu ini." in text
    assert "Salinan pribadi untuk Ayu Lestari, Kompas" in text
    page = client.get(link.get_absolute_url()).content.decode()
    assert "EMBARGO HINGGA" in page
    assert "Salinan embargo Anda dalam PDF" in page
    assert '<html lang="id"' in page


def test_a_hostile_name_stays_text_in_the_pdf(client, scheduled):
    hostile = '"; } @page { content: "x"; } <script>alert(1)</script>'
    journalist = Journalist.objects.create(
        name=hostile, outlet="Outlet", email="h@example.org"
    )
    embargo_mail.issue_links(scheduled, [journalist])
    response = pdf_of(client, EmbargoLink.objects.get())
    assert response.status_code == 200
    assert "<script>alert(1)</script>" in pdf_text(response.content)


def test_an_expired_link_gives_no_pdf_while_the_release_waits(client, links):
    ayu, tom = links
    ayu.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    ayu.save()
    response = pdf_of(client, ayu)
    assert response.status_code == 410
    assert b"Cobalt" not in response.content
    assert pdf_of(client, tom).status_code == 200
