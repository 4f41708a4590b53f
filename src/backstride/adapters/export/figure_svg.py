"""Draw an exercise's stick figure as SVG from the joint angles in its `illustration`.

Pure: no files, no clock. Joint positions come from forward kinematics over a
fixed set of body proportions (a figure 100 units tall); the figure is then set
on the floor (or on the prop it rests on) and drawn with thick rounded strokes.
`animate=True` gives one panel with an SMIL animation start → end → start
(intermediate frames interpolate the joint angles, so limbs keep their length);
`animate=False` gives the start and end positions side by side.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from backstride.domain.exercise import Exercise, Illustration, Limb, Pose, Prop

# Body proportions (standing height ≈ 100 units).
TRUNK_LOW = 15.0
TRUNK_UP = 15.0
NECK = 3.5
HEAD_R = 6.5
EYE_R = 1.3
THIGH = 24.0
SHANK = 23.0
FOOT = 10.0
FRONT_FOOT = 3.0
UPPER_ARM = 16.5
FOREARM = 17.0
HIP_HALF = 5.5
SHOULDER_HALF = 8.5

TRUNK_W = 8.0
LIMB_W = 5.5
FRONT_TRUNK_W = 11.0

BALL_R = {"small": 3.0, "medium": 4.5, "large": 18.0}
CHAIR_SEAT = 21.5
STEP_H = 9.0
WALL_W = 5.0

INTERPOLATION_STEPS = 8
PANEL_WIDTH = 116.0
FLOOR_TOLERANCE = 0.01

NEAR = "#24476b"
FAR = "#8ea7c4"
FLOOR = "#6b7280"
MAT = "#cfe3f3"
BALL = "#e07a2f"
BIG_BALL = "#7fb3d5"
BAND = "#2e9e5b"
STRAP = "#8a6d3b"
WALL = "#d9d4cc"
CHAIR = "#a08560"
TEXT = "#1f2937"

Point = tuple[float, float]


def _dir(angle_deg: float) -> Point:
    """Unit vector for a direction given as lean from 'up', positive towards +x."""
    rad = math.radians(angle_deg)
    return (math.sin(rad), math.cos(rad))


def _add(p: Point, q: Point, scale: float = 1.0) -> Point:
    return (p[0] + q[0] * scale, p[1] + q[1] * scale)


def _radius(name: str, view: str) -> float:
    """Half the stroke width at a point: how far the body reaches beyond it."""
    if name == "head":
        return HEAD_R
    if name == "eye":
        return 0.0
    if name in {"pelvis", "mid_back", "neck"}:
        return (FRONT_TRUNK_W if view == "front" else TRUNK_W) / 2
    return LIMB_W / 2


def _interpolate_limb(a: Limb, b: Limb, t: float) -> Limb:
    values = {
        name: getattr(a, name) + (getattr(b, name) - getattr(a, name)) * t
        for name in type(a).model_fields
    }
    return Limb(**values)


def interpolate_pose(a: Pose, b: Pose, t: float) -> Pose:
    """A pose `t` of the way from `a` to `b` (angles interpolated linearly)."""

    def mix(x: float, y: float) -> float:
        return x + (y - x) * t

    return Pose(
        label=a.label if t < 0.5 else b.label,
        trunk=mix(a.trunk, b.trunk),
        spine=mix(a.spine, b.spine),
        neck=mix(a.neck, b.neck),
        right=_interpolate_limb(a.right, b.right, t),
        left=_interpolate_limb(a.far, b.far, t),
    )


def pose_points(pose: Pose, view: str = "side") -> dict[str, Point]:
    """Joint positions (y up) by forward kinematics, with the pelvis at the origin."""
    lower = pose.trunk - pose.spine / 2
    upper = pose.trunk + pose.spine / 2
    pelvis: Point = (0.0, 0.0)
    mid = _add(pelvis, _dir(lower), TRUNK_LOW)
    neck = _add(mid, _dir(upper), TRUNK_UP)
    head = _add(neck, _dir(upper + pose.neck), NECK + HEAD_R)
    points: dict[str, Point] = {"pelvis": pelvis, "mid_back": mid, "neck": neck, "head": head}
    if view == "side":
        # An eye inside the head shows which way the face points (up when lying on
        # the back, down when lying face down).
        points["eye"] = _add(head, _dir(upper + pose.neck + 60), HEAD_R * 0.5)
    for side, limb in (("right", pose.right), ("left", pose.far)):
        if view == "front":
            # Facing the viewer: the right side is on the viewer's left.
            sign, offset = (-1.0, -1.0) if side == "right" else (1.0, 1.0)
        else:
            sign, offset = 1.0, 0.0
        hip = _add(pelvis, _dir(lower + 90), offset * HIP_HALF)
        shoulder = _add(neck, _dir(upper + 90), offset * SHOULDER_HALF)
        leg_scale = math.cos(math.radians(limb.hip_out))
        arm_scale = math.cos(math.radians(limb.arm_out))
        thigh = lower + 180 - sign * limb.hip
        shank = thigh + sign * limb.knee
        if view == "side":
            foot = shank - 90 + limb.ankle
            foot_len = FOOT
        else:
            # Seen from the front the foot points at the viewer: a short stub.
            foot = shank
            foot_len = FRONT_FOOT
        knee = _add(hip, _dir(thigh), THIGH * leg_scale)
        shank_scale = leg_scale * math.cos(math.radians(limb.shank_out))
        ankle = _add(knee, _dir(shank), SHANK * shank_scale)
        toe = _add(ankle, _dir(foot), foot_len)
        arm = upper + 180 - sign * limb.shoulder
        forearm = arm - sign * limb.elbow
        elbow = _add(shoulder, _dir(arm), UPPER_ARM * arm_scale)
        wrist = _add(elbow, _dir(forearm), FOREARM * arm_scale)
        points.update(
            {
                f"{side}_hip": hip,
                f"{side}_knee": knee,
                f"{side}_ankle": ankle,
                f"{side}_toe": toe,
                f"{side}_shoulder": shoulder,
                f"{side}_elbow": elbow,
                f"{side}_wrist": wrist,
            }
        )
    return points


# --- placing the figure ------------------------------------------------------------


@dataclass(frozen=True)
class PropShape:
    """A prop in one frame, in figure units (y up, floor at 0)."""

    kind: str
    points: tuple[Point, ...]
    radius: float = 0.0
    side: float = 0.0
    """For a wall: −1 if it stands to the left of its face point, +1 to the right."""


@dataclass(frozen=True)
class Frame:
    """One drawn position: joint points (y up, floor at y = 0) and props."""

    points: Mapping[str, Point]
    props: tuple[PropShape, ...]
    label: str


@dataclass(frozen=True)
class Layout:
    """Every frame of one illustration, placed on a shared floor."""

    view: str
    frames: tuple[Frame, ...]
    key_frames: tuple[int, int]
    fixed_props: tuple[PropShape, ...] = field(default=())

    @property
    def start(self) -> Frame:
        return self.frames[self.key_frames[0]]

    @property
    def end(self) -> Frame:
        return self.frames[self.key_frames[1]]


def _support_height(prop: Prop) -> float:
    if prop.kind == "ball":
        return 2 * BALL_R[prop.size]
    if prop.kind == "chair":
        return CHAIR_SEAT
    if prop.kind == "step":
        return STEP_H
    return 0.0


def _supports(props: Iterable[Prop]) -> dict[str, float]:
    """Points that rest on top of a prop, and the height of its top."""
    return {
        str(p.at): _support_height(p)
        for p in props
        if p.place == "under" and p.kind in {"ball", "chair", "step"}
    }


def spine_curve(points: Mapping[str, Point], samples: int = 12) -> list[Point]:
    """Points along the drawn spine: a quadratic curve from pelvis to neck through the
    mid-back point (its control point lies beyond the mid-back)."""
    (px, py), (mx, my), (nx, ny) = points["pelvis"], points["mid_back"], points["neck"]
    cx, cy = 2 * mx - (px + nx) / 2, 2 * my - (py + ny) / 2
    curve = []
    for i in range(samples + 1):
        t = i / samples
        a, b, c = (1 - t) ** 2, 2 * t * (1 - t), t**2
        curve.append((a * px + b * cx + c * nx, a * py + b * cy + c * ny))
    return curve


def _lift(points: Mapping[str, Point], view: str, supports: Mapping[str, float]) -> float:
    """How far to raise the figure so nothing goes below the floor and supported
    points sit on their prop."""
    lift = max(_radius(n, view) - y for n, (_, y) in points.items())
    trunk_r = _radius("pelvis", view)
    lift = max(lift, max(trunk_r - y for _, y in spine_curve(points)))
    for name, height in supports.items():
        lift = max(lift, height + _radius(name, view) - points[name][1])
    return lift


def contact_gaps(illustration: Illustration) -> dict[str, dict[str, float]]:
    """For the start and end poses: how far each declared contact is from what it
    should rest on (0 = touching). Used by tests to keep the drawings honest."""
    layout = layout_illustration(illustration)
    supports = _supports(illustration.props)
    gaps: dict[str, dict[str, float]] = {}
    for which, pose, frame in (
        ("start", illustration.start, layout.start),
        ("end", illustration.end, layout.end),
    ):
        gaps[which] = {
            name: frame.points[name][1] - _radius(name, illustration.view) - supports.get(name, 0.0)
            for name in pose.contacts
        }
    return gaps


def _anchor(illustration: Illustration) -> str:
    if illustration.anchor is not None:
        return illustration.anchor
    shared = [c for c in illustration.start.contacts if c in illustration.end.contacts]
    return shared[0] if shared else "pelvis"


def _moving_props(props: Sequence[Prop], points: Mapping[str, Point], view: str) -> list[PropShape]:
    shapes: list[PropShape] = []
    for prop in props:
        if prop.kind == "ball" and prop.at is not None:
            r = BALL_R[prop.size]
            x, y = points[prop.at]
            if prop.place == "under":
                shapes.append(PropShape("ball_" + prop.size, ((x, r),), r))
            else:
                side = -1.0 if prop.place == "left" else 1.0
                centre = (x + side * (r + _radius(prop.at, view)), y)
                shapes.append(PropShape("ball_" + prop.size, (centre,), r))
        elif prop.kind in {"band", "strap"} and prop.at is not None and prop.to is not None:
            shapes.append(PropShape(prop.kind, (points[prop.at], points[prop.to])))
    return shapes


def _fixed_props(props: Sequence[Prop], first: Mapping[str, Point], view: str) -> list[PropShape]:
    shapes: list[PropShape] = []
    for prop in props:
        if prop.at is None:
            continue
        x, _ = first[prop.at]
        r = _radius(prop.at, view)
        if prop.kind == "wall":
            side = -1.0 if prop.place == "left" else 1.0
            ball = next(
                (
                    BALL_R[p.size]
                    for p in props
                    if p.kind == "ball" and p.at == prop.at and p.place == prop.place
                ),
                0.0,
            )
            face = x + side * (r + 2 * ball)
            shapes.append(PropShape("wall", ((face, 0.0),), side=side))
        elif prop.kind == "chair":
            shapes.append(PropShape("chair", ((x, CHAIR_SEAT),)))
        elif prop.kind == "step":
            shapes.append(PropShape("step", ((x, STEP_H),)))
    return shapes


def layout_illustration(illustration: Illustration, steps: int = INTERPOLATION_STEPS) -> Layout:
    """Place every frame start → end on the floor, keeping the anchor point still."""
    view = illustration.view
    supports = _supports(illustration.props)
    anchor = _anchor(illustration)
    poses = [
        interpolate_pose(illustration.start, illustration.end, i / steps) for i in range(steps + 1)
    ]
    frames: list[Frame] = []
    anchor_x: float | None = None
    raw_frames: list[dict[str, Point]] = []
    for pose in poses:
        raw = pose_points(pose, view)
        lift = _lift(raw, view, supports)
        if anchor_x is None:
            anchor_x = raw[anchor][0]
        dx = anchor_x - raw[anchor][0]
        raw_frames.append({n: (x + dx, y + lift) for n, (x, y) in raw.items()})
    fixed = tuple(_fixed_props(illustration.props, raw_frames[0], view))
    for pose, points in zip(poses, raw_frames, strict=True):
        moving = tuple(_moving_props(illustration.props, points, view))
        frames.append(Frame(points=points, props=moving, label=pose.label))
    return Layout(view=view, frames=tuple(frames), key_frames=(0, steps), fixed_props=fixed)


# --- drawing ------------------------------------------------------------------------


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return "0" if text in {"-0.0", "0.0"} else text.removesuffix(".0")


@dataclass(frozen=True)
class _Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def union(self, other: _Box) -> _Box:
        return _Box(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )


def _frame_box(frame: Frame, view: str) -> _Box:
    xs0 = [x - _radius(n, view) for n, (x, _) in frame.points.items()]
    xs1 = [x + _radius(n, view) for n, (x, _) in frame.points.items()]
    ys1 = [y + _radius(n, view) for n, (_, y) in frame.points.items()]
    for prop in frame.props:
        for x, y in prop.points:
            xs0.append(x - prop.radius)
            xs1.append(x + prop.radius)
            ys1.append(y + prop.radius)
    return _Box(min(xs0), 0.0, max(xs1), max(ys1))


def _fixed_box(props: Iterable[PropShape]) -> _Box | None:
    box: _Box | None = None
    for prop in props:
        (x, _) = prop.points[0]
        if prop.kind == "wall":
            far = x + prop.side * WALL_W
            part = _Box(min(x, far), 0.0, max(x, far), 0.0)
        elif prop.kind == "chair":
            part = _Box(x - 12, 0.0, x + 12, CHAIR_SEAT + 22)
        else:
            part = _Box(x - 10, 0.0, x + 10, STEP_H)
        box = part if box is None else box.union(part)
    return box


class _Canvas:
    """Maps figure units (y up) into one panel of the SVG (y down)."""

    def __init__(self, dx: float, floor_y: float) -> None:
        self.dx = dx
        self.floor_y = floor_y

    def xy(self, p: Point) -> tuple[str, str]:
        return _fmt(p[0] + self.dx), _fmt(self.floor_y - p[1])

    def path(self, points: Sequence[Point]) -> str:
        coords = [" ".join(self.xy(p)) for p in points]
        return "M" + " L".join(coords)

    def spine(self, pelvis: Point, mid: Point, neck: Point) -> str:
        # A quadratic curve through the mid-back point shows rounding and arching.
        control = (2 * mid[0] - (pelvis[0] + neck[0]) / 2, 2 * mid[1] - (pelvis[1] + neck[1]) / 2)
        a, c, b = self.xy(pelvis), self.xy(control), self.xy(neck)
        return f"M{a[0]} {a[1]} Q{c[0]} {c[1]} {b[0]} {b[1]}"


def _body_parts(frame: Frame, view: str, canvas: _Canvas) -> list[tuple[str, str, dict[str, str]]]:
    """(key, tag, geometry attributes) for every body element, back to front."""
    p = frame.points
    parts: list[tuple[str, str, dict[str, str]]] = []
    for prop_index, prop in enumerate(frame.props):
        if prop.kind.startswith("ball"):
            cx, cy = canvas.xy(prop.points[0])
            parts.append((f"prop{prop_index}", "circle", {"cx": cx, "cy": cy}))
    if view == "side":
        parts += _limbs(p, "left", canvas)
    trunk = canvas.spine(p["pelvis"], p["mid_back"], p["neck"])
    parts.append(("trunk", "path", {"d": trunk}))
    if view == "front":
        parts.append(("hips", "path", {"d": canvas.path([p["left_hip"], p["right_hip"]])}))
        parts.append(
            ("shoulders", "path", {"d": canvas.path([p["left_shoulder"], p["right_shoulder"]])})
        )
    parts.append(("neck", "path", {"d": canvas.path([p["neck"], p["head"]])}))
    hx, hy = canvas.xy(p["head"])
    parts.append(("head", "circle", {"cx": hx, "cy": hy}))
    if view == "side":
        ex, ey = canvas.xy(p["eye"])
        parts.append(("face", "circle", {"cx": ex, "cy": ey}))
    else:
        parts += _limbs(p, "left", canvas)
    parts += _limbs(p, "right", canvas)
    for prop_index, prop in enumerate(frame.props):
        if prop.kind in {"band", "strap"}:
            parts.append((f"prop{prop_index}", "path", {"d": canvas.path(list(prop.points))}))
    return parts


def _limbs(
    p: Mapping[str, Point], side: str, canvas: _Canvas
) -> list[tuple[str, str, dict[str, str]]]:
    leg = [p[f"{side}_hip"], p[f"{side}_knee"], p[f"{side}_ankle"], p[f"{side}_toe"]]
    arm = [p[f"{side}_shoulder"], p[f"{side}_elbow"], p[f"{side}_wrist"]]
    return [
        (f"{side}_leg", "path", {"d": canvas.path(leg)}),
        (f"{side}_arm", "path", {"d": canvas.path(arm)}),
    ]


def _style(key: str, view: str, frame: Frame) -> dict[str, str]:
    far = key.startswith("left_") and view == "side"
    colour = FAR if far else NEAR
    if key == "trunk":
        width = FRONT_TRUNK_W if view == "front" else TRUNK_W
        return _stroke(NEAR, width) | {"class": "body trunk"}
    if key in {"hips", "shoulders"}:
        return _stroke(NEAR, LIMB_W) | {"class": "body"}
    if key == "neck":
        return _stroke(NEAR, 4.0) | {"class": "body"}
    if key == "head":
        return {"r": _fmt(HEAD_R), "fill": NEAR, "class": "body head"}
    if key == "face":
        return {"r": _fmt(EYE_R), "fill": "#ffffff", "class": "body face"}
    if key.startswith("prop"):
        prop = frame.props[int(key.removeprefix("prop"))]
        if prop.kind.startswith("ball"):
            fill = BIG_BALL if prop.kind == "ball_large" else BALL
            return {
                "r": _fmt(prop.radius),
                "fill": fill,
                "stroke": "#ffffff",
                "stroke-width": "0.8",
                "class": "prop ball",
            }
        colour = BAND if prop.kind == "band" else STRAP
        return _stroke(colour, 2.2) | {"class": f"prop {prop.kind}"}
    return _stroke(colour, LIMB_W) | {"class": "body far" if far else "body near"}


def _stroke(colour: str, width: float) -> dict[str, str]:
    return {
        "fill": "none",
        "stroke": colour,
        "stroke-width": _fmt(width),
        "stroke-linecap": "round",
        "stroke-linejoin": "round",
    }


def _attrs(values: Mapping[str, str]) -> str:
    return " ".join(f'{k}="{escape(v, {chr(34): "&quot;"})}"' for k, v in values.items())


def _fixed_svg(props: Iterable[PropShape], canvas: _Canvas, top: float) -> list[str]:
    out: list[str] = []
    for prop in props:
        x, y = prop.points[0]
        if prop.kind == "wall":
            far = x + prop.side * WALL_W
            x0, x1 = sorted((x, far))
            sx, _ = canvas.xy((x0, 0))
            out.append(
                f'<rect class="prop wall" x="{sx}" y="{_fmt(top)}" width="{_fmt(x1 - x0)}" '
                f'height="{_fmt(canvas.floor_y - top)}" fill="{WALL}"/>'
            )
        elif prop.kind == "chair":
            seat_l, seat_r = x - 11, x + 11
            back = seat_l
            d = (
                f"{canvas.path([(seat_l, y), (seat_r, y)])} "
                f"{canvas.path([(seat_l + 2, y), (seat_l + 2, 0)])} "
                f"{canvas.path([(seat_r - 2, y), (seat_r - 2, 0)])} "
                f"{canvas.path([(back, y), (back - 2, y + 22)])}"
            )
            out.append(f'<path class="prop chair" d="{d}" {_attrs(_stroke(CHAIR, 2.5))}/>')
        elif prop.kind == "step":
            sx, sy = canvas.xy((x - 10, y))
            out.append(
                f'<rect class="prop step" x="{sx}" y="{sy}" width="20" height="{_fmt(y)}" '
                f'fill="{WALL}" stroke="{CHAIR}" stroke-width="1"/>'
            )
    return out


@dataclass(frozen=True)
class _Panel:
    frames: tuple[Frame, ...]
    caption: str
    box: _Box


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width)[:3] or [""]


def _figure_key_times(steps: int) -> tuple[list[int], list[float]]:
    """Frame order and key times: hold start, move, hold end, move back."""
    hold_start, move, hold_end = 0.8, 1.6, 1.2
    total = hold_start + move + hold_end + move
    order = [0, *range(0, steps + 1), *range(steps, -1, -1)]
    times = [0.0, hold_start]
    times += [hold_start + move * i / steps for i in range(1, steps + 1)]
    times += [hold_start + move + hold_end]
    times += [hold_start + move + hold_end + move * i / steps for i in range(1, steps + 1)]
    return order, [t / total for t in times]


ANIMATION_SECONDS = 5.2


def render_illustration_svg(
    illustration: Illustration,
    *,
    title: str,
    description: str,
    animate: bool = True,
    size_px: int = 320,
    id_prefix: str = "figure",
) -> str:
    """An accessible SVG of one illustration (see module docstring)."""
    layout = layout_illustration(illustration)
    view = layout.view
    fixed_box = _fixed_box(layout.fixed_props)
    if animate:
        box = _frame_box(layout.frames[0], view)
        for frame in layout.frames[1:]:
            box = box.union(_frame_box(frame, view))
        if fixed_box is not None:
            box = box.union(fixed_box)
        caption = f"{layout.start.label} ⇄ {layout.end.label}"
        panels = [_Panel(layout.frames, caption, box)]
    else:
        panels = []
        for number, frame in ((1, layout.start), (2, layout.end)):
            box = _frame_box(frame, view)
            if fixed_box is not None:
                box = box.union(fixed_box)
            panels.append(_Panel((frame,), f"{number}. {frame.label}", box))
    margin = 8.0
    top_room = 6.0
    # One scale for every exercise: panels are at least PANEL_WIDTH units wide, so a
    # standing figure and a lying one share the same size of body and of text.
    panel_w = max(max(p.box.x1 - p.box.x0 for p in panels) + 2 * margin, PANEL_WIDTH)
    chars = max(18, int(panel_w / 3.6))
    caption_lines = max(len(_wrap(p.caption, chars)) for p in panels)
    figure_h = max(p.box.y1 for p in panels)
    floor_y = top_room + figure_h
    height = floor_y + 6 + caption_lines * 7.5 + 3
    width = panel_w * len(panels)
    pixel_h = round(size_px * height / width)
    ids = f"{id_prefix}-title {id_prefix}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_fmt(width)} {_fmt(height)}" '
        f'width="{size_px}" height="{pixel_h}" role="img" aria-labelledby="{ids}" '
        f'style="max-width:100%;height:auto" font-family="system-ui, sans-serif">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>',
        f'<rect width="{_fmt(width)}" height="{_fmt(height)}" fill="#ffffff"/>',
    ]
    order, key_times = _figure_key_times(INTERPOLATION_STEPS)
    for index, panel in enumerate(panels):
        centre = index * panel_w + panel_w / 2
        dx = centre - (panel.box.x0 + panel.box.x1) / 2
        canvas = _Canvas(dx, floor_y)
        out.append(f'<g class="panel" data-floor-y="{_fmt(floor_y)}">')
        if any(p.kind == "mat" for p in illustration.props):
            x0, _ = canvas.xy((panel.box.x0 - 3, 0))
            mat_w = panel.box.x1 - panel.box.x0 + 6
            out.append(
                f'<rect class="prop mat" x="{x0}" y="{_fmt(floor_y - 1.5)}" '
                f'width="{_fmt(mat_w)}" height="3" rx="1.5" fill="{MAT}"/>'
            )
        out += _fixed_svg(layout.fixed_props, canvas, top_room / 2)
        out.append(
            f'<line class="floor" x1="{_fmt(index * panel_w + 2)}" y1="{_fmt(floor_y + 1.5)}" '
            f'x2="{_fmt((index + 1) * panel_w - 2)}" y2="{_fmt(floor_y + 1.5)}" '
            f'stroke="{FLOOR}" stroke-width="1.2" stroke-linecap="round"/>'
        )
        out += _draw_frames(panel.frames, view, canvas, animate, order, key_times)
        for line_no, line in enumerate(_wrap(panel.caption, chars)):
            y = floor_y + 10 + line_no * 7.5
            out.append(
                f'<text x="{_fmt(centre)}" y="{_fmt(y)}" font-size="6" text-anchor="middle" '
                f'fill="{TEXT}">{escape(line)}</text>'
            )
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _draw_frames(
    frames: Sequence[Frame],
    view: str,
    canvas: _Canvas,
    animate: bool,
    order: Sequence[int],
    key_times: Sequence[float],
) -> list[str]:
    per_frame = [_body_parts(frame, view, canvas) for frame in frames]
    out: list[str] = []
    for position, (key, tag, geometry) in enumerate(per_frame[0]):
        attrs = _style(key, view, frames[0]) | geometry
        if not animate or len(frames) == 1:
            out.append(f"<{tag} {_attrs(attrs)}/>")
            continue
        children = []
        for name in geometry:
            values = ";".join(per_frame[i][position][2][name] for i in order)
            times = ";".join(f"{t:.4f}" for t in key_times)
            children.append(
                f'<animate attributeName="{name}" dur="{ANIMATION_SECONDS}s" '
                f'repeatCount="indefinite" calcMode="linear" keyTimes="{times}" '
                f'values="{values}"/>'
            )
        out.append(f"<{tag} {_attrs(attrs)}>" + "".join(children) + f"</{tag}>")
    return out


def describe_illustration(exercise: Exercise) -> str:
    """Plain-text description of the two positions, for `<desc>` and screen readers."""
    ill = exercise.illustration
    props = sorted({p.kind for p in ill.props})
    with_props = f" Shown with: {', '.join(props)}." if props else ""
    return (
        f"Stick figure, {ill.view} view. Start: {ill.start.label}. "
        f"End: {ill.end.label}.{with_props}"
    )


def render_exercise_svg(exercise: Exercise, *, animate: bool = True, size_px: int = 320) -> str:
    """The exercise's figure as a self-contained SVG document (a string)."""
    return render_illustration_svg(
        exercise.illustration,
        title=exercise.name,
        description=describe_illustration(exercise),
        animate=animate,
        size_px=size_px,
        id_prefix=f"fig-{exercise.slug}",
    )
