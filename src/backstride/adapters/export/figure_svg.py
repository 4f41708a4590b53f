"""Draw an exercise's stick figure as SVG from the joint angles in its `illustration`.

Pure: no files, no clock. The figure is a 3-D body of fixed proportions (100 units
tall): forward kinematics turn the joint angles into joint positions, the body is
set on the floor (or on the prop it rests on), and a camera projects it onto the
picture: from the side or the front, level or looking down (`tilt`), so that a
knee that opens towards the viewer (clamshell) still shows. Limbs are drawn with
thick rounded strokes, the side further from the camera paler and behind.
`animate=True` gives one panel with an SMIL animation start → end → start
(intermediate frames interpolate the joint angles, so limbs keep their length);
`animate=False` gives the start and end positions side by side.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple
from xml.sax.saxutils import escape

from backstride.domain.library.exercise import Exercise, Illustration, Limb, Pose, Prop

# Body proportions (standing height ≈ 100 units).
TRUNK_LOW = 15.0
TRUNK_UP = 16.0
NECK = 4.5
HEAD_R = 6.5
EYE_R = 1.3
THIGH = 24.0
SHANK = 23.0
FOOT = 10.0
UPPER_ARM = 16.0
FOREARM = 16.0
HIP_HALF = 5.5
SHOULDER_HALF = 8.5
SHOULDER_DROP = 3.5
"""The shoulder joints sit this far below the base of the neck, so an arm never
seems to grow out of the head."""

TRUNK_W = 8.0
LIMB_W = 5.5
FRONT_TRUNK_W = 11.0
NECK_W = 4.0

SEGMENTS: Mapping[str, float] = {
    "hip-knee": THIGH,
    "knee-ankle": SHANK,
    "ankle-toe": FOOT,
    "shoulder-elbow": UPPER_ARM,
    "elbow-wrist": FOREARM,
}
"""Every limb segment and its length, for the tests (`{side}_{joint}` point names)."""

BALL_R = {"small": 3.0, "medium": 4.5, "large": 18.0}
CHAIR_SEAT = 21.5
STEP_H = 9.0
WALL_W = 5.0

INTERPOLATION_STEPS = 8
PANEL_WIDTH = 116.0
FLOOR_MARGIN = 6.0
CAPTION_PX = 12.5
"""Captions are at least this many CSS pixels high when the picture is shown
NARROWEST_PX wide (a 360 px phone, inside the page's margins)."""
NARROWEST_PX = 280.0
CHAR_WIDTH = 0.56  # average width of a caption character, in font sizes

NEAR = "#24476b"
FAR = "#8ea7c4"
FLOOR = "#6b7280"
FLOOR_PLANE = "#eef1f4"
MAT = "#cfe3f3"
BALL = "#e07a2f"
BIG_BALL = "#7fb3d5"
BAND = "#2e9e5b"
STRAP = "#8a6d3b"
WALL = "#d9d4cc"
CHAIR = "#a08560"
TEXT = "#1f2937"
ARROW = "#c2410c"

Point = tuple[float, float]
Vec = tuple[float, float, float]


# --- 3-D vectors --------------------------------------------------------------------


def _add(p: Vec, q: Vec, scale: float = 1.0) -> Vec:
    return (p[0] + q[0] * scale, p[1] + q[1] * scale, p[2] + q[2] * scale)


def _sub(p: Vec, q: Vec) -> Vec:
    return (p[0] - q[0], p[1] - q[1], p[2] - q[2])


def _mul(p: Vec, scale: float) -> Vec:
    return (p[0] * scale, p[1] * scale, p[2] * scale)


def _dot(p: Vec, q: Vec) -> float:
    return p[0] * q[0] + p[1] * q[1] + p[2] * q[2]


def _cross(p: Vec, q: Vec) -> Vec:
    return (p[1] * q[2] - p[2] * q[1], p[2] * q[0] - p[0] * q[2], p[0] * q[1] - p[1] * q[0])


def distance(p: Vec, q: Vec) -> float:
    return math.sqrt(_dot(_sub(p, q), _sub(p, q)))


def _unit(p: Vec) -> Vec:
    length = math.sqrt(_dot(p, p))
    return _mul(p, 1 / length) if length > 1e-9 else p


def _toward(v: Vec, w: Vec, degrees: float) -> Vec:
    """Turn unit vector `v` towards the perpendicular unit vector `w`."""
    rad = math.radians(degrees)
    return _add(_mul(v, math.cos(rad)), w, math.sin(rad))


def _rotate(v: Vec, axis: Vec, degrees: float) -> Vec:
    """Rodrigues: `v` turned about the unit vector `axis`."""
    rad = math.radians(degrees)
    cos, sin = math.cos(rad), math.sin(rad)
    return _add(_add(_mul(v, cos), _cross(axis, v), sin), axis, _dot(axis, v) * (1 - cos))


class Basis(NamedTuple):
    """The body's own directions in the world: up (towards the head), forward (the
    way the chest faces) and right (towards the person's right side)."""

    up: Vec
    fwd: Vec
    right: Vec

    def bend(self, degrees: float) -> Basis:
        """Tip `up` towards `fwd` (flexion), about `right`."""
        return Basis(
            _toward(self.up, self.fwd, degrees), _toward(self.fwd, _mul(self.up, -1), degrees),
            self.right,
        )  # fmt: skip

    def side(self, degrees: float) -> Basis:
        """Tip `up` towards the person's left, about `fwd`."""
        left = _mul(self.right, -1)
        return Basis(
            _toward(self.up, left, degrees), self.fwd, _toward(self.right, self.up, degrees)
        )

    def turn(self, degrees: float) -> Basis:
        """Turn `fwd` towards `right`, about `up`."""
        return Basis(
            self.up, _toward(self.fwd, self.right, degrees),
            _toward(self.right, _mul(self.fwd, -1), degrees),
        )  # fmt: skip


# World: x to the right of the picture, y towards the viewer, z up; the floor is z = 0.
VIEWS: Mapping[str, Basis] = {
    "side": Basis(up=(0.0, 0.0, 1.0), fwd=(1.0, 0.0, 0.0), right=(0.0, 1.0, 0.0)),
    "front": Basis(up=(0.0, 0.0, 1.0), fwd=(0.0, 1.0, 0.0), right=(-1.0, 0.0, 0.0)),
}


def _lean(basis: Basis, degrees: float) -> Basis:
    """Lean the body in the picture plane: turn about the world's y axis, up towards +x."""
    rad = math.radians(degrees)
    cos, sin = math.cos(rad), math.sin(rad)

    def rot(v: Vec) -> Vec:
        return (v[0] * cos + v[2] * sin, v[1], -v[0] * sin + v[2] * cos)

    return Basis(rot(basis.up), rot(basis.fwd), rot(basis.right))


# --- forward kinematics ---------------------------------------------------------------


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
        turn=mix(a.turn, b.turn),
        spine=mix(a.spine, b.spine),
        side_bend=mix(a.side_bend, b.side_bend),
        twist=mix(a.twist, b.twist),
        neck=mix(a.neck, b.neck),
        right=_interpolate_limb(a.right, b.right, t),
        left=_interpolate_limb(a.far, b.far, t),
    )


