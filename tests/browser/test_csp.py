"""The Content-Security-Policy, as Chromium enforces it: nothing a page needs is
blocked, on the public site or in the Wagtail admin.

Every frame of every page reports each ``securitypolicyviolation`` event to the
test, and Chromium's console messages about the policy are kept too; after a
reader's visit (home, the listing filtered through static/js/filters.js, a
release with every kind of body block and its JSON-LD) and an editor's session
(sign-in, page explorer, a release's editor with StreamField, Draftail, the
image and official choosers, the date picker and the preview panel, an
official's snippet editor with a new appointment, the userbar on the public
site), there must be none. A last check proves the watch sees a violation when
there is one.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.documents import get_document_model

from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.loading.demo_site import save_image
from newsroom.models import Official, PressReleasePage
from tests.browser.remote import expect, in_browser
from tests.browser.support import server_idle
from tests.browser.test_editor import AUTOSAVES, autosaves_started, wait_for_autosave
from tests.factories import (
    OrganisationFactory,
    RegionFactory,
    SectorFactory,
    every_block_body,
    make_official,
    make_release,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"
TITLE = "Nickel smelters agree on green industry standards"
NEW_PARAGRAPH = "A paragraph written under the admin's policy."

# Runs first in every frame (pages, the preview iframe, block previews).
LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation({
    page: location.href,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    disposition: event.disposition,
  });
});
"""


class PolicyWatch:
    """What the browser reported against the policy, as strings."""

    def __init__(self):
        self.found = []

    def take(self):
        found, self.found = self.found, []
        return found


def watch(page):
    """Start reporting every CSP violation of ``page``'s context (before loading)."""
    log = PolicyWatch()
    in_browser(_watch, page, log)
    return log


def _watch(page, log):
    context = page.context

    def on_console(message):
        if "Content Security Policy" in message.text:
            log.found.append(f"console {message.type}: {message.text}")

    def on_violation(source, event):
        log.found.append(
            f"{event['directive']} blocked {event['blocked'] or '(inline)'} "
            f"on {event['page']} ({event['source']}:{event['line']}, "
            f"{event['disposition']})"
        )

    context.on("console", on_console)
    context.expose_binding("__cspViolation", on_violation)
    context.add_init_script(LISTENER)


