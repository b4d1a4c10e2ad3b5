"""Draw the site's icons: favicon.svg and its PNG sizes (favicon, touch, manifest).

The SVG and the PNGs come from the same few shapes below, so they agree; the PNGs are
committed (static/icons/), and this script draws them again after a change:

    .venv/bin/python scripts/draw_icons.py

The picture: the ministry's navy square, a white "N" of three bars, and the accent
rule under it that the site header carries.
"""

import sys
from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parent.parent / "static" / "icons"
NAVY, ACCENT, WHITE = "#0b2545", "#4f9fd8", "#ffffff"
GRID = 64  # the shapes are drawn on a 64-unit square
# (polygon points on the grid, colour)
SHAPES = [
    ([(14, 12), (23, 12), (23, 46), (14, 46)], WHITE),
    ([(41, 12), (50, 12), (50, 46), (41, 46)], WHITE),
    ([(14, 12), (23, 12), (50, 46), (41, 46)], WHITE),
    ([(14, 51), (50, 51), (50, 55), (14, 55)], ACCENT),
]
# (file name, size in pixels, corner radius in grid units, inset of the artwork)
PNGS = [
    ("favicon-32.png", 32, 12, 0),
    ("apple-touch-icon.png", 180, 0, 0),  # iOS rounds the corners itself
    ("icon-192.png", 192, 12, 0),
    ("icon-512.png", 512, 12, 0),
    # maskable: launchers crop to a circle of 80% diameter, so the artwork shrinks
    ("icon-maskable-512.png", 512, 0, 0.1),
]


def svg():
    polygons = "\n".join(
        '  <polygon points="{}" fill="{}"/>'.format(
            " ".join(f"{x},{y}" for x, y in points), colour
        )
        for points, colour in SHAPES
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {GRID} {GRID}">\n'
        f'  <rect width="{GRID}" height="{GRID}" rx="12" fill="{NAVY}"/>\n'
        f"{polygons}\n</svg>\n"
    )


def png(size, radius, inset):
    scale = 4  # drawn large and scaled down: smooth edges without anti-aliasing
    full = size * scale
    picture = Image.new("RGBA", (full, full), (0, 0, 0, 0))
    draw = ImageDraw.Draw(picture)
    unit = full / GRID
    draw.rounded_rectangle([0, 0, full - 1, full - 1], radius=radius * unit, fill=NAVY)
    shrink, offset = 1 - 2 * inset, inset * full
    for points, colour in SHAPES:
        draw.polygon(
            [
                (offset + x * unit * shrink, offset + y * unit * shrink)
                for x, y in points
            ],
            fill=colour,
        )
    return picture.resize((size, size), Image.LANCZOS)


def main():
    ICONS.mkdir(parents=True, exist_ok=True)
    (ICONS / "favicon.svg").write_text(svg())
    for name, size, radius, inset in PNGS:
        png(size, radius, inset).save(ICONS / name, optimize=True)
        sys.stdout.write(f"static/icons/{name} ({size}×{size})\n")


if __name__ == "__main__":
    main()