def _leg(hip: Vec, body: Basis, limb: Limb, sign: float) -> dict[str, Vec]:
    outward = _mul(body.right, sign)
    thigh = _toward(_mul(body.up, -1), body.fwd, limb.hip)
    fwd = _toward(body.fwd, body.up, limb.hip)
    lateral = outward
    thigh, lateral = (
        _toward(thigh, outward, limb.hip_out),
        _toward(lateral, _mul(thigh, -1), limb.hip_out),
    )
    fwd, lateral = (
        _toward(fwd, lateral, limb.hip_rot),
        _toward(lateral, _mul(fwd, -1), limb.hip_rot),
    )
    knee = _add(hip, thigh, THIGH)
    shank = _toward(thigh, _mul(fwd, -1), limb.knee)
    shank_fwd = _toward(fwd, thigh, limb.knee)
    ankle = _add(knee, shank, SHANK)
    toe = _add(ankle, _toward(shank_fwd, shank, limb.ankle), FOOT)
    if limb.knee_open:
        axis = _unit(_sub(ankle, hip))
        turned = _add(hip, _rotate(_sub(knee, hip), axis, limb.knee_open))
        angle = limb.knee_open if _dot(_sub(turned, knee), outward) >= 0 else -limb.knee_open
        knee = _add(hip, _rotate(_sub(knee, hip), axis, angle))
        toe = _add(hip, _rotate(_sub(toe, hip), axis, angle))
    return {"hip": hip, "knee": knee, "ankle": ankle, "toe": toe}


def _arm(shoulder: Vec, body: Basis, limb: Limb, sign: float) -> dict[str, Vec]:
    outward = _mul(body.right, sign)
    arm = _toward(_mul(body.up, -1), body.fwd, limb.shoulder)
    fwd = _toward(body.fwd, body.up, limb.shoulder)
    arm = _toward(arm, outward, limb.arm_out)
    # The elbow bends the forearm forwards (the palm's way); rotating the upper arm
    # turns that direction, outwards and towards the head when external (+).
    lateral = _mul(_unit(_cross(arm, fwd)), -sign)
    fwd = _toward(fwd, lateral, limb.arm_rot)
    elbow = _add(shoulder, arm, UPPER_ARM)
    forearm = _toward(arm, fwd, limb.elbow)
    wrist = _add(elbow, forearm, FOREARM)
    return {"shoulder": shoulder, "elbow": elbow, "wrist": wrist}