@pytest.fixture
def newsroom_world():
    newsroom = ensure_site_tree()
    ministry = OrganisationFactory(name="Ministry of Industry")
    portrait = save_image("Portrait of Eko", PILImage.new("RGB", (300, 400), "#456"))
    picture = save_image("Smelter at dusk", PILImage.new("RGB", (1600, 900), "#964"))
    official = make_official(
        "Eko S.A. Cahyanto",
        [("Secretary General", ministry, "2020-01-01", None)],
        portrait=portrait,
    )
    make_official("Wang Jiangping", [("Deputy Minister", ministry, "2022-01-01", None)])
    metals = SectorFactory(name="Basic Metals")
    nickel = SectorFactory(name="Nickel Smelting", parent=metals)
    indonesia = RegionFactory(name="Indonesia", kind="country")
    sulawesi = RegionFactory(name="Central Sulawesi", kind="province", parent=indonesia)
    document = get_document_model()(title="Joint statement (PDF)")
    document.file.save("joint-statement.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    body = every_block_body(official, picture, document)
    release = make_release(
        TITLE,
        release_date=datetime.date(2024, 10, 2),
        standfirst="Smelter operators in Central Sulawesi signed common standards.",
        dateline="Jakarta",
        hero_image=picture,
        body=body,
        officials=[(official, "Secretary General, Ministry of Industry", True)],
        sectors=[nickel],
        regions=[sulawesi],
        organisations=[ministry],
        parent=newsroom,
    )
    make_release("Textile exports grow", release_date=datetime.date(2024, 9, 1))
    get_user_model().objects.create_superuser("webteam", "web@example.go.id", PASSWORD)
    return release


def log_in(page, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert "/admin/login/" not in page.url


def choose_another(page, field):
    """Open the chooser modal of ``field``, whose choice is already made."""
    actions = page.locator(f"#id_{field}-chooser").get_by_role("button", name="Actions")
    change = page.get_by_role("button", name="Change image")
    # On a busy machine the dropdown's script may attach after the button shows,
    # and the first click then opens nothing: click again until it opens.
    for _ in range(10):
        actions.click()
        if change.is_visible():
            break
        page.wait_for_timeout(500)
        if change.is_visible():
            break
    change.click()


def settle(page):
    page.wait_for_load_state("networkidle")


def test_public_pages_run_under_the_strict_policy(newsroom_world, new_page):
    page = new_page()
    log = watch(page)

    response = page.goto("/")
    policy = response.headers["content-security-policy"]
    # Directives come in no fixed order: compare them one by one.
    assert "script-src 'self'" in [part.strip() for part in policy.split(";")]
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    settle(page)

    page.goto("/news/")
    # The form submits itself when a box is ticked (static/js/filters.js).
    with page.expect_navigation():
        page.check("#filters input[name=sector][value=nickel-smelting]")
    assert "sector=nickel-smelting" in page.url
    expect(page.locator(".release-card__title")).to_have_text([TITLE])
    settle(page)

    with page.expect_navigation():
        page.get_by_role("link", name=TITLE).click()
    settle(page)
    expect(page.locator("h1")).to_have_text(TITLE)
    assert page.locator('script[type="application/ld+json"]').count() >= 1
    # Every picture on it (hero, body image) loaded.
    broken = page.evaluate(
        "() => [...document.images].filter(i => !i.complete || !i.naturalWidth)"
        ".map(i => i.src)"
    )
    assert page.locator("img").count() >= 2 and broken == []

    # The other kinds of public page: search, a hub with a portrait, an index,
    # a 404.
    for path, status in (
        ("/news/?q=nickel", 200),
        ("/news/officials/eko-sa-cahyanto/", 200),
        ("/news/sectors/", 200),
        ("/news/no-such-release/", 404),
    ):
        assert page.goto(path).status == status, path
        settle(page)

    assert log.take() == []

    # The watch sees what the policy blocks: an injected inline script and style.
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.body.append(script);
          document.body.setAttribute("style", "outline: 1px solid red");
        }"""
    )

    def reported(directive):
        return any(line.startswith(directive) for line in log.found)

    for _ in range(50):  # the events come back asynchronously
        if reported("script-src-elem blocked") and reported("style-src-attr blocked"):
            break
        page.wait_for_timeout(100)
    assert page.evaluate("() => window.injected") is None
    assert reported("script-src-elem blocked"), log.found
    assert reported("style-src-attr blocked"), log.found
    assert any(line.startswith("console error") for line in log.take())


def test_the_admin_works_under_its_policy(newsroom_world, new_page, live_server):
    release = newsroom_world
    page = new_page()
    log = watch(page)
    page.add_init_script(AUTOSAVES)

    log_in(page, "webteam")
    settle(page)
    policy = page.request.get("/admin/").headers["content-security-policy"]
    parts = [part.strip() for part in policy.split(";")]
    assert "script-src 'self' 'unsafe-inline'" in parts
    assert "frame-ancestors 'self'" in parts

    # The page explorer, at the News section.
    page.goto(f"/admin/pages/{release.get_parent().pk}/")
    expect(page.get_by_role("link", name=TITLE).first).to_be_visible()
    settle(page)

    # The release's editor.
    page.goto(f"/admin/pages/{release.pk}/edit/")
    settle(page)
    # StreamField: a new paragraph block, written in Draftail.
    body = page.locator("#panel-child-content-body-section")
    editors = body.locator(".public-DraftEditor-content")
    editors_before = editors.count()
    body.locator("button[title='Insert a block']").last.click()
    page.get_by_role("option", name="Paragraph").click()
    # Until the new block's Draftail mounts, the last editor is the body's
    # previous rich text: typing then would edit that block instead.
    expect(editors).to_have_count(editors_before + 1)
    editor = editors.last
    # A busy machine may lose keystrokes sent before Draftail has the focus: type
    # again into the empty editor until the text shows.
    for _ in range(5):
        editor.click()
        page.keyboard.type(NEW_PARAGRAPH)
        page.wait_for_timeout(300)
        if NEW_PARAGRAPH in (editor.text_content() or ""):
            break
    expect(editor).to_contain_text(NEW_PARAGRAPH)
    # The hero image chooser's modal.
    choose_another(page, "hero_image")
    modal = page.locator(".modal-dialog").filter(visible=True)
    expect(modal).to_be_visible()
    modal.get_by_role("link", name="Smelter at dusk").click()
    expect(modal).to_be_hidden()
    # The date picker.
    page.click("#id_release_date")
    expect(page.locator(".xdsoft_datetimepicker").filter(visible=True)).to_have_count(1)
    page.keyboard.press("Escape")
    # The preview panel renders the release in an iframe.
    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.locator("h1")).to_have_text(TITLE)
    # The preview and autosave post again whenever the form changes, so the
    # editor's network need not go idle while the panel is open (on a busy
    # machine it did not, within 20 s): wait for the preview to show the typed
    # paragraph and for autosave to catch up, then close the panel, which
    # Wagtail would otherwise reopen on the next edit page.
    expect(preview.get_by_text(NEW_PARAGRAPH, exact=True)).to_be_visible()
    page.wait_for_function("window.autosaves.finished === window.autosaves.started")
    page.get_by_role("button", name="Toggle preview").click()
    expect(page.locator("#w-preview-iframe")).to_be_hidden()
    # The officials' chooser modal.
    page.get_by_role("tab", name="Relations").click()
    page.click("#id_release_officials-OPEN_MODAL")
    modal = page.locator(".modal-dialog").filter(visible=True)
    with page.expect_response(lambda r: "/admin/" in r.url and "q=" in r.url):
        modal.locator("input[name=q]").fill("wang")
    modal.locator("tbody tr", has_text="Wang Jiangping").locator(
        "input[type=checkbox]"
    ).check()
    started = autosaves_started(page)
    modal.get_by_role("button", name="Confirm selection").click()
    expect(modal).to_be_hidden()
    # Autosave (a fetch POST) keeps the draft; then "Save draft" posts the form.
    wait_for_autosave(page, started)
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("has been updated")
    settle(page)

    # An official's snippet editor: a new appointment (InlinePanel) and the
    # portrait chooser.
    with server_idle(live_server):
        official = Official.objects.get(name="Eko S.A. Cahyanto")
        edit_url = AdminURLFinder().get_edit_url(official)
    page.goto(edit_url)
    settle(page)
    page.get_by_role("button", name="Add appointment").click()
    row = page.locator("[data-inline-panel-child]").last
    row.locator("input[name$='-position']").fill("Acting Director General")
    row.locator("input[name$='-start_date']").fill("2025-01-06")
    page.keyboard.press("Escape")  # the date picker
    choose_another(page, "portrait")
    modal = page.locator(".modal-dialog").filter(visible=True)
    modal.get_by_role("link", name="Portrait of Eko").click()
    expect(modal).to_be_hidden()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").first.click()
    expect(page.locator(".messages")).to_contain_text("updated")
    settle(page)

    # The userbar on the public release, for a signed-in editor.
    page.goto(release.url)
    expect(page.locator("wagtail-userbar")).to_have_count(1)
    settle(page)

    assert log.take() == []
    page.close()
    with server_idle(live_server):
        draft = PressReleasePage.objects.get(pk=release.pk)
        draft = draft.get_latest_revision_as_object()
        assert NEW_PARAGRAPH in str(draft.body)
        assert "Wang Jiangping" in [
            link.official.name for link in draft.release_officials.all()
        ]
        assert official.appointments.filter(
            position="Acting Director General", start_date="2025-01-06"
        ).exists()
