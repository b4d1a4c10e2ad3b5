"""An editor writes a release in the Wagtail admin; a moderator approves it.

Everything goes through the admin in Chromium: the choosers of the officials,
sectors and regions (MultipleChooserPanel modals), "Submit to Press office
approval", and the moderator's "Approve" on the dashboard. The release then shows
on the listing filtered by its region.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from newsroom.editorial.press_office import EDITORS, MODERATORS, WORKFLOW_NAME
from newsroom.editorial.site_tree import ensure_site_tree
from newsroom.models import PressReleasePage
from tests.browser.remote import expect
from tests.browser.support import server_idle
from tests.factories import (
    OrganisationFactory,
    RegionFactory,
    SectorFactory,
    make_official,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"
TITLE = "Indonesia and China deepen green industry cooperation"


@pytest.fixture
def press_office():
    newsroom = ensure_site_tree()
    ministry = OrganisationFactory(name="Ministry of Industry")
    miit = OrganisationFactory(name="Ministry of Industry and Information Technology")
    make_official(
        "Eko S.A. Cahyanto", [("Secretary General", ministry, "2020-01-01", None)]
    )
    make_official("Wang Jiangping", [("Deputy Minister", miit, "2022-01-01", None)])
    make_official(
        "Agus Gumiwang Kartasasmita", [("Minister", ministry, "2019-10-23", None)]
    )
    make_official("Jin Zhuanglong", [("Minister", miit, "2022-07-01", None)])
    metals = SectorFactory(name="Basic Metals")
    SectorFactory(name="Nickel Smelting", parent=metals)
    SectorFactory(name="Textiles")
    indonesia = RegionFactory(name="Indonesia", kind="country")
    RegionFactory(name="Central Sulawesi", kind="province", parent=indonesia)
    RegionFactory(name="Jakarta", kind="province", parent=indonesia)
    for name, group in (("editor", EDITORS), ("moderator", MODERATORS)):
        user = get_user_model().objects.create_user(
            name, f"{name}@example.go.id", PASSWORD, first_name=name.title()
        )
        user.groups.add(Group.objects.get(name=group))
    return newsroom


# Wagtail saves the editor's form by itself half a second after a change. Saving by
# hand while that request is still out races it (the page it creates takes the
# slug), so the test waits, as a person's pause would, for autosave to finish.
AUTOSAVES = """
window.autosaves = {started: 0, finished: 0};
document.addEventListener("w-autosave:save", () => window.autosaves.started++);
document.addEventListener("w-autosave:success", () => window.autosaves.finished++);
document.addEventListener("w-autosave:error", () => window.autosaves.finished++);
"""


def autosaves_started(page):
    """How many autosaves have started, read when none is out: a change made while
    one is out may be left for a later save, so a count taken then could wait for
    a save that only the next change would send."""
    assert page.evaluate("() => window.autosaves !== undefined"), (
        f"autosave tracking missing on {page.url}"
    )
    page.wait_for_function(
        "() => window.autosaves.finished === window.autosaves.started",
        timeout=60_000,
    )
    return page.evaluate("() => window.autosaves.started")


def wait_for_autosave(page, started_before):
    # A save queued behind one still out waits for it (Wagtail's autosave sends one
    # at a time), so on a busy CI machine the pair can take longer than the default
    # 20 s; one minute still fails fast on a save that never comes.
    page.wait_for_function(
        "before => window.autosaves.started > before"
        " && window.autosaves.finished === window.autosaves.started",
        arg=started_before,
        timeout=60_000,
    )


def log_in(page, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert "/admin/login/" not in page.url


def choose(page, relation, search, names):
    """Open a MultipleChooserPanel's modal, search, tick ``names``, confirm.

    The search must find exactly ``names``.
    """
    page.click(f"#id_{relation}-OPEN_MODAL")
    modal = page.locator(".modal-dialog").filter(visible=True)
    expect(modal).to_be_visible()
    with page.expect_response(lambda r: "/admin/" in r.url and "q=" in r.url):
        modal.locator("input[name=q]").fill(search)
    rows = modal.locator("tbody tr")
    expect(rows).to_have_count(len(names))
    for name in names:
        rows.filter(has_text=name).locator("input[type=checkbox]").check()
    modal.get_by_role("button", name="Confirm selection").click()
    expect(modal).to_be_hidden()


def test_editor_drafts_and_submits_moderator_approves_release_is_listed(
    press_office, new_page, live_server
):
    editor = new_page()
    editor.add_init_script(AUTOSAVES)
    log_in(editor, "editor")
    editor.goto(f"/admin/pages/add/newsroom/pressreleasepage/{press_office.pk}/")
    editor.fill("#id_title", TITLE)
    editor.press("#id_title", "Tab")  # leaving the title fills in the slug
    expect(editor.locator("#id_slug")).to_have_value(
        "indonesia-and-china-deepen-green-industry-cooperation"
    )
    editor.fill("#id_standfirst", "The Secretary General met China's Deputy Minister.")
    editor.fill("#id_release_date", "2024-09-27")
    editor.keyboard.press("Escape")

    editor.get_by_role("tab", name="Relations").click()
    # "ji" finds Jin Zhuanglong and Wang Jiangping of the four officials.
    choose(editor, "release_officials", "ji", ["Jin Zhuanglong", "Wang Jiangping"])
    choose(editor, "release_sectors", "nickel", ["Nickel Smelting"])
    started = autosaves_started(editor)
    choose(editor, "release_regions", "sulawesi", ["Central Sulawesi"])
    wait_for_autosave(editor, started)

    editor.get_by_role("button", name="More actions").click()
    with editor.expect_navigation():
        editor.get_by_role("button", name=f"Submit to {WORKFLOW_NAME}").click()
    expect(editor.locator(".messages")).to_contain_text("submitted")
    # The admin pings the server while a page is open; on SQLite the live server
    # shares the test's connection, so close the page before asking the database.
    editor.close()
    with server_idle(live_server):
        release = PressReleasePage.objects.get(title=TITLE)
        assert not release.live
        assert release.current_workflow_state.status == "in_progress"
        draft = release.get_latest_revision_as_object()
        # The roles of the day, filled in as the officials were chosen.
        miit = "Ministry of Industry and Information Technology"
        assert {
            link.official.name: link.role for link in draft.release_officials.all()
        } == {
            "Jin Zhuanglong": f"Minister, {miit}",
            "Wang Jiangping": f"Deputy Minister, {miit}",
        }
        assert [link.sector.name for link in draft.release_sectors.all()] == [
            "Nickel Smelting"
        ]
        assert [link.region.name for link in draft.release_regions.all()] == [
            "Central Sulawesi"
        ]

    moderator = new_page()
    log_in(moderator, "moderator")
    moderator.goto("/admin/")
    row = moderator.locator("#awaiting-review-section tr", has_text=TITLE)
    row.get_by_role("button", name="Actions").click()
    with moderator.expect_navigation():
        row.get_by_role("button", name="Approve", exact=True).click()

    expect(
        moderator.locator("#awaiting-review-section tr", has_text=TITLE)
    ).to_have_count(0)
    moderator.close()
    with server_idle(live_server):
        release.refresh_from_db()
        assert release.live
    reader = new_page()
    reader.goto("/news/?region=central-sulawesi")
    expect(reader.locator(".release-card__title")).to_have_text([TITLE])


@pytest.mark.parametrize(
    "model, row, name",
    [
        ("sector", "Basic Metals > Nickel Smelting", "Nickel Smelting"),
        ("region", "Indonesia > Central Sulawesi", "Central Sulawesi"),
    ],
)
def test_sector_and_region_lists_open_their_edit_forms(
    press_office, new_page, model, row, name
):
    editor = new_page()
    log_in(editor, "editor")
    editor.goto(f"/admin/snippets/newsroom/{model}/")
    with editor.expect_navigation():
        editor.get_by_role("link", name=row, exact=True).click()
    assert f"/admin/snippets/newsroom/{model}/edit/" in editor.url
    expect(editor.locator("#id_name")).to_have_value(name)

    editor.go_back()
    listed = editor.locator("tbody tr", has_text=row)
    listed.get_by_role("button", name="More options").click()
    expect(listed.get_by_role("link", name="Edit")).to_be_visible()


@pytest.mark.parametrize(
    "typed",
    ["1 December 2026", "01/12/2026", "1/12/2026", "1 Desember 2026", "2026-12-01"],
)
def test_typed_event_date_is_kept_not_replaced_by_today(press_office, new_page, typed):
    editor = new_page()
    log_in(editor, "editor")
    editor.goto(f"/admin/pages/add/newsroom/pressreleasepage/{press_office.pk}/")
    event_date = editor.locator("#id_event_date")
    event_date.click()
    event_date.press_sequentially(typed)
    event_date.press("Tab")  # leaving the field is when the picker used to swap it
    expect(event_date).to_have_value("2026-12-01")
    expect(event_date).not_to_have_attribute("aria-invalid", "true")
    expect(editor.locator("#id_event_date-typed-date")).to_have_text(
        "Tuesday, 1 December 2026"
    )


def test_unreadable_event_date_stays_as_typed_and_is_refused_visibly(
    press_office, new_page
):
    editor = new_page()
    log_in(editor, "editor")
    editor.goto(f"/admin/pages/add/newsroom/pressreleasepage/{press_office.pk}/")
    event_date = editor.locator("#id_event_date")
    event_date.click()
    event_date.press_sequentially("12/31/2026")
    event_date.press("Tab")
    expect(event_date).to_have_value("12/31/2026")
    expect(event_date).to_have_attribute("aria-invalid", "true")
    expect(editor.locator("#id_event_date-typed-date")).to_contain_text(
        "Type the date as 2026-12-01, 1/12/2026 or 1 December 2026."
    )


def test_a_date_picked_in_the_calendar_is_still_taken(press_office, new_page):
    editor = new_page()
    log_in(editor, "editor")
    editor.goto(f"/admin/pages/add/newsroom/pressreleasepage/{press_office.pk}/")
    event_date = editor.locator("#id_event_date")
    # Set without focusing, so the calendar opens on December 2026 when clicked.
    event_date.evaluate("input => { input.value = '2026-12-01'; }")
    event_date.click()
    day = editor.locator(
        ".xdsoft_datetimepicker td[data-date='15'][data-month='11'][data-year='2026']"
    ).filter(visible=True)
    day.click()
    expect(event_date).to_have_value("2026-12-15")
    editor.locator("#id_title").click()
    expect(event_date).to_have_value("2026-12-15")
    expect(editor.locator("#id_event_date-typed-date")).to_have_text(
        "Tuesday, 15 December 2026"
    )


def test_a_topic_of_several_words_is_one_chip_without_quotes(press_office, new_page):
    editor = new_page()
    log_in(editor, "editor")
    editor.goto(f"/admin/pages/add/newsroom/pressreleasepage/{press_office.pk}/")
    editor.get_by_role("tab", name="Relations").click()
    typing = editor.locator("ul.tagit input.ui-autocomplete-input").filter(visible=True)
    for topic in ("critical minerals", '"green industry"', "nickel"):
        typing.click()
        typing.press_sequentially(topic)
        typing.press("Enter")
    expect(editor.locator("ul.tagit .tagit-label")).to_have_text(
        ["critical minerals", "green industry", "nickel"]
    )
    topics = editor.locator("input[name=topics]")
    expect(topics).to_have_value("critical minerals,green industry,nickel")


def test_the_schedule_opens_from_the_settings_tab(press_office, new_page):
    # Moderators publish, so they schedule; an editor's form has no Settings tab.
    editor = new_page()
    log_in(editor, "moderator")
    editor.goto(f"/admin/pages/add/newsroom/pressreleasepage/{press_office.pk}/")
    editor.get_by_role("tab", name="Settings").click()
    schedule = editor.locator(".newsroom-schedule")
    expect(schedule).to_contain_text("No schedule: publishing makes it live at once.")
    schedule.get_by_role("button", name="Set or change the publishing schedule").click()
    dialog = editor.locator("#schedule-publishing-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#id_go_live_at")).to_be_visible()