def pose_points(pose: Pose, view: str = "side") -> dict[str, Vec]:
    """Joint positions in 3-D (z up, y towards the viewer), pelvis at the origin."""
    body = _lean(VIEWS[view].turn(pose.turn), pose.trunk)
    lower = body.bend(-pose.spine / 2)
    upper = body.bend(pose.spine / 2).side(pose.side_bend)
    pelvis_frame = lower.turn(pose.twist)
    pelvis: Vec = (0.0, 0.0, 0.0)
    mid = _add(pelvis, lower.up, TRUNK_LOW)
    neck = _add(mid, upper.up, TRUNK_UP)
    head_frame = upper.bend(pose.neck)
    head = _add(neck, head_frame.up, NECK + HEAD_R)
    points: dict[str, Vec] = {"pelvis": pelvis, "mid_back": mid, "neck": neck, "head": head}
    for eye, sign in (("right_eye", 1.0), ("left_eye", -1.0)):
        offset = _add(
            _add(_mul(head_frame.fwd, 0.45), head_frame.up, 0.25), head_frame.right, 0.38 * sign
        )
        points[eye] = _add(head, offset, HEAD_R)
    for side, limb, sign in (("right", pose.right, 1.0), ("left", pose.far, -1.0)):
        hip = _add(pelvis, pelvis_frame.right, sign * HIP_HALF)
        shoulder = _add(_add(neck, upper.up, -SHOULDER_DROP), upper.right, sign * SHOULDER_HALF)
        for name, point in _leg(hip, pelvis_frame, limb, sign).items():
            points[f"{side}_{name}"] = point
        for name, point in _arm(shoulder, upper, limb, sign).items():
            points[f"{side}_{name}"] = point
    return points


def _radius(name: str, view: str) -> float:
    """Half the stroke width at a point: how far the body reaches beyond it."""
    if name == "head":
        return HEAD_R
    if name.endswith("_eye"):
        return 0.0
    if name in {"pelvis", "mid_back", "neck"}:
        return (FRONT_TRUNK_W if view == "front" else TRUNK_W) / 2
    return LIMB_W / 2


def spine_curve(points: Mapping[str, Vec], samples: int = 12) -> list[Vec]:
    """Points along the drawn spine: a quadratic curve from pelvis to neck through the
    mid-back point (its control point lies beyond the mid-back)."""
    p, m, n = points["pelvis"], points["mid_back"], points["neck"]
    control = _sub(_mul(m, 2), _mul(_add(p, n), 0.5))
    curve = []
    for i in range(samples + 1):
        t = i / samples
        a, b, c = (1 - t) ** 2, 2 * t * (1 - t), t**2
        curve.append(_add(_add(_mul(p, a), control, b), n, c))
    return curve


# --- placing the figure ------------------------------------------------------------


@dataclass(frozen=True)
class PropShape:
    """A prop in one frame, in world units (z up, floor at 0)."""

    kind: str
    points: tuple[Vec, ...]
    radius: float = 0.0
    side: float = 0.0
    """For a wall: −1 if it stands to the left of its face point, +1 to the right."""


@dataclass(frozen=True)
class Frame:
    """One drawn position: joints in the world (floor at z = 0) and props."""

    world: Mapping[str, Vec]
    props: tuple[PropShape, ...]
    label: str


@dataclass(frozen=True)
class Camera:
    """Projects the world onto the picture. Level and square on (tilt 0, pan 0) the
    picture is the world's x-z plane; `pan` walks the camera round to the right of
    the figure, `tilt` raises it to look down."""

    tilt: float = 0.0
    pan: float = 0.0

    def _turned(self, p: Vec) -> tuple[float, float, float]:
        rad = math.radians(self.pan)
        cos, sin = math.cos(rad), math.sin(rad)
        return p[0] * cos - p[1] * sin, p[0] * sin + p[1] * cos, p[2]

    def point(self, p: Vec) -> Point:
        x, y, z = self._turned(p)
        rad = math.radians(self.tilt)
        return (x, z * math.cos(rad) - y * math.sin(rad))

    def depth(self, p: Vec) -> float:
        """How near the viewer a point is (larger = nearer)."""
        _, y, z = self._turned(p)
        rad = math.radians(self.tilt)
        return y * math.cos(rad) + z * math.sin(rad)

    @property
    def level(self) -> bool:
        """Looking straight along the floor: the floor is a line."""
        return self.tilt == 0


