"""Every exercise draws: valid SVG with a title, figures inside the picture and on or
above the floor, declared contacts touching, and the same output every time."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # parses only SVG this project generated
from collections.abc import Mapping

import pytest

from backstride.adapters.export.figure_svg import (
    NARROWEST_PX,
    contact_gaps,
    layout_illustration,
    render_exercise_svg,
    render_thumbnail_svg,
)
from backstride.content.library import load_exercises
from backstride.domain.library.exercise import Illustration, Pose

SVG = "{http://www.w3.org/2000/svg}"
SLUGS = sorted(load_exercises())
CONTACT_TOLERANCE = 2.0  # figure units (the figure is about 100 units tall)
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _pairs(text: str) -> list[tuple[float, float]]:
    """Points on a path: its M/L points, and samples along any Q (quadratic) curve."""
    if "Q" in text:
        start, curve = text.split("Q", 1)
        (px, py), (cx, cy), (nx, ny) = _pairs(start) + _pairs(curve)
        samples = []
        for i in range(13):
            t = i / 12
            a, b, c = (1 - t) ** 2, 2 * t * (1 - t), t**2
            samples.append((a * px + b * cx + c * nx, a * py + b * cy + c * ny))
        return samples
    numbers = [float(n) for n in NUMBER.findall(text)]
    return list(zip(numbers[0::2], numbers[1::2], strict=False))


def _body_points(root: ET.Element) -> list[tuple[float, float, float]]:
    """(x, y, reach) of every drawn body point in every frame, read back from the SVG."""
    found: list[tuple[float, float, float]] = []
    for element in root.iter():
        classes = (element.get("class") or "").split()
        if "body" not in classes:
            continue
        width = float(element.get("stroke-width") or 0) / 2
        if element.tag == f"{SVG}circle":
            radius = float(element.get("r") or 0)
            xs = [element.get("cx") or "0"]
            ys = [element.get("cy") or "0"]
            for child in element:
                if child.get("attributeName") == "cx":
                    xs += (child.get("values") or "").split(";")
                if child.get("attributeName") == "cy":
                    ys += (child.get("values") or "").split(";")
            found += [(float(x), float(y), radius) for x, y in zip(xs, ys, strict=True)]
        else:
            paths = [element.get("d") or ""]
            for child in element:
                if child.get("attributeName") == "d":
                    paths += (child.get("values") or "").split(";")
            for path in paths:
                found += [(x, y, width) for x, y in _pairs(path)]
    return found


@pytest.mark.parametrize("animate", [True, False], ids=["animated", "static"])
@pytest.mark.parametrize("slug", SLUGS)
def test_every_exercise_renders_a_valid_accessible_svg(slug: str, animate: bool) -> None:
    exercise = load_exercises()[slug]
    svg = render_exercise_svg(exercise, animate=animate, size_px=320)
    root = ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input
    assert root.tag == f"{SVG}svg"
    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text == exercise.name
    desc = root.find(f"{SVG}desc")
    assert desc is not None
    assert desc.text
    assert exercise.illustration.start.label in desc.text
    assert root.get("role") == "img"
    assert root.get("width") == "320"
    assert len(root.findall(f"{SVG}g")) == (1 if animate else 2)
    if animate:
        assert any(True for _ in root.iter(f"{SVG}animate"))
    else:
        assert not any(True for _ in root.iter(f"{SVG}animate"))


@pytest.mark.parametrize("animate", [True, False], ids=["animated", "static"])
@pytest.mark.parametrize("slug", SLUGS)
def test_figures_stay_inside_the_view_box_and_above_the_floor(slug: str, animate: bool) -> None:
    svg = render_exercise_svg(load_exercises()[slug], animate=animate)
    root = ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input
    x0, y0, width, height = (float(v) for v in (root.get("viewBox") or "").split())
    for panel in root.iter(f"{SVG}g"):
        floor = float(panel.get("data-floor-y") or 0)
        assert floor < y0 + height
        points = _body_points(panel)
        assert points
        for x, y, reach in points:
            assert x0 <= x - reach, (slug, x)
            assert x + reach <= x0 + width, (slug, x)
            assert y0 <= y - reach, (slug, y)
            assert y + reach <= floor + 0.15, f"{slug}: body below the floor at y={y}"


@pytest.mark.parametrize("slug", SLUGS)
def test_declared_contacts_touch_the_floor_or_their_prop(slug: str) -> None:
    gaps = contact_gaps(load_exercises()[slug].illustration)
    for which, points in gaps.items():
        for name, gap in points.items():
            assert abs(gap) <= CONTACT_TOLERANCE, f"{slug} {which}: {name} is {gap:.1f} off"


@pytest.mark.parametrize("slug", SLUGS)
def test_every_pose_declares_what_it_rests_on(slug: str) -> None:
    illustration = load_exercises()[slug].illustration
    assert illustration.start.contacts
    assert illustration.end.contacts


def test_rendering_is_deterministic() -> None:
    exercise = load_exercises()["glute-bridge"]
    assert render_exercise_svg(exercise) == render_exercise_svg(exercise)


def test_the_bridge_lifts_the_hips_and_the_plank_is_long_and_low() -> None:
    bridge = layout_illustration(load_exercises()["glute-bridge"].illustration)
    assert bridge.end.world["pelvis"][2] > bridge.start.world["pelvis"][2] + 8
    plank = layout_illustration(load_exercises()["forearm-plank"].illustration).end.world
    length = abs(plank["head"][0] - plank["right_toe"][0])
    height = max(z for _, _, z in plank.values())
    assert length > 2 * height


def test_cat_rounds_the_back_up_and_cow_lets_it_sag() -> None:
    layout = layout_illustration(load_exercises()["cat-cow"].illustration)

    def sag(points: Mapping[str, tuple[float, float, float]]) -> float:
        pelvis, mid, neck = (points[k][2] for k in ("pelvis", "mid_back", "neck"))
        return (pelvis + neck) / 2 - mid

    assert sag(layout.start.world) > 2  # cow: the middle of the back dips
    assert sag(layout.end.world) < -2  # cat: the middle of the back humps up


def test_props_are_drawn() -> None:
    svg = render_exercise_svg(load_exercises()["wall-squat-ball"], animate=False)
    assert 'class="prop wall"' in svg
    assert 'class="prop ball"' in svg
    band = render_exercise_svg(load_exercises()["lateral-band-walk"])
    assert 'class="prop band"' in band


def test_a_figure_sitting_on_a_ball_rests_on_top_of_it() -> None:
    illustration = Illustration(
        start=Pose(label="sit", trunk=0, right={"hip": 90, "knee": 90}, contacts=("pelvis",)),
        end=Pose(label="sit", trunk=0, right={"hip": 90, "knee": 90}, contacts=("pelvis",)),
        props=({"kind": "ball", "size": "large", "at": "pelvis", "place": "under"},),
    )
    gaps = contact_gaps(illustration)
    assert abs(gaps["start"]["pelvis"]) < 0.01


@pytest.mark.parametrize("slug", SLUGS)
def test_captions_read_at_12_px_on_a_360_px_phone(slug: str) -> None:
    """Shown NARROWEST_PX wide (a 360 px phone's column), every caption line is at
    least 12 CSS px high, and no caption is cut short."""
    exercise = load_exercises()[slug]
    svg = render_exercise_svg(exercise, animate=False)
    root = ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input
    width = float((root.get("viewBox") or "").split()[2])
    texts = list(root.iter(f"{SVG}text"))
    assert texts
    for text in texts:
        shown = float(text.get("font-size") or 0) * NARROWEST_PX / width
        assert shown >= 12, (slug, shown)
    words = " ".join(t.text or "" for t in texts)
    for label in (exercise.illustration.start.label, exercise.illustration.end.label):
        assert " ".join(label.split()) in words


@pytest.mark.parametrize("slug", SLUGS)
def test_hints_stay_inside_the_picture(slug: str) -> None:
    svg = render_exercise_svg(load_exercises()[slug], animate=False)
    root = ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input
    _, _, width, height = (float(v) for v in (root.get("viewBox") or "").split())
    for element in root.iter():
        if "hint" in (element.get("class") or "").split():
            for x, y in _pairs(element.get("d") or ""):
                assert 0 <= x <= width, (slug, x)
                assert 0 <= y <= height, (slug, y)


def test_without_captions_the_page_shows_the_labels_itself() -> None:
    exercise = load_exercises()["clamshell"]
    svg = render_exercise_svg(exercise, captions=False)
    assert "<text" not in svg
    assert exercise.illustration.start.label in svg  # still in <desc> for screen readers


@pytest.mark.parametrize("slug", SLUGS)
def test_every_exercise_has_a_thumbnail(slug: str) -> None:
    exercise = load_exercises()[slug]
    svg = render_thumbnail_svg(exercise)
    root = ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input
    assert root.get("role") == "img"
    assert len(root.findall(f"{SVG}g")) == 1
    assert "<text" not in svg
    assert "<animate" not in svg
