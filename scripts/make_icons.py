"""Draw the app icons (static/icon-192.png, icon-512.png) to match static/icon.svg.

A blue rounded square with a white curve (a back in a running stride) and a dot.
Run: .venv/bin/python scripts/make_icons.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

STATIC = Path(__file__).resolve().parents[1] / "src/backstride/web/static"
BLUE = (31, 95, 139, 255)
WHITE = (255, 255, 255, 255)


def icon(size: int) -> Image.Image:
    scale = size / 512
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=int(96 * scale), fill=BLUE)
    # the back: three arcs of a gentle S, drawn thick
    width = max(4, int(44 * scale))
    box = [int(v * scale) for v in (150, 120, 390, 360)]
    draw.arc(box, start=200, end=320, fill=WHITE, width=width)
    box = [int(v * scale) for v in (120, 230, 360, 470)]
    draw.arc(box, start=20, end=140, fill=WHITE, width=width)
    r = int(40 * scale)
    cx, cy = int(330 * scale), int(130 * scale)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=WHITE)
    return image


def main() -> None:
    for size in (192, 512):
        icon(size).save(STATIC / f"icon-{size}.png", optimize=True)


if __name__ == "__main__":
    main()
