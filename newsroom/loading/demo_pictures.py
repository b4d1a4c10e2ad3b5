"""The demo's pictures: scenes and portraits drawn on the machine, each with the
press office's credit and licence and captions in both languages."""

import io

from django.core.files.images import ImageFile
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model

# (title, two colours, motif) of the hero pictures drawn for the demo
HERO_SCENES = [
    ("Smelter at dusk", ("#3b1f0e", "#e07a2f"), "smelter"),
    ("Solar panel array", ("#0b2545", "#4f9fd8"), "solar"),
    ("Ministry meeting room", ("#1f2a36", "#8aa1b1"), "meeting"),
    ("Steel coils in a warehouse", ("#2b2d31", "#9aa3ad"), "coils"),
    ("Industrial estate from above", ("#16351f", "#6fbf73"), "estate"),
    ("Battery cell production line", ("#1b1b3a", "#7b6cf6"), "battery"),
]
HERO_CAPTIONS_ID = {  # English captions are the titles
    "Smelter at dusk": "Smelter saat senja",
    "Solar panel array": "Deretan panel surya",
    "Ministry meeting room": "Ruang rapat Kementerian",
    "Steel coils in a warehouse": "Gulungan baja di gudang",
    "Industrial estate from above": "Kawasan industri dari udara",
    "Battery cell production line": "Lini produksi sel baterai",
}


def _font(size):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType
        return ImageFont.load_default()


def draw_scene(width, height, colours, motif, caption):
    """A simple illustrative picture: gradient sky, a motif, a caption band."""
    top, bottom = (PILImage.new("RGB", (1, 1), c).getpixel((0, 0)) for c in colours)
    picture = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        t = y / max(height - 1, 1)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    ground = int(height * 0.72)
    draw.rectangle([0, ground, width, height], fill=tuple(c // 2 for c in top))
    unit = width // 16
    if motif == "smelter":
        for i in range(4):
            x = unit * (2 + 3 * i)
            draw.rectangle([x, ground - unit * 4, x + unit, ground], fill="#222")
            draw.ellipse(
                [x - unit, ground - unit * 6, x + unit * 2, ground - unit * 4],
                fill="#bbb",
            )
    elif motif == "solar":
        for row in range(3):
            for col in range(8):
                x, y = unit * (1 + col * 1.8), ground + row * unit * 0.8 - unit * 2
                draw.polygon(
                    [
                        (x, y),
                        (x + unit * 1.5, y),
                        (x + unit * 1.2, y + unit * 0.6),
                        (x - unit * 0.3, y + unit * 0.6),
                    ],
                    fill="#123a6b",
                    outline="#cfe3f7",
                )
    elif motif == "meeting":
        draw.rectangle([unit * 3, ground - unit, unit * 13, ground], fill="#5b3a1e")
        for i in range(6):
            x = unit * (3.5 + i * 1.7)
            draw.ellipse(
                [x, ground - unit * 2.6, x + unit, ground - unit * 1.6], fill="#e9c9a7"
            )
    elif motif == "coils":
        for i in range(5):
            x = unit * (1.5 + i * 2.8)
            draw.ellipse(
                [x, ground - unit * 2.5, x + unit * 2.4, ground],
                fill="#9aa3ad",
                outline="#ddd",
                width=6,
            )
            draw.ellipse(
                [
                    x + unit * 0.8,
                    ground - unit * 1.7,
                    x + unit * 1.6,
                    ground - unit * 0.8,
                ],
                fill="#333",
            )
    elif motif == "estate":
        for i in range(7):
            x = unit * (1 + i * 2)
            h = unit * (1 + (i * 37) % 4)
            draw.rectangle([x, ground - h, x + unit * 1.5, ground], fill="#ddd")
    elif motif == "battery":
        for i in range(6):
            x = unit * (1.5 + i * 2.3)
            draw.rounded_rectangle(
                [x, ground - unit * 3, x + unit * 1.4, ground],
                radius=unit // 4,
                fill="#2ecc71",
                outline="#fff",
                width=4,
            )
    band = int(height * 0.12)
    draw.rectangle([0, height - band, width, height], fill=(0, 0, 0))
    draw.text(
        (unit // 2, height - band + band // 4),
        caption,
        fill="#fff",
        font=_font(band // 2),
    )
    return picture


def draw_portrait(name, size=(480, 600)):
    initials = "".join(part[0] for part in name.replace(".", " ").split()[:2]).upper()
    hue = sum(map(ord, name)) % 5
    colours = ["#0b2545", "#13315c", "#134074", "#1d3557", "#264653"][hue]
    picture = PILImage.new("RGB", size, colours)
    draw = ImageDraw.Draw(picture)
    w, h = size
    draw.ellipse([w * 0.3, h * 0.18, w * 0.7, h * 0.5], fill="#d9c3a5")
    draw.pieslice([w * 0.12, h * 0.52, w * 0.88, h * 1.2], 180, 360, fill="#e6e6e6")
    draw.text((w * 0.06, h * 0.04), initials, fill="#fff", font=_font(int(h * 0.1)))
    return picture


# The press office's own drawings, credited and licensed as its photos are.
DEMO_CREDIT = "Ministry of Industry/Public Relations"
DEMO_LICENCE = "© Ministry of Industry, free to use with credit"


def save_image(title, picture, caption_en="", caption_id=""):
    """A Wagtail image with ``title``, reused on later runs. ``picture`` is a PIL
    image or a function drawing one, called only when the image is new (the demo
    would otherwise draw every picture again on each run)."""
    Image = get_image_model()
    rights = {
        "credit": DEMO_CREDIT,
        "licence": DEMO_LICENCE,
        "caption_en": caption_en,
        "caption_id": caption_id,
    }
    existing = Image.objects.filter(title=title).first()
    if existing:
        # Saved only when the rights differ: a second run of the demo writes nothing.
        changed = [
            name for name, value in rights.items() if getattr(existing, name) != value
        ]
        for name in changed:
            setattr(existing, name, rights[name])
        if changed:
            existing.save(update_fields=changed)
        return existing
    if callable(picture):
        picture = picture()
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    image = Image(
        title=title, file=ImageFile(buffer, name=f"{slugify(title)}.png"), **rights
    )
    image.save()
    return image


def hero_images():
    # The release page shows heroes as fill-1200x630 (and 600x315): drawn at that
    # ratio, no crop cuts into the caption band along the bottom edge.
    return [
        save_image(
            title,
            lambda colours=colours, motif=motif, title=title: draw_scene(
                1600, 840, colours, motif, title
            ),
            caption_en=f"{title}.",
            caption_id=f"{HERO_CAPTIONS_ID[title]}.",
        )
        for title, colours, motif in HERO_SCENES
    ]
