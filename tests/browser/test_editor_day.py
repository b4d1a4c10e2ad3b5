"""An editor's day in the admin, the parts issue #26 found tripping (items 5, 7):
choices kept across searches, officials found by position, places shown with
their path, what the form already lists shown as chosen, and a refused save
opening the tab that holds the error."""

import datetime

import pytest

from tests.browser.remote import expect
from tests.browser.test_editor import log_in, press_office  # noqa: F401 (fixture)
from tests.factories import make_release

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def open_chooser(page, relation):
    page.click(f"#id_{relation}-OPEN_MODAL")
    modal = page.locator(".modal-dialog").filter(visible=True)
    expect(modal).to_be_visible()
    return modal


def search(page, modal, words):
    with page.expect_response(lambda r: "/admin/" in r.url and "q=" in r.url):
        modal.locator("input[name=q]").fill(words)


def new_release_form(page, newsroom):
    page.goto(f"/admin/pages/add/newsroom/pressreleasepage/{newsroom.pk}/")
    page.get_by_role("tab", name="Relations").click()


def test_ticks_survive_a_new_search_and_positions_are_searched(
    press_office,  # noqa: F811
    new_page,
):
    editor = new_page()
    log_in(editor, "editor")
    new_release_form(editor, press_office)
    modal = open_chooser(editor, "release_officials")
    search(editor, modal, "jin")
    modal.locator("tbody tr", has_text="Jin Zhuanglong").locator(
        "input[type=checkbox]"
    ).check()
    # By position: "deputy" is no one's name.
    search(editor, modal, "deputy")
    rows = modal.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Wang Jiangping")
    expect(rows).to_contain_text("Deputy Minister")
    rows.locator("input[type=checkbox]").check()
    modal.get_by_role("button", name="Confirm selection (2)").click()
    expect(modal).to_be_hidden()
    chosen = editor.locator("#panel-child-relations-officials-content")
    expect(chosen).to_contain_text("Jin Zhuanglong")
    expect(chosen).to_contain_text("Wang Jiangping")


def test_places_show_their_path_and_chosen_ones_are_marked(
    press_office,  # noqa: F811
    new_page,
):
    editor = new_page()
    log_in(editor, "editor")
    new_release_form(editor, press_office)
    modal = open_chooser(editor, "release_regions")
    search(editor, modal, "sulawesi")
    row = modal.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Indonesia › Central Sulawesi")
    row.locator("input[type=checkbox]").check()
    modal.get_by_role("button", name="Confirm selection (1)").click()
    expect(modal).to_be_hidden()

    modal = open_chooser(editor, "release_regions")
    search(editor, modal, "sulawesi")
    # The response can land before the table is swapped in: wait for the one row.
    expect(modal.locator("tbody tr")).to_have_count(1)
    box = modal.locator("tbody tr").locator("input[type=checkbox]")
    expect(box).to_be_disabled()
    expect(modal.locator("tbody tr")).to_contain_text("already chosen")


def test_a_refused_withdrawal_opens_the_settings_tab(
    press_office,  # noqa: F811
    new_page,
    live_server,
):
    from tests.browser.support import server_idle

    with server_idle(live_server):
        release = make_release(
            "A statement to withdraw", release_date=datetime.date(2024, 9, 27)
        )
    moderator = new_page()
    log_in(moderator, "moderator")
    moderator.goto(f"/admin/pages/{release.pk}/edit/")
    moderator.get_by_role("tab", name="Settings").click()
    moderator.check("#id_withdrawn")
    moderator.get_by_role("tab", name="Content").click()
    moderator.get_by_role("button", name="More actions").click()
    with moderator.expect_navigation():
        moderator.get_by_role("button", name="Publish").click()
    expect(moderator.get_by_role("tab", name="Settings")).to_have_attribute(
        "aria-selected", "true"
    )
    expect(moderator.locator("#tab-settings .error-message")).to_contain_text(
        "Give the public reason for the withdrawal."
    )


def test_the_dateline_keeps_its_width_beside_the_preview(
    press_office,  # noqa: F811
    new_page,
):
    editor = new_page(width=1024)
    log_in(editor, "editor")
    editor.goto(f"/admin/pages/add/newsroom/pressreleasepage/{press_office.pk}/")
    editor.get_by_role("button", name="Toggle preview").click()
    expect(editor.locator("[data-side-panel='preview']")).to_be_visible()
    width = editor.locator("#id_dateline").evaluate("e => e.offsetWidth")
    assert width >= 150, width
