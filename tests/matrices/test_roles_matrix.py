"""Who may do what in the admin: every press office role against every action.

One parametrised test drives the real Wagtail admin views with the test client, as
anonymous, Editor, Moderator and superuser, and checks both what the admin answers
and what the database holds afterwards: a refused Editor's "publish" leaves the
release unpublished, a refused user edit leaves nobody a superuser.

The policy (README, newsroom/editorial/press_office.py): Editors draft, edit, submit
and keep the taxonomy, images and documents; Moderators also approve, publish,
unpublish, withdraw and delete taxonomy, images and documents; only superusers
manage users and groups. Neither role holds Wagtail's page delete permission, but to
Wagtail "change" includes deleting and moving what one could also publish: an Editor
deletes and moves drafts, a Moderator any release. Refusals look like Wagtail's: a
redirect to the login for anonymous readers, to the dashboard (or a 403) for the
signed-in; where a form is shared (the release editor) the privileged part of the
request is dropped instead, and a draft saved."""

import io
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, WorkflowState

from newsroom import kinds
from newsroom.editorial.press_office import EDITORS, ensure_press_office
from newsroom.models import (
    HomePage,
    NewsroomPage,
    Official,
    Organisation,
    PressReleasePage,
    Region,
    Regulation,
    Sector,
    Topic,
)
from tests.factories import (
    OfficialFactory,
    OrganisationFactory,
    RegionFactory,
    RegulationFactory,
    SectorFactory,
    TopicFactory,
    admin_form_errors,
    make_release,
    no_translations,
    release_admin_form_data,
    release_admin_url,
)

ROLES = ("anonymous", "editor", "moderator", "superuser")
SLUG = "smelter-governance-charter"  # release_admin_form_data's default


# --- the people and the things they act on ------------------------------------------


@pytest.fixture
def world(newsroom, press_editor, press_moderator):
    """Users by role, an "author" Editor who owns what is nobody else's, and a
    second newsroom (in a second site tree) to move releases to."""
    User = get_user_model()
    superuser = User.objects.create_superuser("root", "root@example.org", "pw")
    author = User.objects.create_user("author", "author@example.org", "pw")
    author.groups.add(Group.objects.get(name=EDITORS))
    home = Page.get_first_root_node().add_child(
        instance=HomePage(title="Archive site", slug="archive-home")
    )
    archive = home.add_child(instance=NewsroomPage(title="Archive", slug="archive"))
    ensure_press_office(archive)  # the same roles there
    return World(
        users={
            "anonymous": None,
            "editor": press_editor,
            "moderator": press_moderator,
            "superuser": superuser,
        },
        author=author,
        newsroom=newsroom,
        archive=archive,
    )


@dataclass
class World:
    users: dict
    author: object
    newsroom: object
    archive: object


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def draft(owner, title="Draft statement"):
    release = make_release(title, live=False)
    release.owner = owner
    release.save(update_fields=["owner"])
    return release


def live(owner, title="Published statement"):
    release = make_release(title)
    release.owner = owner
    release.save(update_fields=["owner"])
    return release


def png():
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


