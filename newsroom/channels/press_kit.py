"""The press kit: one zip with everything a journalist files a story from.

``release.pdf``, ``release.md`` (the text as Markdown), ``release.json`` (IPTC
ninjs 2.0), ``pictures/`` (every original: the hero and the body's pictures),
``CREDITS.txt``, ``documents/`` (the body's attached documents) and
``contacts/<slug>.vcf``.

The zip is streamed (zipstream-ng): each picture and document is read from the
storage in chunks as the client downloads, so a kit of hundreds of megabytes
never sits in memory; pictures are stored, not deflated (they are compressed
already).
"""

import os

import zipstream
from django.utils import translation
from django.utils.html import linebreaks
from django.utils.text import slugify
from markdownify import markdownify
from wagtail.rich_text import expand_db_html

from newsroom.channels.contacts import vcard_text
from newsroom.finder import entity_names
from newsroom.models.blocks import format_figure

CHUNK = 64 * 1024


def picture_rights(image, block_credit=""):
    """(credit, licence) of a picture: the picture's own (models/images.py),
    else the credit an editor typed on the body's picture block."""
    return image.credit or block_credit or "", image.licence or ""


def safe_name(name, fallback):
    """A file name safe in any unzipper: the base name, slugified, its extension
    kept (no directories, no ``..``, no control characters)."""
    stem, extension = os.path.splitext(os.path.basename(name or ""))
    stem = slugify(stem)[:80] or fallback
    extension = "".join(ch for ch in extension.lower() if ch.isalnum())[:8]
    return f"{stem}.{extension}" if extension else stem


class Picture:
    """An original picture of the release with its name in the kit."""

    def __init__(self, image, arcname, caption="", block_credit=""):
        self.image = image
        self.arcname = arcname
        self.caption = caption
        self.credit, self.licence = picture_rights(image, block_credit)


def pictures_of(page):
    """The hero, then the body's pictures, each original once, named after the
    release: ``pictures/<release slug>-<n>.<ext>``."""
    found, candidates = [], []
    if page.hero_image is not None:
        candidates.append((page.hero_image, "", ""))
    for block in page.body:
        if block.block_type == "image" and block.value.get("image") is not None:
            value = block.value
            candidates.append(
                (value["image"], value.get("caption", ""), value.get("credit", ""))
            )
    by_pk = {}
    for image, caption, credit in candidates:
        known = by_pk.get(image.pk)
        if known is not None:
            # The hero shown again in the body: the body's caption and credit
            # describe it.
            known.caption = known.caption or caption
            if credit and not known.credit:
                known.credit, known.licence = picture_rights(image, credit)
            continue
        extension = os.path.splitext(image.file.name)[1].lower().lstrip(".")
        name = f"{page.slug}-{len(found) + 1}.{extension or 'jpg'}"
        by_pk[image.pk] = Picture(image, f"pictures/{name}", caption, credit)
        found.append(by_pk[image.pk])
    return found


def documents_of(page):
    """(document, name in the kit) of the body's document blocks, each once,
    leaving out documents in a collection behind a view restriction."""
    found, seen, names = [], set(), set()
    for block in page.body:
        if block.block_type != "document":
            continue
        document = block.value.get("document")
        if document is None or document.pk in seen:
            continue
        seen.add(document.pk)
        if document.collection.get_view_restrictions().exists():
            continue
        name = safe_name(document.file.name, f"document-{document.pk}")
        if name in names:
            name = f"{document.pk}-{name}"
        names.add(name)
        found.append((document, f"documents/{name}"))
    return found


def credits_text(page, pictures):
    lines = [page.title, page.full_url or page.url, ""]
    for picture in pictures:
        lines.append(picture.arcname)
        if picture.caption:
            lines.append(f"  {translation.gettext('Caption')}: {picture.caption}")
        lines.append(
            f"  {translation.gettext('Credit')}: "
            f"{picture.credit or translation.gettext('Ministry of Industry')}"
        )
        if picture.licence:
            lines.append(f"  {translation.gettext('Licence')}: {picture.licence}")
        lines.append("")
    return "\n".join(lines)


MARKDOWN_SPECIAL = frozenset("\\`*_[]<>&|")


def md(text):
    """Plain text as Markdown that shows it as typed: HTML's and Markdown's
    own punctuation backslash-escaped, so no viewer renders a ``<script>``."""
    return "".join(
        f"\\{ch}" if ch in MARKDOWN_SPECIAL else ch for ch in str(text or "").strip()
    )


