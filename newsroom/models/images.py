"""Pictures with their rights: credit, licence and a caption in each language.

``NewsroomImage`` is the site's Wagtail image model (``WAGTAILIMAGES_IMAGE_MODEL``).
``restricted`` says whether the file may be served to anyone: it is kept by
``newsroom/channels/pictures.py`` as releases are published and unpublished, so the
media view reads one flag instead of working out who uses the picture on each request.
"""

from django.db import models
from django.utils.translation import get_language
from wagtail.images.models import AbstractImage, AbstractRendition, Image


def picture_field(**options):
    """A row's optional picture (a portrait, a release's hero image), emptied
    rather than deleted with the picture."""
    return models.ForeignKey(
        "newsroom.NewsroomImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        **options,
    )


class NewsroomImage(AbstractImage):
    # Wagtail reads ``description`` as the picture's default alt text: say so.
    description = models.CharField(
        "alt text",
        blank=True,
        max_length=255,
        default="",
        help_text="What the picture shows, for readers who cannot see it "
        "(read aloud by screen readers). Not a caption.",
    )
    credit = models.CharField(
        max_length=255,
        blank=True,
        help_text="Who took or made it, e.g. 'Ministry of Industry/Public Relations'.",
    )
    licence = models.CharField(
        max_length=255,
        blank=True,
        help_text="How others may use it, e.g. 'CC BY 4.0' or "
        "'© Ministry of Industry, free to use with credit'.",
    )
    caption_en = models.CharField(
        "caption (English)", max_length=500, blank=True, help_text="Shown under it."
    )
    caption_id = models.CharField(
        "caption (Indonesian)",
        max_length=500,
        blank=True,
        help_text="Leave empty to show the English caption.",
    )
    # New uploads start restricted: a picture is served to anyone only once
    # something public uses it (a published release, an official's portrait).
    restricted = models.BooleanField(
        default=True,
        editable=False,
        help_text="Served only to editors and embargo holders.",
    )

    admin_form_fields = (
        *Image.admin_form_fields,
        "credit",
        "licence",
        "caption_en",
        "caption_id",
    )

    class Meta(AbstractImage.Meta):
        verbose_name = "image"
        verbose_name_plural = "images"

    def save(self, *args, **kwargs):
        # Wagtail's upload form records the size; pictures saved in code (the demo,
        # imports) would otherwise have none for the Media section to show.
        if self.file_size is None and self.file:
            try:
                self.file_size = self.file.size
            except OSError:
                pass
        super().save(*args, **kwargs)

    def caption_in(self, language_code=None):
        """The caption in ``language_code`` (default: the active language), else
        the English one."""
        language = (language_code or get_language() or "en").split("-")[0]
        if language == "id" and self.caption_id:
            return self.caption_id
        return self.caption_en


class NewsroomRendition(AbstractRendition):
    image = models.ForeignKey(
        NewsroomImage, related_name="renditions", on_delete=models.CASCADE
    )

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


def pictures_of(release):
    """A release's pictures in reading order, each once: the hero image, then
    the body's image and gallery blocks."""
    found = [release.hero_image] if release.hero_image_id else []
    for block in release.body:
        if block.block_type == "image":
            found.append(block.value["image"])
        elif block.block_type == "gallery":
            found.extend(item["image"] for item in block.value["pictures"])
    seen, pictures = set(), []
    for picture in found:
        if picture is not None and picture.pk not in seen:
            seen.add(picture.pk)
            pictures.append(picture)
    return pictures