class FormFields(HTMLParser):
    """What a browser submits from the form posting to ``action`` on a page."""

    def __init__(self, html, action):
        super().__init__()
        self.action, self.depth, self.data = action, 0, {}
        self.select = self.textarea = None
        self.feed(html)

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if self.depth or attrs.get("action") == self.action:
                self.depth += 1
            return
        if not self.depth or not attrs.get("name") and tag != "option":
            return
        kind = attrs.get("type", "text")
        if tag == "input" and kind in {"checkbox", "radio"}:
            if "checked" in attrs:
                self.add(attrs["name"], attrs.get("value", "on"))
        elif tag == "input" and kind not in {"submit", "button", "file", "image"}:
            self.add(attrs["name"], attrs.get("value", ""))
        elif tag == "select":
            self.select = (attrs["name"], "multiple" in attrs, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self.select[2].append(attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = (attrs["name"], [])

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.depth:
            self.depth -= 1
        elif tag == "select" and self.select:
            name, _, chosen = self.select
            for value in chosen:
                self.add(name, value)
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.add(self.textarea[0], "".join(self.textarea[1]).lstrip("\n"))
            self.textarea = None


def replayed_form(world, url, **changes):
    """The form at ``url`` as a superuser's browser would submit it, changed."""
    response = client_for(world.users["superuser"]).get(url)
    assert response.status_code == 200, url
    data = FormFields(response.content.decode(), url).data
    assert data, f"no form posting to {url}"
    data.update(changes)
    return data


# --- the actions --------------------------------------------------------------------


@dataclass
class Attempt:
    response: object  # the answer to the POST that does it
    happened: bool  # whether the database shows it done
    form: object = None  # the answer to the GET of its form, if it has its own


ACTIONS = {}  # name -> (allowed roles, refusal, attempt function)


def action(name, allowed, refusal="redirect"):
    """Register an attempt; ``allowed`` are role initials (E, M, S).

    ``refusal`` is how the admin refuses the others: "redirect" (login, dashboard
    or 403) or "dropped" (the shared release form saves a draft without the part
    the role may not do).
    """
    initials = {"E": "editor", "M": "moderator", "S": "superuser"}

    def register(attempt):
        ACTIONS[name] = ({initials[i] for i in allowed}, refusal, attempt)
        return attempt

    return register


def edit_release(client, release, action_name=None, **fields):
    data = release_admin_form_data(release, action=action_name, **fields)
    return client.post(release_admin_url(release), data)


@action("create a release", "EMS")
def create_release(client, user, world):
    url = release_admin_url(newsroom=world.newsroom)
    form = client.get(url)
    response = client.post(url, release_admin_form_data())
    created = PressReleasePage.objects.filter(slug=SLUG, live=False).exists()
    return Attempt(response, created, form)


@action("create and publish a release", "MS", refusal="dropped")
def create_and_publish(client, user, world):
    url = release_admin_url(newsroom=world.newsroom)
    response = client.post(url, release_admin_form_data(action="publish"))
    published = PressReleasePage.objects.filter(slug=SLUG, live=True).exists()
    return Attempt(response, published)


@action("edit a release", "EMS")
def edit(client, user, world):
    release = draft(world.author)
    form = client.get(release_admin_url(release))
    response = edit_release(client, release, standfirst="A revised summary.")
    release.refresh_from_db()
    latest = release.get_latest_revision_as_object()
    return Attempt(response, latest.standfirst == "A revised summary.", form)


@action("submit for moderation", "EMS")
def submit(client, user, world):
    release = draft(world.author)
    response = edit_release(client, release, "submit")
    release.refresh_from_db()
    state = release.current_workflow_state
    submitted = state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
    return Attempt(response, submitted)


@action("approve a submitted release", "MS")
def approve(client, user, world):
    release = draft(world.author)
    world.newsroom.get_workflow().start(release, world.author)
    task_state = release.current_workflow_state.current_task_state
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[release.pk, "approve", task_state.pk],
    )
    form = client.get(url)  # the "approve with a comment" dialog
    response = client.post(url, {"comment": "Checked."})
    release.refresh_from_db()
    return Attempt(response, release.live, form)


@action("publish a draft", "MS", refusal="dropped")
def publish(client, user, world):
    release = draft(world.author)
    response = edit_release(client, release, "publish")
    release.refresh_from_db()
    return Attempt(response, release.live)


@action("publish changes to a live release", "MS", refusal="dropped")
def publish_changes(client, user, world):
    release = live(world.author)
    response = edit_release(client, release, "publish", standfirst="Unapproved.")
    release.refresh_from_db()
    return Attempt(response, release.standfirst == "Unapproved.")


@action("unpublish", "MS")
def unpublish(client, user, world):
    release = live(world.author)
    url = reverse("wagtailadmin_pages:unpublish", args=[release.pk])
    form = client.get(url)
    response = client.post(url)
    release.refresh_from_db()
    return Attempt(response, not release.live, form)


@action("withdraw", "MS", refusal="dropped")
def withdraw(client, user, world):
    release = live(world.author)
    response = edit_release(
        client,
        release,
        "publish",
        withdrawn="on",
        withdrawn_on="2024-10-01",
        withdrawal_reason="Issued in error.",
    )
    release.refresh_from_db()
    # Neither live nor waiting in a draft for someone else to publish.
    latest = release.get_latest_revision_as_object()
    return Attempt(response, release.withdrawn or latest.withdrawn)


def delete(client, release):
    url = reverse("wagtailadmin_pages:delete", args=[release.pk])
    form = client.get(url)
    response = client.post(url)
    gone = not Page.objects.filter(pk=release.pk).exists()
    return Attempt(response, gone, form)


@action("delete a draft", "EMS")
def delete_draft(client, user, world):
    return delete(client, draft(world.author))


@action("delete a live release", "MS")
def delete_live(client, user, world):
    return delete(client, live(world.author))


def move(client, release, world):
    # No GET here: Wagtail shows its confirmation page to anyone who can edit the
    # release and refuses only the move itself.
    url = reverse(
        "wagtailadmin_pages:move_confirm", args=[release.pk, world.archive.pk]
    )
    response = client.post(url)
    moved = Page.objects.get(pk=release.pk).get_parent().pk == world.archive.pk
    return Attempt(response, moved)


@action("move a draft", "EMS")
def move_draft(client, user, world):
    return move(client, draft(world.author), world)


@action("move a live release", "MS")
def move_live(client, user, world):
    return move(client, live(world.author), world)


SNIPPETS = {
    Official: (
        OfficialFactory,
        {
            "honorific": "Dr",
            "name": "Siti Rahma",
            "slug": "siti-rahma",
            "portrait": "",
            "bio": "",
            "appointments-TOTAL_FORMS": "0",
            "appointments-INITIAL_FORMS": "0",
            "appointments-MIN_NUM_FORMS": "0",
            "appointments-MAX_NUM_FORMS": "1000",
            **no_translations(),
        },
    ),
    Organisation: (
        OrganisationFactory,
        {
            "name": "Investment Coordinating Board",
            "acronym": "BKPM",
            "slug": "bkpm",
            "kind": "agency",
            "country": "Indonesia",
            "parent": "",
            "website": "",
            **no_translations(),
            **no_translations("default_contacts"),
        },
    ),
    Sector: (
        SectorFactory,
        {
            "name": "Bauxite",
            "slug": "bauxite",
            "parent": "",
            "code": "",
            "description": "",
            **no_translations(),
        },
    ),
    Region: (
        RegionFactory,
        {
            "name": "West Kalimantan",
            "slug": "west-kalimantan",
            "parent": "",
            "kind": "province",
            "iso_code": "ID-KB",
            **no_translations(),
        },
    ),
    Topic: (
        TopicFactory,
        {"name": "bauxite", "slug": "bauxite-topic", **no_translations()},
    ),
}


def snippet_url(model, view, pk=None):
    url = f"/admin/snippets/newsroom/{model._meta.model_name}/{view}/"
    return f"{url}{pk}/" if pk else url


def snippet_actions(model):
    factory, data = SNIPPETS[model]
    plural = model._meta.verbose_name_plural

    @action(f"add {plural}", "EMS")
    def add(client, user, world):
        form = client.get(snippet_url(model, "add"))
        response = client.post(snippet_url(model, "add"), data)
        return Attempt(response, model.objects.filter(slug=data["slug"]).exists(), form)

    @action(f"edit {plural}", "EMS")
    def edit(client, user, world):
        entity = factory(name="Existing entry", slug=data["slug"])
        url = snippet_url(model, "edit", entity.pk)
        form = client.get(url)
        response = client.post(url, {**data, "name": "Renamed entry"})
        renamed = model.objects.get(pk=entity.pk).name == "Renamed entry"
        return Attempt(response, renamed, form)

    @action(f"delete {plural}", "MS")
    def delete(client, user, world):
        entity = factory(name="Unused entry")
        url = snippet_url(model, "delete", entity.pk)
        form = client.get(url)
        response = client.post(url)
        return Attempt(response, not model.objects.filter(pk=entity.pk).exists(), form)


for snippet_model in SNIPPETS:
    snippet_actions(snippet_model)


# The register of regulations: the same rights as the other taxonomy snippets, but
# a regulation is named from its type, number and year (no name or slug to post).
REGULATION = {
    "type": "law",
    "number": "7",
    "year": "2014",
    "title": "Industry",
    "enacted": "2014-01-15",
    "status": "in_force",
    "url": "",
    **no_translations(),
}


@action("add regulations", "EMS")
def add_regulation(client, user, world):
    url = snippet_url(Regulation, "add")
    form = client.get(url)
    response = client.post(url, REGULATION)
    return Attempt(
        response, Regulation.objects.filter(slug="law-7-2014").exists(), form
    )


@action("edit regulations", "EMS")
def edit_regulation(client, user, world):
    regulation = RegulationFactory(
        type="law", number="7", year=2014, title="Existing entry"
    )
    url = snippet_url(Regulation, "edit", regulation.pk)
    form = client.get(url)
    response = client.post(url, {**REGULATION, "title": "Renamed entry"})
    renamed = Regulation.objects.get(pk=regulation.pk).title == "Renamed entry"
    return Attempt(response, renamed, form)


@action("delete regulations", "MS")
def delete_regulation(client, user, world):
    regulation = RegulationFactory(title="Unused entry")
    url = snippet_url(Regulation, "delete", regulation.pk)
    form = client.get(url)
    response = client.post(url)
    gone = not Regulation.objects.filter(pk=regulation.pk).exists()
    return Attempt(response, gone, form)


TAXONOMY_SNIPPETS = {*SNIPPETS, Regulation}
assert {model._meta.model_name for model in TAXONOMY_SNIPPETS} == {
    kind.model_name.lower() for kind in kinds.KINDS
}, "a kind's snippet is missing here"


def listed(response, url_name, pk):
    """Whether the listing links to the edit view of ``pk``."""
    return reverse(url_name, args=[pk]).encode() in response.content


@action("list users", "S")
def list_users(client, user, world):
    response = client.get(reverse("wagtailusers_users:index"))
    return Attempt(
        response, listed(response, "wagtailusers_users:edit", world.author.pk)
    )


@action("list groups", "S")
def list_groups(client, user, world):
    response = client.get(reverse("wagtailusers_groups:index"))
    editors = Group.objects.get(name=EDITORS)
    return Attempt(response, listed(response, "wagtailusers_groups:edit", editors.pk))


@action("add a user", "S")
def add_user(client, user, world):
    url = reverse("wagtailusers_users:add")
    data = replayed_form(
        world,
        url,
        username=["intruder"],
        email=["intruder@example.org"],
        first_name=["In"],
        last_name=["Truder"],
        password1=["a-long-passphrase-1"],
        password2=["a-long-passphrase-1"],
        is_superuser=["on"],
    )
    form = client.get(url)
    response = client.post(url, data)
    created = get_user_model().objects.filter(username="intruder").exists()
    return Attempt(response, created, form)


@action("make the editor a superuser", "S")
def promote(client, user, world):
    editor = world.users["editor"]
    url = reverse("wagtailusers_users:edit", args=[editor.pk])
    # The admin's user form requires a last name, which the fixture user lacks.
    data = replayed_form(world, url, is_superuser=["on"], last_name=["Editor"])
    form = client.get(url)
    response = client.post(url, data)
    editor.refresh_from_db()
    return Attempt(response, editor.is_superuser, form)


@action("add a group", "S")
def add_group(client, user, world):
    url = reverse("wagtailusers_groups:add")
    data = replayed_form(world, url, name=["Insiders"])
    form = client.get(url)
    response = client.post(url, data)
    return Attempt(response, Group.objects.filter(name="Insiders").exists(), form)


@action("rename the Editors group", "S")
def rename_group(client, user, world):
    editors = Group.objects.get(name=EDITORS)
    url = reverse("wagtailusers_groups:edit", args=[editors.pk])
    data = replayed_form(world, url, name=["Editors with more power"])
    form = client.get(url)
    response = client.post(url, data)
    editors.refresh_from_db()
    return Attempt(response, editors.name != EDITORS, form)


def root_collection():
    return Collection.get_first_root_node().pk


@action("upload an image", "EMS")
def upload_image(client, user, world):
    url = reverse("wagtailimages:add")
    form = client.get(url)
    response = client.post(
        url,
        {
            "title": "Smelter visit",
            "collection": root_collection(),
            "file": SimpleUploadedFile("visit.png", png(), content_type="image/png"),
        },
    )
    uploaded = get_image_model().objects.filter(title="Smelter visit").exists()
    return Attempt(response, uploaded, form)


@action("delete another's image", "MS")
def delete_image(client, user, world):
    image = get_image_model().objects.create(
        title="Old picture",
        file=SimpleUploadedFile("old.png", png(), content_type="image/png"),
        uploaded_by_user=world.author,
    )
    url = reverse("wagtailimages:delete", args=[image.pk])
    form = client.get(url)
    response = client.post(url)
    gone = not get_image_model().objects.filter(pk=image.pk).exists()
    return Attempt(response, gone, form)


@action("retitle one's own image", "EMS")
def edit_own_image(client, user, world):
    """Editors keep their own uploads: Wagtail's ownership rule, not change_image."""
    image = get_image_model().objects.create(
        title="My picture",
        file=SimpleUploadedFile("mine.png", png(), content_type="image/png"),
        uploaded_by_user=user,
    )
    url = reverse("wagtailimages:edit", args=[image.pk])
    form = client.get(url)
    response = client.post(
        url, {"title": "My retitled picture", "collection": root_collection()}
    )
    retitled = get_image_model().objects.filter(title="My retitled picture").exists()
    return Attempt(response, retitled, form)


@action("upload a document", "EMS")
def upload_document(client, user, world):
    url = reverse("wagtaildocs:add")
    form = client.get(url)
    response = client.post(
        url,
        {
            "title": "Joint statement",
            "collection": root_collection(),
            "file": SimpleUploadedFile("statement.pdf", b"%PDF-1.4\n%%EOF\n"),
        },
    )
    uploaded = get_document_model().objects.filter(title="Joint statement").exists()
    return Attempt(response, uploaded, form)


@action("delete another's document", "MS")
def delete_document(client, user, world):
    document = get_document_model().objects.create(
        title="Old statement",
        file=SimpleUploadedFile("old.pdf", b"%PDF-1.4\n%%EOF\n"),
        uploaded_by_user=world.author,
    )
    url = reverse("wagtaildocs:delete", args=[document.pk])
    form = client.get(url)
    response = client.post(url)
    gone = not get_document_model().objects.filter(pk=document.pk).exists()
    return Attempt(response, gone, form)


# --- the matrix ---------------------------------------------------------------------


def answer(response):
    location = response.get("Location", "")
    return f"{response.status_code} {location}".strip()


def sent_to_login(response):
    return response.status_code == 302 and response["Location"].startswith(
        "/admin/login/"
    )


def refused(response):
    """Wagtail's refusal of a signed-in user: the dashboard with a message, or 403."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


# Cells where the admin does not do what the policy says: (action, role): reason.
def matrix():
    for name in ACTIONS:
        for role in ROLES:
            yield pytest.param(name, role, id=f"{name} as {role}")


@pytest.mark.parametrize(("name", "role"), list(matrix()))
def test_role_matrix(world, name, role):
    allowed_roles, refusal, attempt_action = ACTIONS[name]
    user = world.users[role]
    attempt = attempt_action(client_for(user), user, world)
    response = attempt.response
    allowed = role in allowed_roles
    assert attempt.happened is allowed, (answer(response), admin_form_errors(response))
    if allowed:
        assert response.status_code in (200, 302), answer(response)
        assert not refused(response), answer(response)
        if attempt.form is not None:
            assert attempt.form.status_code == 200, answer(attempt.form)
    elif role == "anonymous":
        assert sent_to_login(response), answer(response)
        if attempt.form is not None:
            assert sent_to_login(attempt.form), answer(attempt.form)
    elif refusal == "dropped":
        # The draft is saved (a redirect back to the editor), not refused outright.
        assert response.status_code == 302, answer(response)
        assert not refused(response), answer(response)
    else:
        assert refused(response), answer(response)
        if attempt.form is not None:
            assert refused(attempt.form), answer(attempt.form)