@dataclass(frozen=True)
class Layout:
    """Every frame of one illustration, placed on a shared floor."""

    view: str
    camera: Camera
    frames: tuple[Frame, ...]
    key_frames: tuple[int, int]
    fixed_props: tuple[PropShape, ...] = field(default=())

    @property
    def start(self) -> Frame:
        return self.frames[self.key_frames[0]]

    @property
    def end(self) -> Frame:
        return self.frames[self.key_frames[1]]

    def points(self, frame: Frame) -> dict[str, Point]:
        """A frame's joints in the picture (x right, y up)."""
        return {name: self.camera.point(p) for name, p in frame.world.items()}


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


def _lift(points: Mapping[str, Vec], view: str, supports: Mapping[str, float]) -> float:
    """How far to raise the figure so nothing goes below the floor and supported
    points sit on their prop."""
    lift = max(_radius(n, view) - p[2] for n, p in points.items())
    trunk_r = _radius("pelvis", view)
    lift = max(lift, max(trunk_r - p[2] for p in spine_curve(points)))
    for name, height in supports.items():
        lift = max(lift, height + _radius(name, view) - points[name][2])
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
            name: frame.world[name][2] - _radius(name, illustration.view) - supports.get(name, 0.0)
            for name in pose.contacts
        }
    return gaps


def _anchor(illustration: Illustration) -> str:
    if illustration.anchor is not None:
        return illustration.anchor
    shared = [c for c in illustration.start.contacts if c in illustration.end.contacts]
    return shared[0] if shared else "pelvis"


def _moving_props(props: Sequence[Prop], points: Mapping[str, Vec], view: str) -> list[PropShape]:
    shapes: list[PropShape] = []
    for prop in props:
        if prop.kind == "ball" and prop.at is not None:
            r = BALL_R[prop.size]
            x, y, z = points[prop.at]
            if prop.place == "under":
                shapes.append(PropShape("ball_" + prop.size, ((x, y, r),), r))
            else:
                side = -1.0 if prop.place == "left" else 1.0
                centre = (x + side * (r + _radius(prop.at, view)), y, z)
                shapes.append(PropShape("ball_" + prop.size, (centre,), r))
        elif prop.kind in {"band", "strap"} and prop.at is not None and prop.to is not None:
            shapes.append(PropShape(prop.kind, (points[prop.at], points[prop.to])))
    return shapes


def _fixed_props(props: Sequence[Prop], first: Mapping[str, Vec], view: str) -> list[PropShape]:
    shapes: list[PropShape] = []
    for prop in props:
        if prop.at is None:
            continue
        x = first[prop.at][0]
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
            shapes.append(PropShape("wall", ((face, 0.0, 0.0),), side=side))
        elif prop.kind == "chair":
            shapes.append(PropShape("chair", ((x, 0.0, CHAIR_SEAT),)))
        elif prop.kind == "step":
            shapes.append(PropShape("step", ((x, 0.0, STEP_H),)))
    return shapes


def layout_illustration(illustration: Illustration, steps: int = INTERPOLATION_STEPS) -> Layout:
    """Place every frame start → end on the floor, keeping the anchor point still."""
    view = illustration.view
    supports = _supports(illustration.props)
    anchor = _anchor(illustration)
    poses = [
        interpolate_pose(illustration.start, illustration.end, i / steps) for i in range(steps + 1)
    ]
    placed: list[dict[str, Vec]] = []
    fixed_at: Vec | None = None
    for pose in poses:
        raw = pose_points(pose, view)
        lift = _lift(raw, view, supports)
        if fixed_at is None:
            fixed_at = raw[anchor]
        dx, dy = fixed_at[0] - raw[anchor][0], fixed_at[1] - raw[anchor][1]
        placed.append({n: (x + dx, y + dy, z + lift) for n, (x, y, z) in raw.items()})
    fixed = tuple(_fixed_props(illustration.props, placed[0], view))
    frames = tuple(
        Frame(
            world=points,
            props=tuple(_moving_props(illustration.props, points, view)),
            label=pose.label,
        )
        for pose, points in zip(poses, placed, strict=True)
    )
    return Layout(
        view=view,
        camera=Camera(illustration.tilt, illustration.pan),
        frames=frames,
        key_frames=(0, steps),
        fixed_props=fixed,
    )


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


def _floor_corners(frames: Iterable[Frame]) -> tuple[Vec, Vec, Vec, Vec]:
    """The patch of floor under the figures, with a margin: back-left, back-right,
    front-right, front-left (world points at z = 0)."""
    points = [p for frame in frames for n, p in frame.world.items() if not n.endswith("_eye")]
    x0 = min(p[0] for p in points) - FLOOR_MARGIN
    x1 = max(p[0] for p in points) + FLOOR_MARGIN
    y0 = min(p[1] for p in points) - FLOOR_MARGIN
    y1 = max(p[1] for p in points) + FLOOR_MARGIN
    return (x0, y0, 0.0), (x1, y0, 0.0), (x1, y1, 0.0), (x0, y1, 0.0)


