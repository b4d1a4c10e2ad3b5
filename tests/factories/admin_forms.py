"""The release editor's form as the admin posts it, for the workflow tests."""


def release_admin_url(release=None, newsroom=None, view="edit"):
    """The Wagtail admin add view (under ``newsroom``) or a view of ``release``."""
    if release is None:
        return f"/admin/pages/add/newsroom/pressreleasepage/{newsroom.pk}/"
    return f"/admin/pages/{release.pk}/{view}/"


def release_admin_form_data(release=None, action=None, **fields):
    """POST data of the release add/edit form, as the Wagtail admin sends it.

    With ``release``, its current values are kept (paragraph-only bodies, relations,
    corrections, withdrawal); ``fields`` override them, and the relations
    ``release_sectors``, ``release_regulations`` etc. and ``corrections`` take
    lists of form dicts (existing rows need their ``id``). ``action`` is
    "publish", "submit" or None (save draft).
    """
    from taggit.utils import edit_string_for_tags
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    from newsroom.models.blocks import RICH_TEXT_FEATURES

    def when(value):
        return value.strftime("%Y-%m-%d %H:%M") if value else ""

    paragraphs = []
    if release is not None:
        for block in release.body:
            assert block.block_type == "paragraph", "paragraph-only bodies"
            paragraphs.append(block.value.source)
    data = {
        "title": "Ministry and partners sign a smelter governance charter",
        "slug": "smelter-governance-charter",
        "standfirst": "The ministry agreed governance rules with smelter operators.",
        "dateline": "Jakarta",
        "release_date": "2024-09-27",
        "event_date": "",
        "reference": "",
        "topics": "",
        "media_contact_name": "",
        "media_contact_email": "",
        "media_contact_phone": "",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "release_officials": [],
        "release_sectors": [],
        "release_regions": [],
        "release_organisations": [],
        "release_regulations": [],
        "corrections": [],
        "related_links": [],
        "release_contacts": [],
    }
    if release is not None:
        data.update(
            title=release.title,
            slug=release.slug,
            standfirst=release.standfirst,
            dateline=release.dateline,
            release_date=release.release_date.isoformat(),
            event_date=release.event_date.isoformat() if release.event_date else "",
            reference=release.reference,
            topics=edit_string_for_tags(list(release.topics.all())),
            go_live_at=when(release.go_live_at),
            expire_at=when(release.expire_at),
            release_officials=[
                {"id": link.pk, "official": link.official_id, "role": link.role}
                | ({"quoted": "on"} if link.quoted else {})
                for link in release.release_officials.all()
            ],
            release_sectors=[
                {"id": link.pk, "sector": link.sector_id}
                for link in release.release_sectors.all()
            ],
            release_regions=[
                {"id": link.pk, "region": link.region_id}
                for link in release.release_regions.all()
            ],
            release_organisations=[
                {"id": link.pk, "organisation": link.organisation_id}
                for link in release.release_organisations.all()
            ],
            release_regulations=[
                {"id": link.pk, "regulation": link.regulation_id}
                for link in release.release_regulations.all()
            ],
            corrections=[
                {"id": c.pk, "date": when(c.date.astimezone()), "note": c.note}
                for c in release.corrections.all()
            ],
            release_contacts=[
                {"id": link.pk, "contact": link.contact_id}
                for link in release.release_contacts.all()
            ],
        )
        if release.withdrawn:
            data.update(
                withdrawn="on",
                withdrawn_on=(release.withdrawn_on or "") and str(release.withdrawn_on),
                withdrawal_reason=release.withdrawal_reason,
            )
    data.update(fields)
    body = data.pop("body_paragraphs", paragraphs)
    data["body"] = streamfield(
        [("paragraph", rich_text(html, features=RICH_TEXT_FEATURES)) for html in body]
    )
    for relation in (
        "release_officials",
        "release_sectors",
        "release_regions",
        "release_organisations",
        "release_regulations",
        "corrections",
        "related_links",
        "release_contacts",
    ):
        rows = list(data[relation])  # existing rows (with an "id") first
        data[relation] = inline_formset(
            rows, initial=sum(1 for r in rows if r.get("id"))
        )
    if action:
        data[f"action-{action}"] = f"action-{action}"
    return nested_form_data(data)


def admin_form_errors(response):
    """The errors of an admin form response (page or snippet), for messages."""
    context = getattr(response, "context", None)
    if context is None or "form" not in context:
        return f"status {response.status_code}"
    form = context["form"]
    errors = {key: list(value) for key, value in form.errors.items()}
    for name, formset in getattr(form, "formsets", {}).items():
        if formset.non_form_errors():
            errors[name] = list(formset.non_form_errors())
        for index, child in enumerate(formset.forms):
            if child.errors:
                errors[f"{name}-{index}"] = dict(child.errors)
    return errors
