"""A press office's day, walked in Chromium (issue #26, "Done when").

An Editor writes a release with a quote and a key figure, chooses officials
across two searches, a sector and a region, types the event date, and submits.
A Moderator finds it on the dashboard, schedules it through the schedule
dialog, approves and publishes, issues an embargo link that an anonymous reader
opens; the release goes live at its time under the development set-up (one
tick of ``run_scheduler``, the clock moved to the go-live time as the scheduling
tests move it); the Moderator translates, corrects and withdraws it.

The numbers in comments are the issue's items. The sectors' and regions' lists
opening their edit forms are checked in test_editor.py
(test_sector_and_region_lists_open_their_edit_forms).
"""

import datetime
import io
import re
import time
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from wagtail.models import Locale

from newsroom.editorial.press_office import WORKFLOW_NAME
from newsroom.models import (
    Appointment,
    AppointmentTranslation,
    Organisation,
    OrganisationTranslation,
    PressReleasePage,
)
from tests.browser.remote import expect
from tests.browser.support import SCREENSHOTS, server_idle
from tests.browser.test_editor import (  # noqa: F401 (press_office is a fixture)
    AUTOSAVES,
    PASSWORD,
    autosaves_started,
    press_office,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Morowali smelter expansion brings USD 1.2 billion"
SLUG = "morowali-smelter-expansion-brings-usd-12-billion"
QUOTE = "Downstreaming nickel keeps the value of our ore at home."
MIIT = "Ministry of Industry and Information Technology"
RELEASE_DATE = datetime.date(2026, 12, 3)
CORRECTION = "The investment figure was corrected from USD 1.1 billion."
REASON = "Issued before the agreement was signed; a new release follows."


@pytest.fixture
def indonesian_roles(press_office):  # noqa: F811
    """The officials' positions and ministries in Indonesian (item 4)."""
    indonesian = Locale.objects.get(language_code="id")
    for position, name, translation in (
        ("Minister", "Ministry of Industry", "Menteri"),
        ("Minister", MIIT, "Menteri"),
        ("Deputy Minister", MIIT, "Wakil Menteri"),
    ):
        AppointmentTranslation.objects.create(
            appointment=Appointment.objects.get(
                position=position, organisation__name=name
            ),
            locale=indonesian,
            position=translation,
        )
    for name, translation in (
        ("Ministry of Industry", "Kementerian Perindustrian"),
        (MIIT, "Kementerian Perindustrian dan Teknologi Informasi"),
    ):
        OrganisationTranslation.objects.create(
            entity=Organisation.objects.get(name=name),
            locale=indonesian,
            name=translation,
        )
    return press_office


class Counted:
    """The Editor's page, counting each click, fill, press and tick."""

    def __init__(self, page):
        self.page = page
        self.actions = 0

    def click(self, locator, **kwargs):
        self.actions += 1
        locator.click(**kwargs)

    def fill(self, locator, text):
        self.actions += 1
        locator.fill(text)

    def press(self, locator, key):
        self.actions += 1
        locator.press(key)

    def type(self, locator, text):
        """Typing into a field: one action to focus it, one for the typing."""
        self.actions += 2
        locator.click()
        locator.press_sequentially(text)

    def check(self, locator):
        self.actions += 1
        locator.check()


def log_in(page, username, counted=None):
    act = counted or Counted(page)
    page.goto("/admin/login/")
    act.fill(page.locator("#id_username"), username)
    act.fill(page.locator("#id_password"), PASSWORD)
    with page.expect_navigation():
        act.click(page.get_by_role("button", name="Sign in"))
    assert "/admin/login/" not in page.url


def open_chooser(act, button):
    act.click(button)
    modal = act.page.locator(".modal-dialog").filter(visible=True)
    expect(modal).to_be_visible()
    return modal


def search(act, modal, words):
    with act.page.expect_response(lambda r: "/admin/" in r.url and "q=" in r.url):
        act.fill(modal.locator("input[name=q]"), words)


def tick(act, modal, name):
    rows = modal.locator("tbody tr").filter(has_text=name)
    expect(rows).to_have_count(1)
    act.check(rows.locator("input[type=checkbox]"))
    return rows


def confirm(act, modal, count):
    act.click(modal.get_by_role("button", name=f"Confirm selection ({count})"))
    expect(modal).to_be_hidden()


def add_block(act, kind):
    body = act.page.locator("#panel-child-content-body-section")
    act.click(body.locator("button[title='Insert a block']").last)
    act.click(act.page.get_by_role("option", name=kind, exact=True))


def section(page, title):
    """The list under ``title`` in the dashboard's "Press office today" panel."""
    panel = page.locator("section.newsroom-dashboard")
    expect(panel.locator("h2")).to_have_text("Press office today")
    return panel.locator(f"h3:text-is('{title}') + ul")


def more_actions(page, button):
    page.get_by_role("button", name="More actions").click()
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def wait_for_autosaves(page, started_before):
    """Wait, as a person's pause would, until no autosave is out: submitting while
    one is out posts the last choice again as new (a unique constraint error).
    The last choice starts a save of its own, unless it joined one already out."""
    try:
        page.wait_for_function(
            "before => window.autosaves.started > before",
            arg=started_before,
            timeout=5_000,
        )
    except PlaywrightTimeoutError:
        pass  # it joined the save already out, which the next wait covers
    page.wait_for_function(
        "() => window.autosaves.finished === window.autosaves.started"
    )


def write_and_submit(editor, newsroom):
    """Item 1 to 2, 5, 6 as the Editor meets them; returns the actions taken."""
    act = Counted(editor)
    log_in(editor, "editor", act)
    editor.goto(f"/admin/pages/add/newsroom/pressreleasepage/{newsroom.pk}/")
    act.fill(editor.locator("#id_title"), TITLE)
    act.press(editor.locator("#id_title"), "Tab")  # fills in the slug
    expect(editor.locator("#id_slug")).to_have_value(SLUG)
    act.fill(
        editor.locator("#id_standfirst"),
        "A second smelter line in Morowali, Central Sulawesi, was agreed.",
    )
    act.fill(editor.locator("#id_dateline"), "Jakarta")
    act.fill(editor.locator("#id_release_date"), RELEASE_DATE.isoformat())
    act.press(editor.locator("#id_release_date"), "Escape")
    # Item 2: the date typed as people type it stays that date.
    event_date = editor.locator("#id_event_date")
    act.type(event_date, "1 December 2026")
    act.press(event_date, "Tab")
    expect(event_date).to_have_value("2026-12-01")
    expect(editor.locator("#id_event_date-typed-date")).to_have_text(
        "Tuesday, 1 December 2026"
    )

    # A quote by an official chosen in the block (item 6), and a key figure.
    add_block(act, "Quote")
    act.fill(editor.locator("#body-0-value-text"), QUOTE)
    modal = open_chooser(
        act, editor.locator("[data-contentpath='official'] .chooser__choose-button")
    )
    search(act, modal, "agus")
    with editor.expect_response(lambda r: "/chosen/" in r.url):
        act.click(modal.get_by_role("link", name="Agus Gumiwang Kartasasmita"))
    expect(modal).to_be_hidden()
    add_block(act, "Key figures")
    act.fill(editor.locator("#body-1-value-0-value-value"), "1200000000")
    act.fill(editor.locator("#body-1-value-0-value-unit"), "USD")
    act.check(editor.locator("#body-1-value-0-value-is_currency"))
    act.fill(editor.locator("#body-1-value-0-value-label"), "investment")
    expect(event_date).to_have_value("2026-12-01")

    # Item 5: ticks survive a second search; regions show their path.
    act.click(editor.get_by_role("tab", name="Relations"))
    modal = open_chooser(act, editor.locator("#id_release_officials-OPEN_MODAL"))
    search(act, modal, "jin")
    tick(act, modal, "Jin Zhuanglong")
    search(act, modal, "deputy")
    tick(act, modal, "Wang Jiangping")
    confirm(act, modal, 2)
    chosen = editor.locator("#panel-child-relations-officials-content")
    expect(chosen).to_contain_text("Jin Zhuanglong")
    expect(chosen).to_contain_text("Wang Jiangping")
    modal = open_chooser(act, editor.locator("#id_release_sectors-OPEN_MODAL"))
    search(act, modal, "nickel")
    tick(act, modal, "Nickel Smelting")
    confirm(act, modal, 1)
    modal = open_chooser(act, editor.locator("#id_release_regions-OPEN_MODAL"))
    search(act, modal, "sulawesi")
    row = tick(act, modal, "Central Sulawesi")
    expect(row).to_contain_text("Indonesia › Central Sulawesi")
    started = autosaves_started(editor)
    confirm(act, modal, 1)
    wait_for_autosaves(editor, started)

    act.click(editor.get_by_role("tab", name="Content"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    editor.screenshot(path=SCREENSHOTS / "admin-release-form.png", full_page=True)
    act.click(editor.get_by_role("button", name="More actions"))
    with editor.expect_navigation():
        act.click(editor.get_by_role("button", name=f"Submit to {WORKFLOW_NAME}"))
    expect(editor.locator(".messages")).to_contain_text("submitted")
    return act.actions


def test_a_press_office_day(indonesian_roles, new_page, live_server):
    started_at = time.monotonic()
    newsroom = indonesian_roles

    # --- 1. The Editor writes and submits ---------------------------------------
    editor = new_page()
    editor.add_init_script(AUTOSAVES)
    actions = write_and_submit(editor, newsroom)
    print(f"\nEditor's actions for the release (log-in included): {actions}")  # noqa: T201 (the figure the issue asks for)
    editor.close()
    with server_idle(live_server):
        release = PressReleasePage.objects.get(slug=SLUG)
        assert release.current_workflow_state.status == "in_progress"
        draft = release.get_latest_revision_as_object()
        assert draft.event_date == datetime.date(2026, 12, 1)
        assert [block.block_type for block in draft.body] == ["quote", "key_figures"]
        figure = draft.body[1].value[0]
        assert (figure["value"], figure["unit"], figure["label"]) == (
            1200000000,
            "USD",
            "investment",
        )
        # Item 6: the quoted official joined the officials, marked quoted, with
        # the role of the day filled in as for the others.
        assert {
            link.official.name: (link.role, link.quoted)
            for link in draft.release_officials.all()
        } == {
            "Jin Zhuanglong": (f"Minister, {MIIT}", False),
            "Wang Jiangping": (f"Deputy Minister, {MIIT}", False),
            "Agus Gumiwang Kartasasmita": ("Minister, Ministry of Industry", True),
        }
        assert [link.sector.name for link in draft.release_sectors.all()] == [
            "Nickel Smelting"
        ]
        assert [link.region.name for link in draft.release_regions.all()] == [
            "Central Sulawesi"
        ]

    # --- 2. The Moderator schedules, approves and publishes ---------------------
    moderator = new_page()
    log_in(moderator, "moderator")
    moderator.goto("/admin/")
    waiting = section(moderator, "Waiting for approval")
    with moderator.expect_navigation():
        waiting.get_by_role("link", name=TITLE).click()
    assert f"/admin/pages/{release.pk}/edit/" in moderator.url

    go_live = (timezone.localtime() + datetime.timedelta(days=1)).replace(
        second=0, microsecond=0
    )
    moderator.get_by_role("button", name="Toggle status").click()
    moderator.get_by_role("button", name="Set schedule").click()
    dialog = moderator.locator("#schedule-publishing-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("in Asia/Jakarta time")
    # Set without focusing the field: its calendar would cover the dialog's
    # button, and Escape, which closes the calendar, closes the dialog too.
    dialog.locator("#id_go_live_at").evaluate(
        "(input, value) => { input.value = value;"
        " input.dispatchEvent(new Event('change', {bubbles: true})); }",
        f"{go_live:%Y-%m-%d %H:%M}",
    )
    with moderator.expect_navigation():
        dialog.get_by_role("button", name="Save schedule").click()
    more_actions(moderator, "Approve and Publish")
    # Approved and scheduled for the time set in the dialog, and said so.
    expect(moderator.locator(".messages")).to_contain_text(
        f"Scheduled: goes live on {go_live:%-d %B %Y at %H:%M} (Asia/Jakarta)."
    )
    with server_idle(live_server):
        scheduled = PressReleasePage.objects.get(pk=release.pk).scheduled_revision
        assert scheduled.approved_go_live_at == go_live
    moderator.goto("/admin/")
    expect(section(moderator, "Next scheduled go-lives")).to_contain_text(TITLE)

    # --- 3. An embargo link, opened by a journalist ------------------------------
    moderator.goto("/admin/snippets/newsroom/embargolink/add/")
    offered = moderator.locator("#id_page option").filter(has_text=TITLE)
    expect(offered).to_contain_text("goes live")
    moderator.locator("#id_page").select_option(offered.get_attribute("value"))
    moderator.fill("#id_recipient", "Antara Jakarta desk")
    with moderator.expect_navigation():
        moderator.get_by_role("button", name="Save").first.click()
    listing = moderator.locator("main").inner_text()
    found = re.search(r"https?://\S+/embargo/[\w-]+/", listing)
    assert found, listing
    embargo_url = found.group(0)

    journalist = new_page()
    journalist.goto(embargo_url)
    expect(journalist.locator("h1")).to_have_text(TITLE)
    expect(journalist.get_by_text("EMBARGOED UNTIL")).to_be_visible()
    moderator.goto("/admin/")
    expect(section(moderator, "Embargo links opened today")).to_contain_text(TITLE)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    moderator.screenshot(path=SCREENSHOTS / "admin-dashboard.png", full_page=True)

    # --- 4. Go-live on time: one scheduler tick once the moment has passed ------
    with server_idle(live_server):
        out = io.StringIO()
        moment = go_live + datetime.timedelta(seconds=1)
        with mock.patch("django.utils.timezone.now", return_value=moment):
            call_command("run_scheduler", "--once", stdout=out)
        assert f"published: {TITLE}" in out.getvalue()
    public = journalist.goto(f"/news/{SLUG}/")
    assert public.status == 200
    expect(journalist.locator("h1")).to_have_text(TITLE)
    expect(journalist.get_by_text("EMBARGOED UNTIL")).to_have_count(0)
    journalist.goto(embargo_url)
    assert journalist.url == f"{live_server.url}/news/{SLUG}/"

    # --- 5. Translate ------------------------------------------------------------
    moderator.goto(f"/admin/pages/{release.pk}/edit/")
    header = moderator.get_by_role("navigation", name="Actions", exact=True)
    header.get_by_role("button", name="Actions").click()
    with moderator.expect_navigation():
        moderator.get_by_role("link", name="Translate").click()
    # English is the original: Indonesian is the one language offered.
    moderator.locator("input[name=locales]").check()
    with moderator.expect_navigation():
        moderator.get_by_role("button", name="Submit", exact=True).click()
    panel = moderator.locator(".translation-progress")
    expect(panel).to_contain_text("Still as in the original:")
    expect(panel).to_contain_text("No go-live time: publishing makes it live at once.")
    moderator.get_by_role("tab", name="Relations").click()
    roles = moderator.locator("#panel-child-relations-officials-content")
    role_values = [
        field.input_value() for field in roles.locator("input[name$='-role']").all()
    ]
    assert sorted(role_values) == sorted(
        [
            "Menteri, Kementerian Perindustrian dan Teknologi Informasi",
            "Wakil Menteri, Kementerian Perindustrian dan Teknologi Informasi",
            "Menteri, Kementerian Perindustrian",
        ]
    )
    more_actions(moderator, "Publish")
    expect(moderator.locator(".messages")).not_to_contain_text("Scheduled")
    translated = journalist.goto(f"/id/news/{SLUG}/")
    assert translated.status == 200
    expect(journalist.locator("main")).to_contain_text(
        "Menteri, Kementerian Perindustrian"
    )

    # --- 6. Correct --------------------------------------------------------------
    moderator.goto(f"/admin/pages/{release.pk}/edit/")
    # The clock moved for the scheduler's tick only: in the browser's time the
    # go-live is still tomorrow, and "Publish" would schedule the correction for
    # then. After a real go-live the time is past; clear it to stand for that.
    set_schedule = moderator.get_by_role("button", name="Set schedule")
    if not set_schedule.is_visible():
        moderator.get_by_role("button", name="Toggle status").click()
    set_schedule.click()
    dialog = moderator.locator("#schedule-publishing-dialog")
    expect(dialog).to_be_visible()
    dialog.locator("#id_go_live_at").evaluate(
        "input => { input.value = '';"
        " input.dispatchEvent(new Event('change', {bubbles: true})); }"
    )
    with moderator.expect_navigation():
        dialog.get_by_role("button", name="Save schedule").click()
    moderator.click("#id_corrections-ADD")
    moderator.fill("#id_corrections-0-note", CORRECTION)
    more_actions(moderator, "Publish")
    journalist.goto(f"/news/{SLUG}/")
    expect(journalist.locator(".corrections")).to_contain_text(CORRECTION)
    feed = journalist.request.get(f"{live_server.url}/news/feed/")
    assert feed.status == 200
    assert CORRECTION in feed.text()

    # --- 7. Withdraw -------------------------------------------------------------
    moderator.goto(f"/admin/pages/{release.pk}/edit/")
    moderator.get_by_role("tab", name="Settings").click()
    moderator.check("#id_withdrawn")
    moderator.get_by_role("tab", name="Content").click()
    more_actions(moderator, "Publish")
    expect(moderator.get_by_role("tab", name="Settings")).to_have_attribute(
        "aria-selected", "true"
    )
    expect(moderator.locator("#tab-settings .error-message")).to_contain_text(
        "Give the public reason for the withdrawal."
    )
    moderator.fill("#id_withdrawal_reason", REASON)
    more_actions(moderator, "Publish")
    journalist.goto(f"/news/{SLUG}/")
    notice = journalist.locator(".notice--withdrawn")
    expect(notice).to_contain_text("This release has been withdrawn")
    expect(notice).to_contain_text(REASON)
    robots = journalist.locator("meta[name=robots]")
    assert robots.get_attribute("content").startswith("noindex")

    print(f"Press office day walked in {time.monotonic() - started_at:.1f} s")  # noqa: T201