def _frame_box(frame: Frame, layout: Layout) -> _Box:
    cam = layout.camera
    xs0, xs1, ys0, ys1 = [], [], [], []
    for name, p in frame.world.items():
        x, y = cam.point(p)
        r = _radius(name, layout.view)
        xs0.append(x - r)
        xs1.append(x + r)
        ys0.append(y - r)
        ys1.append(y + r)
    for prop in frame.props:
        for p in prop.points:
            x, y = cam.point(p)
            xs0.append(x - prop.radius)
            xs1.append(x + prop.radius)
            ys0.append(y - prop.radius)
            ys1.append(y + prop.radius)
    return _Box(min(xs0), min(ys0), max(xs1), max(ys1))


def _fixed_box(props: Iterable[PropShape]) -> _Box | None:
    box: _Box | None = None
    for prop in props:
        x = prop.points[0][0]
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
    """Maps picture units (y up) into one panel of the SVG (y down)."""

    def __init__(self, camera: Camera, dx: float, base_y: float) -> None:
        self.camera = camera
        self.dx = dx
        self.base_y = base_y

    def xy(self, p: Vec) -> tuple[str, str]:
        x, y = self.camera.point(p)
        return _fmt(x + self.dx), _fmt(self.base_y - y)

    def flat(self, x: float, y: float) -> tuple[str, str]:
        """A point already in picture units."""
        return _fmt(x + self.dx), _fmt(self.base_y - y)

    def path(self, points: Sequence[Vec]) -> str:
        coords = [" ".join(self.xy(p)) for p in points]
        return "M" + " L".join(coords)

    def spine(self, pelvis: Vec, mid: Vec, neck: Vec) -> str:
        # A quadratic curve through the mid-back point shows rounding and arching.
        control = _sub(_mul(mid, 2), _mul(_add(pelvis, neck), 0.5))
        a, c, b = self.xy(pelvis), self.xy(control), self.xy(neck)
        return f"M{a[0]} {a[1]} Q{c[0]} {c[1]} {b[0]} {b[1]}"


@dataclass(frozen=True)
class _Look:
    """What the first frame decides for every frame: which side is further away
    (drawn pale, behind the trunk) and which eyes face the viewer."""

    far_legs: str | None
    far_arms: str | None
    eyes: tuple[str, ...]
    girdles: bool


def _look(frame: Frame, camera: Camera, side_view: bool) -> _Look:
    p = frame.world

    def further(joint: str, threshold: float) -> str | None:
        right, left = camera.depth(p[f"right_{joint}"]), camera.depth(p[f"left_{joint}"])
        if abs(right - left) < threshold:
            return None
        return "left" if left < right else "right"

    head = camera.depth(p["head"])
    eyes = tuple(
        eye for eye in ("right_eye", "left_eye") if camera.depth(p[eye]) >= head + 0.2 * HEAD_R
    )
    hips = camera.point(p["right_hip"]), camera.point(p["left_hip"])
    girdles = math.dist(*hips) > 4.0
    # A leg is paler as soon as it is clearly behind the other; an arm only in a side
    # view (the supporting arm of a side plank, a little further away, stays dark).
    far_arms = further("shoulder", 8.0) if side_view else None
    return _Look(further("hip", 3.0), far_arms, eyes, girdles)


Part = tuple[str, str, dict[str, str]]


def _body_parts(frame: Frame, look: _Look, canvas: _Canvas) -> list[Part]:
    """(key, tag, geometry attributes) for every body element, back to front."""
    p = frame.world
    parts: list[Part] = []
    for prop_index, prop in enumerate(frame.props):
        if prop.kind.startswith("ball"):
            cx, cy = canvas.xy(prop.points[0])
            parts.append((f"prop{prop_index}", "circle", {"cx": cx, "cy": cy}))
    near: list[Part] = []
    for side in ("left", "right"):
        leg = ([p[f"{side}_{j}"] for j in ("hip", "knee", "ankle", "toe")], look.far_legs)
        arm = ([p[f"{side}_{j}"] for j in ("shoulder", "elbow", "wrist")], look.far_arms)
        for limb, (joints, far) in (("leg", leg), ("arm", arm)):
            part = (f"{side}_{limb}", "path", {"d": canvas.path(joints)})
            (parts if far == side else near).append(part)
    parts.append(("trunk", "path", {"d": canvas.spine(p["pelvis"], p["mid_back"], p["neck"])}))
    if look.girdles:
        parts.append(("hips", "path", {"d": canvas.path([p["left_hip"], p["right_hip"]])}))
        shoulders = canvas.path([p["left_shoulder"], p["right_shoulder"]])
        parts.append(("shoulders", "path", {"d": shoulders}))
    parts.append(("neck", "path", {"d": canvas.path([p["neck"], p["head"]])}))
    hx, hy = canvas.xy(p["head"])
    parts.append(("head", "circle", {"cx": hx, "cy": hy}))
    for eye in look.eyes:
        ex, ey = canvas.xy(p[eye])
        parts.append((eye, "circle", {"cx": ex, "cy": ey}))
    parts += near
    for prop_index, prop in enumerate(frame.props):
        if prop.kind in {"band", "strap"}:
            parts.append((f"prop{prop_index}", "path", {"d": canvas.path(list(prop.points))}))
    return parts


