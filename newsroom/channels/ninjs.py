"""A release in IPTC ninjs 2.0 (News in JSON), for newsroom systems.

Properties follow the 2.0 schema (ninjs-schema_2.0.json): ``uri`` is the
release's canonical URL; ``version`` its live revision; ``headlines``,
``descriptions`` and ``bodies`` carry the title, standfirst and HTML body;
officials are ``people``, organisations ``organisations``, regions ``places``,
sectors and topics ``subjects``, the reference number an ``altids`` entry; the
pictures are ``associations`` (each a ninjs object of type picture with its
original as a rendition), and the PDF and press kit are ``renditions``. The
media contacts have no ninjs property: they go in ``ednote`` as text, which the
schema means for the receiving newsroom's staff.
"""

import json
import mimetypes
from datetime import datetime, time

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import strip_tags

from newsroom.channels.press_kit import pictures_of
from newsroom.finder import entity_names

SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_2.0.json"


def _datetime(value):
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = timezone.make_aware(datetime.combine(value, time(0, 0)))
    return value.isoformat()


def absolute(request, path):
    return path if "://" in path else request.build_absolute_uri(path)


def body_html(page):
    """The body as HTML, with the page's own block templates (embeds left out:
    their players load third-party scripts a receiving system should not)."""
    return render_to_string("newsroom/ninjs_body.html", {"page": page}).strip()


def entity_refs(request, entities, code, rel):
    return [
        {
            "name": entity_names.localized_name(entity, code),
            "rel": rel,
            "uri": absolute(request, entity_names.localized_url(entity, code)),
            "literal": entity.slug,
        }
        for entity in entities
    ]


def picture_item(request, picture):
    image = picture.image
    item = {
        "name": picture.arcname.rsplit("/", 1)[-1],
        "uri": absolute(request, image.file.url),
        "type": "picture",
        "renditions": [
            {
                "name": "original",
                "href": absolute(request, image.file.url),
                "contenttype": mimetypes.guess_type(image.file.name)[0]
                or "application/octet-stream",
                "width": image.width,
                "height": image.height,
                "sizeinbytes": image.file_size or image.file.size,
            }
        ],
    }
    if picture.caption:
        item["descriptions"] = [{"role": "caption", "value": picture.caption}]
    if picture.credit:
        item["by"] = picture.credit
    if picture.licence:
        item["usageterms"] = picture.licence
    return item


def ninjs_document(request, context):
    page = context["page"]
    code = context["language"]
    url = absolute(request, context["url"])
    html = body_html(page)
    text = strip_tags(html)
    with translation.override(code):
        document = {
            "uri": url,
            "standard": {"name": "ninjs", "version": "2.0", "schema": SCHEMA},
            "type": "text",
            "representationtype": "full",
            "profile": "press-release",
            "version": str(page.live_revision_id or 1),
            "firstcreated": _datetime(page.first_published_at),
            "versioncreated": _datetime(page.last_published_at),
            "contentcreated": _datetime(page.event_date or page.release_date),
            "pubstatus": "canceled" if page.withdrawn else "usable",
            "language": code,
            "copyrightholder": translation.gettext("Ministry of Industry"),
            "title": page.title,
            "slugline": page.slug,
            "headlines": [{"role": "main", "value": page.title}],
            "descriptions": [
                {
                    "role": "summary",
                    "contenttype": "text/plain",
                    "value": page.standfirst,
                }
            ],
            "bodies": [
                {
                    "role": "main",
                    "contenttype": "text/html",
                    "value": html,
                    "charcount": len(text),
                    "wordcount": len(text.split()),
                }
            ],
            "people": [
                {**ref, "rel": "quoted" if link.quoted else "mentioned"}
                for link, ref in zip(
                    context["officials"],
                    entity_refs(
                        request,
                        [link.official for link in context["officials"]],
                        code,
                        "mentioned",
                    ),
                    strict=True,
                )
            ],
            "organisations": entity_refs(request, page.organisations, code, "about"),
            "places": entity_refs(request, page.regions, code, "about"),
            "subjects": [
                *entity_refs(request, page.sectors, code, "sector"),
                *entity_refs(request, page.sorted_topics(), code, "topic"),
            ],
            "infosources": [{"name": translation.gettext("Ministry of Industry")}],
            "renditions": [
                {"name": "html", "href": url, "contenttype": "text/html"},
                {
                    "name": "pdf",
                    "href": f"{url}release.pdf",
                    "contenttype": "application/pdf",
                },
                {
                    "name": "press-kit",
                    "href": f"{url}press-kit.zip",
                    "contenttype": "application/zip",
                },
            ],
            "associations": [picture_item(request, p) for p in pictures_of(page)],
        }
    if page.dateline:
        document["located"] = page.dateline
    if page.reference:
        document["altids"] = [{"role": "reference", "value": page.reference}]
    if context["contacts"]:
        document["ednote"] = "; ".join(
            ", ".join(
                part
                for part in (
                    contact.name,
                    contact.text("role", code),
                    contact.phone,
                    contact.email,
                )
                if part
            )
            for contact in context["contacts"]
        )
    return {key: value for key, value in document.items() if value not in (None, [])}


def ninjs_json(request, context):
    return json.dumps(ninjs_document(request, context), ensure_ascii=False, indent=2)
