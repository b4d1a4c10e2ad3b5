"""Every kind of public page, as a reader's browser gets it, on the demo site.

For each page, at 375 px and 1280 px wide: axe-core finds no WCAG 2.2 AA
violation in the light or the dark scheme and nothing scrolls sideways. The HTML
the server sent passes the Nu Html Checker with no error (warnings are reported at
the end of the run). The listing with its filters panel open passes axe too, and
screenshots of the listing and a release at both widths in both schemes go to
build/screenshots/ for a person to look at. The demo is loaded once for the
module: it takes longer to load than to check.
"""

import datetime
from urllib.parse import urlencode

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.loading.demo_site import load_demo
from newsroom.models import (
    Correction,
    Official,
    Organisation,
    PressReleasePage,
    Region,
    Sector,
    Topic,
)
from tests.browser.remote import in_browser
from tests.browser.shared_data import committed_once
from tests.browser.support import (
    REPORT,
    SCREENSHOTS,
    WIDTHS,
    axe_violations,
    check_html,
    describe_violations,
    horizontal_overflow,
)
from tests.factories import every_block_body, make_release

# The tests only read the demo, loaded once for them all.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(serialized_rollback=True)]


def release_with_every_block(newsroom):
    """A release using every body block (but embeds, which need the network)."""
    official = Official.objects.get(name="Eko S.A. Cahyanto")
    image = get_image_model().objects.exclude(title__startswith="Portrait").first()
    document = get_document_model()(title="Joint statement (PDF)")
    document.file.save("joint-statement.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    related = PressReleasePage.objects.live().order_by("-release_date").first()
    body = every_block_body(official, image, document)
    release = make_release(
        "Every block in one release",
        release_date=datetime.date(2024, 10, 2),
        standfirst="A release that shows every kind of content a release can hold.",
        dateline="Jakarta",
        reference="HM.01/2024",
        hero_image=image,
        body=body,
        officials=[(official, "Secretary General, Ministry of Industry", True)],
        sectors=list(Sector.objects.filter(name="Steel")[:1]),
        regions=list(Region.objects.filter(name="Jakarta")[:1]),
        organisations=list(Organisation.objects.filter(name="Ministry of Industry")),
        media_contact_name="Public Relations Bureau",
        media_contact_email="humas@example.go.id",
        media_contact_phone="+62 21 525 5509",
        parent=newsroom,
    )
    release.related_links.create(release=related)
    Correction.objects.create(
        page=release,
        date=datetime.datetime(2024, 10, 3, 9, 0, tzinfo=datetime.UTC),
        note="The investment figure was corrected.",
    )
    release.save_revision().publish()
    return release


def withdrawn_release(newsroom):
    return make_release(
        "A statement withdrawn",
        release_date=datetime.date(2024, 10, 1),
        withdrawn=True,
        withdrawn_on=datetime.date(2024, 10, 4),
        withdrawal_reason="It was issued in error.",
        parent=newsroom,
    )


def one_page_of_each_kind():
    """[(name, path, status)]: one page of each kind, on the demo site."""
    load_demo()
    newsroom = ensure_site_tree()
    news = newsroom.url
    # The Indonesian side: its newsroom and the demo release's translation.
    berita = ensure_site_tree(Locale.objects.get(language_code="id"))
    sector = Sector.objects.get(name="Nickel Smelting")
    region = Region.objects.get(name="Central Sulawesi")
    release = PressReleasePage.objects.get(
        slug="indonesia-china-green-industry-cooperation"
    )
    official = Official.objects.get(name="Eko S.A. Cahyanto")
    organisation = Organisation.objects.get(name="Ministry of Industry")
    topic = Topic.objects.get(name="nickel")
    filters = urlencode({"sector": sector.slug, "region": region.slug})
    return [
        ("home", "/", 200),
        ("listing", news, 200),
        ("listing with filters", f"{news}?{filters}", 200),
        ("search results", f"{news}?q=nickel", 200),
        ("release", release.url, 200),
        ("release, every block", release_with_every_block(newsroom).url, 200),
        ("release, withdrawn", withdrawn_release(newsroom).url, 200),
        ("hub official", official.get_absolute_url(), 200),
        ("hub sector", sector.get_absolute_url(), 200),
        ("hub region", region.get_absolute_url(), 200),
        ("hub organisation", organisation.get_absolute_url(), 200),
        ("hub topic", topic.get_absolute_url(), 200),
        *(
            (f"hub index {kind}", f"{news}{kind}/", 200)
            for kind in ("officials", "sectors", "regions", "organisations", "topics")
        ),
        ("not found", f"{news}no-such-release/", 404),
        ("Indonesian home", berita.get_parent().url, 200),
        ("Indonesian listing with filters", f"{berita.url}?{filters}", 200),
        (
            "Indonesian release",
            PressReleasePage.objects.child_of(berita).live().first().url,
            200,
        ),
    ]


demo_pages = committed_once(one_page_of_each_kind)


def page_weight(page, path):
    """Bytes of HTML, CSS and JS a first visit to ``path`` downloads (uncompressed)."""
    return in_browser(_page_weight, page, path)


def _page_weight(page, path):
    sizes = {"document": 0, "stylesheet": 0, "script": 0}
    responses = []

    def record(response):
        responses.append(response)

    page.on("response", record)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", record)
    for response in responses:
        kind = response.request.resource_type
        if kind in sizes and response.ok:
            sizes[kind] += len(response.body())
    return {
        "html": sizes["document"],
        "css": sizes["stylesheet"],
        "js": sizes["script"],
        "total": sum(sizes.values()),
    }


def test_every_page_passes_axe_fits_both_widths_and_is_valid_html(
    new_page, demo_pages, subtests, tmp_path
):
    documents = {}
    for width in WIDTHS:
        page = new_page(width=width)
        for name, path, status in demo_pages:
            label = f"{name} @{width}px"
            response = page.goto(path)
            with subtests.test(msg="status", page=name, width=width):
                assert response.status == status, path
            if width == WIDTHS[-1]:
                documents[name] = response.text()

            with subtests.test(msg="axe", page=name, width=width):
                violations = axe_violations(page)
                REPORT["axe"][label] = {v["id"]: len(v["targets"]) for v in violations}
                assert not violations, f"{path}\n{describe_violations(violations)}"

            # The dark scheme has contrast guarantees of its own (issue #25).
            with subtests.test(msg="axe, dark scheme", page=name, width=width):
                page.emulate_media(color_scheme="dark")
                try:
                    violations = axe_violations(page)
                finally:
                    page.emulate_media(color_scheme="light")
                REPORT["axe"][f"{label} dark"] = {
                    v["id"]: len(v["targets"]) for v in violations
                }
                assert not violations, f"{path}\n{describe_violations(violations)}"

            with subtests.test(msg="no horizontal scroll", page=name, width=width):
                sizes = horizontal_overflow(page)
                REPORT["scroll"][label] = (
                    f"{sizes['scrollWidth']} <= {sizes['innerWidth']}"
                )
                assert sizes["scrollWidth"] <= sizes["innerWidth"], (
                    f"{path} scrolls sideways: {sizes}"
                )

    results = check_html(documents, tmp_path / "html")
    REPORT["html"].update(results)
    for name, result in results.items():
        with subtests.test(msg="valid HTML", page=name):
            assert not result["errors"], "\n".join(result["errors"])

    page = new_page()
    for name, path, _ in demo_pages:
        if name in ("listing", "release"):
            REPORT["weight"][name] = page_weight(page, path)


def test_axe_in_both_schemes_with_the_filters_open_and_screenshots(
    demo_pages, new_page, subtests
):
    paths = {name: path for name, path, _ in demo_pages}
    release = PressReleasePage.objects.live().filter(hero_image__isnull=False)
    shown = {"listing": paths["listing"], "release": release.first().url}
    phone = WIDTHS[0]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        for width in WIDTHS:
            page = new_page(width=width)
            page.emulate_media(color_scheme=scheme)
            for name, path in shown.items():
                page.goto(path)
                # the whole release, so its picture's caption band shows
                page.screenshot(
                    path=SCREENSHOTS / f"{name}-{width}-{scheme}.png",
                    full_page=name == "release",
                )
                if name == "listing" and width == phone:
                    page.locator(".filters-panel__toggle").click()
                    with subtests.test(page="open panel", width=width, scheme=scheme):
                        violations = axe_violations(page)
                        assert not violations, describe_violations(violations)
                    page.screenshot(
                        path=SCREENSHOTS / f"listing-{width}-{scheme}-filters.png"
                    )