def _style(key: str, view: str, frame: Frame, look: _Look) -> dict[str, str]:
    side, _, limb = key.partition("_")
    far = limb in {"leg", "arm"} and side == (look.far_legs if limb == "leg" else look.far_arms)
    if key == "trunk":
        width = FRONT_TRUNK_W if view == "front" else TRUNK_W
        return _stroke(NEAR, width) | {"class": "body trunk", "data-part": "trunk"}
    if key in {"hips", "shoulders"}:
        return _stroke(NEAR, LIMB_W) | {"class": "body", "data-part": key}
    if key == "neck":
        return _stroke(NEAR, NECK_W) | {"class": "body", "data-part": "neck"}
    if key == "head":
        return {"r": _fmt(HEAD_R), "fill": NEAR, "class": "body head", "data-part": "head"}
    if key.endswith("_eye"):
        return {"r": _fmt(EYE_R), "fill": "#ffffff", "class": "body face", "data-part": key}
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
    colour = FAR if far else NEAR
    return _stroke(colour, LIMB_W) | {"class": "body far" if far else "body near", "data-part": key}


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
        x, _, z = prop.points[0]
        if prop.kind == "wall":
            far = x + prop.side * WALL_W
            x0, x1 = sorted((x, far))
            sx, floor = canvas.flat(x0, 0)
            out.append(
                f'<rect class="prop wall" x="{sx}" y="{_fmt(top)}" width="{_fmt(x1 - x0)}" '
                f'height="{_fmt(float(floor) - top)}" fill="{WALL}"/>'
            )
        elif prop.kind == "chair":
            seat_l, seat_r = x - 11, x + 11
            back = seat_l

            def line(a: Point, b: Point) -> str:
                return "M{} {} L{} {}".format(*canvas.flat(*a), *canvas.flat(*b))

            d = " ".join(
                (
                    line((seat_l, z), (seat_r, z)),
                    line((seat_l + 2, z), (seat_l + 2, 0)),
                    line((seat_r - 2, z), (seat_r - 2, 0)),
                    line((back, z), (back - 2, z + 22)),
                )
            )
            out.append(f'<path class="prop chair" d="{d}" {_attrs(_stroke(CHAIR, 2.5))}/>')
        elif prop.kind == "step":
            sx, sy = canvas.flat(x - 10, z)
            out.append(
                f'<rect class="prop step" x="{sx}" y="{sy}" width="20" height="{_fmt(z)}" '
                f'fill="{WALL}" stroke="{CHAIR}" stroke-width="1"/>'
            )
    return out


@dataclass(frozen=True)
class _Panel:
    frames: tuple[Frame, ...]
    caption: str
    box: _Box


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width) or [""]


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


def caption_font_size(width: float) -> float:
    """Caption font size (picture units) for a picture `width` units wide, so that
    the caption reads at CAPTION_PX or more when shown NARROWEST_PX wide."""
    return max(6.0, CAPTION_PX * width / NARROWEST_PX)