def md_paragraphs(text):
    return markdownify(linebreaks(text, autoescape=True), escape_misc=True).strip()


def table_markdown(data):
    rows = [[md(cell) for cell in row] for row in data]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def release_markdown(context, pictures, documents):
    """The release as Markdown, pictures and documents linked inside the kit."""
    page = context["page"]
    by_image = {picture.image.pk: picture for picture in pictures}
    by_document = {document.pk: name for document, name in documents}
    out = [f"# {md(page.title)}", "", md(page.standfirst), ""]
    when = page.release_date.isoformat()
    out += [f"**{md(page.dateline)}**, {when}" if page.dateline else when, ""]
    if page.reference:
        out += [f"{translation.gettext('Reference')}: {md(page.reference)}", ""]
    for block in page.body:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            out.append(
                markdownify(
                    expand_db_html(value.source), heading_style="ATX", escape_misc=True
                )
            )
        elif kind == "quote":
            out += ["> " + md(line) for line in value["text"].splitlines()]
            if value.get("attribution"):
                out.append(f"> — {md(value['attribution'])}")
        elif kind == "image" and value.get("image") is not None:
            picture = by_image.get(value["image"].pk)
            alt = md(value["image"].contextual_alt_text)
            if picture:
                out.append(f"![{alt}]({picture.arcname})")
            if value.get("caption"):
                out.append(f"*{md(value['caption'])}*")
        elif kind == "table":
            out.append(table_markdown(value.get("data") or []))
        elif kind == "document" and value.get("document") is not None:
            name = by_document.get(value["document"].pk)
            title = md(value.get("title") or value["document"].title)
            out.append(f"[{title}]({name})" if name else title)
        elif kind == "embed" and value is not None:
            out.append(md(value.url))
        elif kind == "key_figures":
            out += [
                f"- {md(figure['label'])}: "
                + format_figure(figure["value"], figure["unit"], figure["is_currency"])
                for figure in value
            ]
        out.append("")
    if context["officials"]:
        out += [f"## {translation.gettext('Officials')}", ""]
        out += [
            f"- {md(link.official.display_name)}"
            + (f", {md(link.role)}" if link.role else "")
            for link in context["officials"]
        ]
        out.append("")
    if context["contacts"]:
        out += [f"## {translation.gettext('Media contact')}", ""]
        for contact in context["contacts"]:
            details = [contact.name, contact.text("role", context["language"])]
            details += [contact.phone, contact.email]
            out.append("- " + ", ".join(md(part) for part in details if part))
        out.append("")
    for organisation, text in context["boilerplates"]:
        name = entity_names.localized_name(organisation, context["language"])
        heading = translation.gettext("About %(name)s") % {"name": name}
        out += [f"## {md(heading)}", "", md_paragraphs(text), ""]
    out.append(md(context["url"]))
    return "\n".join(out) + "\n"


def byte_slices(data):
    view = memoryview(data)
    return (view[start : start + CHUNK] for start in range(0, len(view), CHUNK))


def file_chunks(field_file):
    """A stored file's bytes, chunk by chunk, opened only when the zip reaches it."""
    field_file.open("rb")
    try:
        yield from field_file.chunks(CHUNK)
    finally:
        field_file.close()


def press_kit_stream(context, pdf, ninjs_json):
    """The zip as an iterator of bytes (nothing is read before it is iterated)."""
    page = context["page"]
    code = context["language"]
    pictures = pictures_of(page)
    documents = documents_of(page)
    kit = zipstream.ZipStream(compress_type=zipstream.ZIP_DEFLATED, sized=False)
    # Stored, not deflated (a PDF's streams are compressed already), and fed in
    # slices of one buffer, so the PDF is not copied whole again.
    kit.add(byte_slices(pdf), "release.pdf", compress_type=zipstream.ZIP_STORED)
    kit.add(release_markdown(context, pictures, documents).encode(), "release.md")
    kit.add(ninjs_json.encode(), "release.json")
    kit.add(credits_text(page, pictures).encode(), "CREDITS.txt")
    for picture in pictures:
        kit.add(
            file_chunks(picture.image.file),
            picture.arcname,
            compress_type=zipstream.ZIP_STORED,
        )
    for document, name in documents:
        kit.add(file_chunks(document.file), name)
    for contact in context["contacts"]:
        kit.add(vcard_text(contact, code).encode(), f"contacts/{contact.slug}.vcf")
    return kit
