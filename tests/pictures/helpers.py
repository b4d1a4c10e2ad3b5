"""Pictures made for the tests: real PNG files through Wagtail's image model."""

import io

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model


def png_bytes(size=(64, 48), colour=(200, 30, 30)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def make_picture(title="Smelter at dusk", size=(64, 48), name=None, **fields):
    Image = get_image_model()
    name = name or f"{title.lower().replace(' ', '-')}.png"
    image = Image(
        title=title, file=ImageFile(io.BytesIO(png_bytes(size)), name=name), **fields
    )
    image.save()
    return image


def image_block(image, caption="", alt="A smelter at dusk"):
    return {
        "type": "image",
        "value": {
            "image": {"image": image.pk, "decorative": False, "alt_text": alt},
            "caption": caption,
            "credit": "",
        },
    }