def render_illustration_svg(
    illustration: Illustration,
    *,
    title: str,
    description: str,
    animate: bool = True,
    size_px: int = 320,
    id_prefix: str = "figure",
    captions: bool = True,
    only: str | None = None,
) -> str:
    """An accessible SVG of one illustration (see module docstring).

    `captions=False` leaves the position labels out (the page shows them as text);
    `only="start"` or `"end"` draws that one position, without a caption (thumbnails).
    """
    layout = layout_illustration(illustration)
    camera = layout.camera
    fixed_box = _fixed_box(layout.fixed_props)
    look = _look(layout.start, camera, layout.view == "side")
    if only is not None:
        frame = layout.start if only == "start" else layout.end
        panels = [_Panel((frame,), "", _frame_box(frame, layout))]
        captions = False
    elif animate:
        box = _frame_box(layout.frames[0], layout)
        for frame in layout.frames[1:]:
            box = box.union(_frame_box(frame, layout))
        caption = f"{layout.start.label} ⇄ {layout.end.label}"
        panels = [_Panel(layout.frames, caption, box)]
    else:
        panels = [
            _Panel((frame,), f"{number}. {frame.label}", _frame_box(frame, layout))
            for number, frame in ((1, layout.start), (2, layout.end))
        ]
    if fixed_box is not None:
        panels = [_Panel(p.frames, p.caption, p.box.union(fixed_box)) for p in panels]
    arrows = _arrows(illustration.props, layout)
    for arrow in arrows:
        panels = [
            _Panel(p.frames, p.caption, p.box.union(arrow.box()))
            if p.frames[-1] is layout.end
            else p
            for p in panels
        ]
    # On a tilted camera the floor is a patch, the same for every panel.
    floor = [camera.point(c) for c in _floor_corners(layout.frames)]
    if not camera.level:
        xs, ys = [x for x, _ in floor], [y for _, y in floor]
        patch = _Box(min(xs), min(ys), max(xs), max(ys))
        panels = [_Panel(p.frames, p.caption, p.box.union(patch)) for p in panels]
    margin = 8.0 if only is None else 3.0
    top_room = 6.0 if only is None else 2.0
    # One scale for every exercise: panels are at least PANEL_WIDTH units wide, so a
    # standing figure and a lying one share the same size of body.
    panel_w = max(p.box.x1 - p.box.x0 for p in panels) + 2 * margin
    if only is None:
        panel_w = max(panel_w, PANEL_WIDTH)
    width = panel_w * len(panels)
    font = caption_font_size(width)
    chars = max(12, int(panel_w / (CHAR_WIDTH * font)))
    line_h = font * 1.25
    caption_lines = max(len(_wrap(p.caption, chars)) for p in panels) if captions else 0
    numbered = not captions and only is None and len(panels) > 1
    if numbered:
        top_room = max(top_room, font + 6)
    base_y = top_room + max(p.box.y1 for p in panels)  # SVG y of picture y = 0
    lowest = min(0.0, *(p.box.y0 for p in panels))
    floor_y = base_y - (min(y for _, y in floor) if not camera.level else 0.0)
    bottom = base_y - lowest + 3
    height = bottom + (caption_lines * line_h + font * 0.4 if caption_lines else 0) + 2
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
    has_mat = any(p.kind == "mat" for p in illustration.props)
    for index, panel in enumerate(panels):
        centre = index * panel_w + panel_w / 2
        dx = centre - (panel.box.x0 + panel.box.x1) / 2
        canvas = _Canvas(camera, dx, base_y)
        out.append(f'<g class="panel" data-floor-y="{_fmt(floor_y)}">')
        left, right = index * panel_w + 2, (index + 1) * panel_w - 2
        if camera.level:
            if has_mat:
                x0 = panel.box.x0 - 3 + dx
                mat_w = panel.box.x1 - panel.box.x0 + 6
                out.append(
                    f'<rect class="prop mat" x="{_fmt(x0)}" y="{_fmt(floor_y - 1.5)}" '
                    f'width="{_fmt(mat_w)}" height="3" rx="1.5" fill="{MAT}"/>'
                )
        else:
            corners = [canvas.flat(x, y) for x, y in floor]
            d = "M" + " L".join(f"{x} {y}" for x, y in corners) + " Z"
            out.append(
                f'<path class="floor-plane" d="{d}" fill="{FLOOR_PLANE}" stroke="{FLOOR}" '
                'stroke-width="0.6" stroke-linejoin="round"/>'
            )
            if has_mat:
                mx, my = sum(x for x, _ in floor) / 4, sum(y for _, y in floor) / 4
                inset = [(mx + (x - mx) * 0.9, my + (y - my) * 0.8) for x, y in floor]
                d = "M" + " L".join(" ".join(canvas.flat(x, y)) for x, y in inset) + " Z"
                out.append(f'<path class="prop mat" d="{d}" fill="{MAT}"/>')
        out += _fixed_svg(layout.fixed_props, canvas, top_room / 2)
        if camera.level:
            out.append(
                f'<line class="floor" x1="{_fmt(left)}" y1="{_fmt(floor_y + 1.5)}" '
                f'x2="{_fmt(right)}" y2="{_fmt(floor_y + 1.5)}" '
                f'stroke="{FLOOR}" stroke-width="1.2" stroke-linecap="round"/>'
            )
        out += _draw_frames(panel.frames, layout.view, look, canvas, animate, order, key_times)
        if panel.frames[-1] is layout.end:
            for arrow in arrows:
                out += _arrow_svg(arrow, canvas)
        if numbered:
            out.append(
                f'<text class="panel-number" x="{_fmt(index * panel_w + 4)}" '
                f'y="{_fmt(4 + font)}" font-size="{_fmt(font)}" font-weight="700" '
                f'fill="{TEXT}">{index + 1}</text>'
            )
        if captions:
            for line_no, text in enumerate(_wrap(panel.caption, chars)):
                y = bottom + font + line_no * line_h
                out.append(
                    f'<text class="caption" x="{_fmt(centre)}" y="{_fmt(y)}" '
                    f'font-size="{_fmt(font)}" text-anchor="middle" fill="{TEXT}">'
                    f"{escape(text)}</text>"
                )
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class _Arrow:
    """A movement hint in picture units: a quadratic curve and a filled head."""

    start: Point
    bow: Point
    end: Point
    head: tuple[Point, Point, Point]

    def box(self) -> _Box:
        points = [self.start, self.bow, self.end, *self.head]
        xs, ys = [x for x, _ in points], [y for _, y in points]
        return _Box(min(xs) - 1.5, min(ys) - 1.5, max(xs) + 1.5, max(ys) + 1.5)


