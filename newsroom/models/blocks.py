"""The StreamField blocks of a press release body."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.forms.utils import ErrorList
from django.utils.html import format_html, format_html_join
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from newsroom.models.figures import ListedFigure

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h2", "h3", "document-link"]

SCALES = [
    (Decimal(10) ** 12, "trillion"),
    (Decimal(10) ** 9, "billion"),
    (Decimal(10) ** 6, "million"),
]


def format_figure(value, unit="", is_currency=False):
    """Render a key figure the way a release prints it: "USD 1.2 billion", "500 MW"."""
    if value is None:
        return ""
    value = Decimal(value)
    number = f"{value.normalize():,f}"
    for threshold, word in SCALES:
        if abs(value) >= threshold:
            scaled = (value / threshold).quantize(Decimal("0.01")).normalize()
            number = f"{scaled:,f} {word}"
            break
    if not unit:
        return number
    return f"{unit} {number}" if is_currency else f"{number} {unit}"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(help_text="The words quoted, without quotation marks.")
    official = SnippetChooserBlock(
        "newsroom.Official",
        required=False,
        help_text="Who said it. Leave empty only for an unnamed spokesperson.",
    )
    attribution = blocks.CharBlock(
        required=False,
        help_text="Replaces the official's role of the day, e.g. 'spokesperson'.",
    )

    class Meta:
        icon = "openquote"
        template = "components/blocks/quote_block.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock(help_text="Alt text is required unless the image is decorative.")
    caption = blocks.CharBlock(required=False)
    credit = blocks.CharBlock(
        required=False, help_text="e.g. Ministry of Industry/Public Relations"
    )

    class Meta:
        icon = "image"
        template = "components/blocks/image_block.html"

    def clean(self, value):
        value = super().clean(value)
        image = value.get("image")
        if image is not None and not getattr(image, "decorative", False):
            if not (getattr(image, "contextual_alt_text", "") or "").strip():
                raise blocks.StructBlockValidationError(
                    block_errors={
                        "image": ErrorList(
                            [
                                ValidationError(
                                    "Describe the image or mark it decorative."
                                )
                            ]
                        )
                    }
                )
        return value


class GalleryPictureBlock(blocks.StructBlock):
    image = ImageBlock(help_text="Alt text is required unless the image is decorative.")
    caption = blocks.CharBlock(
        required=False, help_text="Defaults to the picture's own caption."
    )

    def clean(self, value):
        return CaptionedImageBlock.clean(self, value)


class GalleryBlock(blocks.StructBlock):
    """Many photos of one event, as a grid of thumbnails opening the full picture."""

    title = blocks.CharBlock(required=False, help_text="e.g. 'Photos of the visit'.")
    pictures = blocks.ListBlock(GalleryPictureBlock(), min_num=2)

    class Meta:
        icon = "image"
        template = "components/blocks/gallery_block.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(
        required=False, help_text="Defaults to the document's title."
    )

    class Meta:
        icon = "doc-full"
        template = "components/blocks/document_block.html"


class FigureKeyInput(forms.TextInput):
    """A text input offering the keys of figures already published (a datalist):
    an editor repeating a figure picks its key rather than retyping it."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id', name)}-keys"
        attrs["list"] = list_id
        html = super().render(name, value, attrs, renderer)
        keys = (
            ListedFigure.objects.exclude(key="")
            .order_by("key")
            .values_list("key", flat=True)
            .distinct()[:500]
        )
        options = format_html_join("", '<option value="{}">', ((k,) for k in keys))
        return format_html('{}<datalist id="{}">{}</datalist>', html, list_id, options)


class FigureKeyBlock(blocks.CharBlock):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.field.widget = FigureKeyInput()


class KeyFigureBlock(blocks.StructBlock):
    """A typed figure (investment, jobs, capacity) that can be listed and exported."""

    value = blocks.DecimalBlock(
        help_text="The full number: 1200000000 for 1.2 billion.", decimal_places=2
    )
    unit = blocks.CharBlock(
        max_length=20,
        required=False,
        help_text="Currency code (USD, IDR) or unit (MW, jobs, tonnes per year).",
    )
    is_currency = blocks.BooleanBlock(
        required=False,
        help_text="Tick when the unit is a currency (printed before the number).",
    )
    label = blocks.CharBlock(
        max_length=120, help_text="What it measures, e.g. 'investment'."
    )
    key = FigureKeyBlock(
        required=False,
        max_length=80,
        validators=[validate_slug],
        help_text="Only for a figure repeated across releases, e.g. "
        "'morowali-smelter-investment': pick the key it had before. Figures "
        "sharing a key count once in the figures tracker (the latest release's).",
    )

    class Meta:
        icon = "order"

    def formatted(self, value):
        return format_figure(value["value"], value["unit"], value["is_currency"])


class ReleaseBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, icon="pilcrow")
    quote = QuoteBlock()
    image = CaptionedImageBlock()
    gallery = GalleryBlock()
    table = TableBlock(template="components/blocks/table_block.html")
    document = DocumentBlock()
    embed = EmbedBlock(icon="media", template="components/blocks/embed_block.html")
    key_figures = blocks.ListBlock(
        KeyFigureBlock(),
        icon="list-ol",
        template="components/blocks/key_figures_block.html",
        help_text="Investment, jobs, capacity: figures that are listed and exported.",
    )