def _arrows(props: Iterable[Prop], layout: Layout) -> list[_Arrow]:
    """One curved arrow for each `arrow` prop: from where its point was at the start to
    where it is at the end, bowed away from the body, clear of the limb's stroke."""
    arrows: list[_Arrow] = []
    camera = layout.camera
    for prop in props:
        if prop.kind != "arrow" or prop.at is None:
            continue
        a = camera.point(layout.start.world[prop.at])
        b = camera.point(layout.end.world[prop.at])
        centre = camera.point(layout.end.world["pelvis"])
        length = math.dist(a, b)
        if length < 4:
            continue
        ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
        nx, ny = -uy, ux
        mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        if (mid[0] - centre[0]) * nx + (mid[1] - centre[1]) * ny < 0:
            nx, ny = -nx, -ny
        gap = LIMB_W
        start = (a[0] + nx * gap, a[1] + ny * gap)
        end = (b[0] + nx * gap - ux * 2, b[1] + ny * gap - uy * 2)
        bow = (mid[0] + nx * (gap + length * 0.3), mid[1] + ny * (gap + length * 0.3))
        # The head points along the curve's last tangent (from the bow to the end).
        tx, ty = end[0] - bow[0], end[1] - bow[1]
        norm = math.hypot(tx, ty) or 1.0
        tx, ty = tx / norm, ty / norm
        tip = (end[0] + tx * 2, end[1] + ty * 2)
        wing1 = (tip[0] - tx * 7 - ty * 4, tip[1] - ty * 7 + tx * 4)
        wing2 = (tip[0] - tx * 7 + ty * 4, tip[1] - ty * 7 - tx * 4)
        arrows.append(_Arrow(start, bow, end, (wing1, tip, wing2)))
    return arrows


def _arrow_svg(arrow: _Arrow, canvas: _Canvas) -> list[str]:
    (sx, sy), (cx, cy), (ex, ey) = (canvas.flat(*q) for q in (arrow.start, arrow.bow, arrow.end))
    head = " L".join(" ".join(canvas.flat(*q)) for q in arrow.head)
    return [
        f'<path class="hint arrow" d="M{sx} {sy} Q{cx} {cy} {ex} {ey}" fill="none" '
        f'stroke="{ARROW}" stroke-width="2.2" stroke-linecap="round"/>',
        f'<path class="hint arrow-head" d="M{head} Z" fill="{ARROW}"/>',
    ]


def _draw_frames(
    frames: Sequence[Frame],
    view: str,
    look: _Look,
    canvas: _Canvas,
    animate: bool,
    order: Sequence[int],
    key_times: Sequence[float],
) -> list[str]:
    per_frame = [_body_parts(frame, look, canvas) for frame in frames]
    out: list[str] = []
    for position, (key, tag, geometry) in enumerate(per_frame[0]):
        attrs = _style(key, view, frames[0], look) | geometry
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


def render_exercise_svg(
    exercise: Exercise,
    *,
    animate: bool = True,
    size_px: int = 320,
    captions: bool = True,
    id_prefix: str | None = None,
) -> str:
    """The exercise's figure as a self-contained SVG document (a string).

    `captions=False`: no position labels in the picture (the page writes them out);
    the side-by-side panels are then numbered 1 and 2 instead.
    """
    return render_illustration_svg(
        exercise.illustration,
        title=exercise.name,
        description=describe_illustration(exercise),
        animate=animate,
        size_px=size_px,
        id_prefix=id_prefix or f"fig-{exercise.slug}",
        captions=captions,
    )


def render_thumbnail_svg(exercise: Exercise, *, size_px: int = 112) -> str:
    """A small still of the exercise's key position (`illustration.thumbnail`), with
    no caption, for the library list."""
    return render_illustration_svg(
        exercise.illustration,
        title=exercise.name,
        description=describe_illustration(exercise),
        animate=False,
        size_px=size_px,
        id_prefix=f"thumb-{exercise.slug}",
        only=exercise.illustration.thumbnail,
    )
