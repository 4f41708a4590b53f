"""The stick figures are bodies a physiotherapist would accept, doing what the words say.

For every exercise, in every drawn frame:

- the body keeps its proportions (each segment its length, in 3-D);
- every limb hangs from its joint: legs from the hips at the pelvis, arms from the
  shoulders below the neck, never from the head; the drawn SVG paths start there;
- joint angles stay in human ranges;

and each position matches its caption and the first step of the instructions:
lying on the back, face down or on the side, kneeling, on the forearms, sitting or
standing as they say, knees bent or straight where they say, a straight line where
they promise one, feet together, hips lifted, and so on (RULES below).
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET  # parses only SVG this project generated
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pytest

from backstride.adapters.export import figure_svg as fig
from backstride.content.library import load_exercises
from backstride.domain.library.exercise import Exercise, Limb, Pose

SLUGS = sorted(load_exercises())
SVG = "{http://www.w3.org/2000/svg}"
Vec = tuple[float, float, float]
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")

# Where the first step describes getting into position rather than the position drawn.
STEP_ONE_IS_A_TRANSITION = {
    "legs-up-the-wall": "you sit sideways first, then roll onto your back; the picture "
    "shows the resting position on the back",
}

# Human ranges for each angle (degrees): generous, but no joint bends the wrong way.
RANGES: Mapping[str, tuple[float, float]] = {
    "hip": (-30, 150),
    "hip_out": (-30, 60),
    "hip_rot": (-45, 60),
    "knee_open": (0, 60),
    "knee": (-5, 160),
    "ankle": (-30, 90),
    "shoulder": (-60, 185),
    "arm_out": (-10, 180),
    "arm_rot": (-90, 90),
    "elbow": (-5, 150),
}
POSE_RANGES: Mapping[str, tuple[float, float]] = {
    "spine": (-35, 40),
    "side_bend": (-35, 35),
    "twist": (-60, 60),
    "neck": (-45, 60),
}


# --- geometry ------------------------------------------------------------------------


def _sub(a: Vec, b: Vec) -> Vec:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def _norm(a: Vec) -> float:
    return math.sqrt(a[0] ** 2 + a[1] ** 2 + a[2] ** 2)


def _unit(a: Vec) -> Vec:
    n = _norm(a)
    return (a[0] / n, a[1] / n, a[2] / n)


def _flat(a: Vec, b: Vec) -> float:
    """Horizontal distance: how far apart two points are seen from above."""
    return math.hypot(a[0] - b[0], a[1] - b[1])


def _off_line(points: list[Vec]) -> float:
    """The largest distance of the middle points from the line through the first and last."""
    a, b = points[0], points[-1]
    direction = _unit(_sub(b, a))
    worst = 0.0
    for p in points[1:-1]:
        v = _sub(p, a)
        along = sum(v[i] * direction[i] for i in range(3))
        foot = tuple(a[i] + direction[i] * along for i in range(3))
        worst = max(worst, _norm(_sub(p, foot)))  # type: ignore[arg-type]
    return worst


def _tilt_from_horizontal(a: Vec, b: Vec) -> float:
    v = _sub(b, a)
    return math.degrees(math.atan2(abs(v[2]), math.hypot(v[0], v[1])))


@dataclass(frozen=True)
class Seen:
    """One key position of one exercise: its pose (angles) and its body (3-D points)."""

    exercise: Exercise
    which: str  # start | end
    pose: Pose
    body: Mapping[str, Vec]
    other: Mapping[str, Vec]  # the other key position, for movement words

    @property
    def limbs(self) -> tuple[Limb, Limb]:
        return self.pose.right, self.pose.far

    def touching(self, name: str) -> bool:
        """On the floor (or resting on a prop) within 2 units."""
        gap = fig.contact_gaps(self.exercise.illustration)[self.which].get(name)
        if gap is not None:
            return abs(gap) <= 2.0
        return self.body[name][2] - fig._radius(name, self.exercise.illustration.view) <= 2.0

    def trunk_tilt(self) -> float:
        """Degrees of the pelvis-to-neck line above the horizontal."""
        return _tilt_from_horizontal(self.body["pelvis"], self.body["neck"])

    def sideways(self) -> float:
        """How vertical the line across the hips is (1 = lying on a side)."""
        return abs(_unit(_sub(self.body["left_hip"], self.body["right_hip"]))[2])


def _seen(slug: str) -> list[Seen]:
    exercise = load_exercises()[slug]
    layout = fig.layout_illustration(exercise.illustration)
    start, end = layout.start.world, layout.end.world
    ill = exercise.illustration
    return [
        Seen(exercise, "start", ill.start, start, end),
        Seen(exercise, "end", ill.end, end, start),
    ]


# --- what the words promise -------------------------------------------------------------

Check = Callable[[Seen], bool]


def _on_back(s: Seen) -> bool:
    face_up = (
        s.body["right_eye"][2] > s.body["head"][2] or s.body["left_eye"][2] > s.body["head"][2]
    )
    back = any(s.touching(p) for p in ("head", "neck", "mid_back"))
    return s.trunk_tilt() <= 35 and face_up and back and s.sideways() < 0.5


def _face_down(s: Seen) -> bool:
    face_down = max(s.body["right_eye"][2], s.body["left_eye"][2]) < s.body["head"][2]
    chest = any(s.touching(p) for p in ("pelvis", "mid_back"))
    return s.trunk_tilt() <= 35 and face_down and chest


def _on_side(s: Seen) -> bool:
    return s.sideways() >= 0.7 and s.trunk_tilt() <= 55


def _kneeling(s: Seen) -> bool:
    return s.touching("right_knee") or s.touching("left_knee")


def _all_fours(s: Seen) -> bool:
    arms = [side for side in ("right", "left") if s.touching(f"{side}_wrist")]
    straight = all(limb.elbow <= 15 for limb in s.limbs)
    return _kneeling(s) and bool(arms) and straight and _hands_under_shoulders(s)


def _hands_under_shoulders(s: Seen) -> bool:
    down = [side for side in ("right", "left") if s.touching(f"{side}_wrist")]
    return bool(down) and all(
        _flat(s.body[f"{side}_wrist"], s.body[f"{side}_shoulder"]) <= 5 for side in down
    )


def _on_forearms(s: Seen) -> bool:
    b = s.body
    flat = abs(b["right_elbow"][2] - b["right_wrist"][2]) <= 2.5
    return s.touching("right_elbow") and s.touching("right_wrist") and flat


def _elbows_under_shoulders(s: Seen) -> bool:
    return _on_forearms(s) and _flat(s.body["right_elbow"], s.body["right_shoulder"]) <= 5


def _sitting(s: Seen) -> bool:
    return s.touching("pelvis") and s.trunk_tilt() >= 30


def _standing(s: Seen) -> bool:
    feet = any(s.touching(f"{side}_{p}") for side in ("right", "left") for p in ("ankle", "toe"))
    return s.trunk_tilt() >= 70 and feet and not s.touching("pelvis")


def _knees(low: float, high: float, both: bool) -> Check:
    def check(s: Seen) -> bool:
        bent = [low <= limb.knee <= high for limb in s.limbs]
        return all(bent) if both else any(bent)

    return check


def _line(*names: str) -> Check:
    def check(s: Seen) -> bool:
        return _off_line([s.body[n] for n in names]) <= 4.0

    return check


def _feet_together(s: Seen) -> bool:
    return _norm(_sub(s.body["right_ankle"], s.body["left_ankle"])) <= 2 * fig.HIP_HALF + 1


def _feet_flat(s: Seen) -> bool:
    return all(s.touching(f"{side}_{p}") for side in ("right", "left") for p in ("ankle", "toe"))


def _one_foot_flat(s: Seen) -> bool:
    return any(
        s.touching(f"{side}_ankle") and s.touching(f"{side}_toe") for side in ("right", "left")
    )


def _knees_above_hips(s: Seen) -> bool:
    return all(
        s.body[f"{side}_knee"][2] > s.body[f"{side}_hip"][2] + 15
        and _flat(s.body[f"{side}_knee"], s.body[f"{side}_hip"]) <= 8
        for side in ("right", "left")
    )


def _arms_to_ceiling(s: Seen) -> bool:
    return all(
        _unit(_sub(s.body[f"{side}_wrist"], s.body[f"{side}_shoulder"]))[2] >= 0.9
        for side in ("right", "left")
    )


def _a_hand_to_ceiling(s: Seen) -> bool:
    return any(
        _unit(_sub(s.body[f"{side}_wrist"], s.body[f"{side}_shoulder"]))[2] >= 0.85
        for side in ("right", "left")
    )


def _moved_up(name: str, by: float) -> Check:
    def check(s: Seen) -> bool:
        return s.body[name][2] >= s.other[name][2] + by

    return check


def _legs_straight_up(s: Seen) -> bool:
    return all(
        limb.knee <= 15 and s.body[f"{side}_ankle"][2] > s.body[f"{side}_hip"][2] + 35
        for side, limb in zip(("right", "left"), s.limbs, strict=True)
    )


def _lower_legs(s: Seen) -> bool:
    return all(
        s.body[f"{side}_ankle"][2] < s.other[f"{side}_ankle"][2] - 10 for side in ("right", "left")
    )


def _ankle_over_knee(s: Seen) -> bool:
    return _norm(_sub(s.body["right_ankle"], s.body["left_knee"])) <= 10


def _knee_to_chest(s: Seen) -> bool:
    return any(
        limb.hip >= 80 and _norm(_sub(s.body[f"{side}_knee"], s.body["mid_back"])) <= 25
        for side, limb in zip(("right", "left"), s.limbs, strict=True)
    )


def _knees_fall_aside(s: Seen) -> bool:
    return all(
        abs(s.body[f"{side}_knee"][1] - s.other[f"{side}_knee"][1]) >= 8
        for side in ("right", "left")
    )


def _top_knee_opens(s: Seen) -> bool:
    top = max(("right", "left"), key=lambda side: s.body[f"{side}_hip"][2])
    rises = s.body[f"{top}_knee"][2] >= s.other[f"{top}_knee"][2] + 6
    foot_stays = _norm(_sub(s.body[f"{top}_ankle"], s.other[f"{top}_ankle"])) <= 2
    return rises and foot_stays


def _onto_toes(s: Seen) -> bool:
    return s.touching("right_toe") and s.body["right_ankle"][2] >= s.body["right_toe"][2] + 4


def _arms_out(s: Seen) -> bool:
    return all(limb.arm_out >= 70 for limb in s.limbs)


def _arms_forward(s: Seen) -> bool:
    return all(limb.shoulder >= 150 or limb.arm_out >= 150 for limb in s.limbs)


def _eyes_down(s: Seen) -> bool:
    return max(s.body["right_eye"][2], s.body["left_eye"][2]) < s.body["head"][2]


def _back_straight(s: Seen) -> bool:
    return abs(s.pose.spine) <= 10


def _sit_back_to_heels(s: Seen) -> bool:
    return min(_norm(_sub(s.body["pelvis"], s.body[f"{x}_ankle"])) for x in ("right", "left")) <= 15


def _half_kneel(s: Seen) -> bool:
    return any(
        s.touching(f"{a}_knee") and s.touching(f"{b}_ankle") and s.touching(f"{b}_toe")
        for a, b in (("right", "left"), ("left", "right"))
    )


def _half_squat(s: Seen) -> bool:
    return all(60 <= limb.knee <= 110 for limb in s.limbs)


def _hips_high(s: Seen) -> bool:
    return s.body["pelvis"][2] >= s.body["right_shoulder"][2] + 3


def _drawn(kind: str) -> Check:
    def check(s: Seen) -> bool:
        return any(p.kind == kind for p in s.exercise.illustration.props)

    return check


# (pattern in the caption or first step, what it promises, the check)
RULES: list[tuple[str, str, Check]] = [
    (r"\b(lie|lying) on your back\b", "lying on the back", _on_back),
    (r"\b(lie|lying) face down\b", "lying face down", _face_down),
    (r"\bon your side\b", "lying on the side", _on_side),
    (
        r"\bkneel\b|\bkneeling\b|\bon (your )?(forearms|hands) and knees\b",
        "a knee on the floor",
        _kneeling,
    ),
    (r"\ball fours\b|\bhands and knees\b", "on all fours, hands under shoulders", _all_fours),
    (
        r"\bhands under (your )?shoulders\b|\bon the hands\b",
        "hands under the shoulders",
        _hands_under_shoulders,
    ),
    (r"\bforearms?\b", "on the forearm", _on_forearms),
    (
        r"\belbows? (directly )?under (your |the )?shoulders?\b",
        "elbow under the shoulder",
        _elbows_under_shoulders,
    ),
    (r"^sit\b(?! back)|\bsit (on|near|tall)\b", "sitting", _sitting),
    (r"^stand\b|\bstand (tall|up)\b", "standing", _standing),
    (r"\bknees bent\b|\bbend your knees\b", "both knees bent", _knees(30, 160, both=True)),
    (r"\b(one|that) knee bent\b|\bone knee bent up\b", "a knee bent", _knees(30, 160, both=False)),
    (r"\bknees soft\b", "knees a little bent", _knees(5, 35, both=True)),
    (
        r"\blegs (are )?straight\b|\bstraighten the legs\b",
        "both legs straight",
        _knees(-5, 15, both=True),
    ),
    (
        r"\bleg (is )?straight\b|\bstraighten the knee\b|\bother leg out\b",
        "a leg straight",
        _knees(-5, 15, both=False),
    ),
    (
        r"\bstraight line head to heels\b|\bhips into a straight line\b",
        "head, hips and heels in line",
        _line("head", "pelvis", "right_ankle"),
    ),
    (
        r"\bhead to knees\b|\bknees, hips and head\b",
        "head, hips and knees in line",
        _line("head", "pelvis", "right_knee"),
    ),
    (r"\bback (stays|still) (straight|flat)\b|\blow back flat\b", "back straight", _back_straight),
    (r"\barms pointing to the ceiling\b", "arms to the ceiling", _arms_to_ceiling),
    (r"\bknees above (the )?hips\b", "knees above the hips", _knees_above_hips),
    (r"\bfeet (stay )?together\b", "feet together", _feet_together),
    (r"\bfeet flat\b", "feet flat", _feet_flat),
    (r"\bone foot flat\b", "one foot flat", _one_foot_flat),
    (r"\bround the back\b", "back rounded", lambda s: s.pose.spine >= 15),
    (r"\bbelly drop\b", "back sagging", lambda s: s.pose.spine <= -10),
    (r"\blift (your |the )hips\b", "hips lifted", _moved_up("pelvis", 5)),
    (r"\blift head and shoulders\b", "head and shoulders lifted", _moved_up("neck", 1)),
    (r"\blegs straight up\b", "legs straight up", _legs_straight_up),
    (r"\blower both legs\b", "legs lowered", _lower_legs),
    (r"\bankle over (the other )?knee\b", "ankle over the other knee", _ankle_over_knee),
    (r"\bknee (gently )?towards the chest\b", "knee to the chest", _knee_to_chest),
    (r"\bknees fall\b", "knees fallen to one side", _knees_fall_aside),
    (r"\bopen the top knee\b", "top knee opens, feet stay", _top_knee_opens),
    (r"\bballs of the feet\b", "up on the toes", _onto_toes),
    (r"\barms out to the sides\b", "arms out to the sides", _arms_out),
    (r"\barms (reaching )?forward\b", "arms reaching forward", _arms_forward),
    (r"\beyes down\b", "eyes on the floor", _eyes_down),
    (r"\bsit back towards the heels\b", "hips back to the heels", _sit_back_to_heels),
    (r"\bhalf-kneel\b", "half kneeling", _half_kneel),
    (r"\bhalf squat\b", "knees bent to a half squat", _half_squat),
    (r"\bhips high\b", "hips higher than the shoulders", _hips_high),
    (r"\bball (under|between)\b", "a ball drawn", _drawn("ball")),
    (r"\bstrap\b", "a strap drawn", _drawn("strap")),
    (r"\bband\b", "a band drawn", _drawn("band")),
    (r"\bwall\b", "a wall drawn", _drawn("wall")),
    (r"\bchair\b", "a chair drawn", _drawn("chair")),
    (r"\bto the ceiling\b", "a hand up", _a_hand_to_ceiling),
]
# The first step says where the body starts; only these position words are held to it.
POSITION_RULES = {
    "lying on the back",
    "lying face down",
    "lying on the side",
    "a knee on the floor",
    "on all fours, hands under shoulders",
    "on the forearm",
    "sitting",
    "standing",
}


def _promises(text: str, positions_only: bool = False) -> list[tuple[str, Check]]:
    found = []
    for pattern, meaning, check in RULES:
        if positions_only and meaning not in POSITION_RULES:
            continue
        if re.search(pattern, text, re.IGNORECASE):
            found.append((meaning, check))
    return found


def _cases() -> list[tuple[str, str, str, str]]:
    """(slug, start|end, where the words come from, the words)."""
    cases = []
    for slug in SLUGS:
        exercise = load_exercises()[slug]
        ill = exercise.illustration
        cases.append((slug, "start", "caption", ill.start.label))
        cases.append((slug, "end", "caption", ill.end.label))
        if slug not in STEP_ONE_IS_A_TRANSITION:
            cases.append((slug, "start", "step 1", exercise.steps[0].split(".")[0]))
    return cases


@pytest.mark.parametrize(("slug", "which", "source", "words"), _cases())
def test_each_position_does_what_its_words_say(
    slug: str, which: str, source: str, words: str
) -> None:
    seen = next(s for s in _seen(slug) if s.which == which)
    broken = [
        meaning
        for meaning, check in _promises(words, positions_only=source == "step 1")
        if not check(seen)
    ]
    assert not broken, f"{slug} {which}: {source} {words!r} promises {broken}"


def test_the_words_are_checked_for_most_positions() -> None:
    """A caption nobody checks can drift from its picture: most must name something."""
    captions = [
        (slug, which, words) for slug, which, source, words in _cases() if source == "caption"
    ]
    unchecked = [(slug, which, words) for slug, which, words in captions if not _promises(words)]
    assert len(unchecked) <= len(captions) // 6, unchecked


@pytest.mark.parametrize(
    ("words", "meaning"),
    [
        ("Lie on your side, knees bent, feet together", "lying on the side"),
        ("On forearms and knees, elbows under shoulders", "elbow under the shoulder"),
        ("One knee bent, hands under the low back", "a knee bent"),
        (
            "Kneel on all fours with your hands under your shoulders",
            "on all fours, hands under shoulders",
        ),
        ("Lift the hips into a straight line", "head, hips and heels in line"),
    ],
)
def test_the_rules_read_the_words_they_should(words: str, meaning: str) -> None:
    assert meaning in [m for m, _ in _promises(words)]


# --- the body itself ------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_every_segment_keeps_its_length_in_every_frame(slug: str) -> None:
    layout = fig.layout_illustration(load_exercises()[slug].illustration)
    expected = {
        ("pelvis", "mid_back"): fig.TRUNK_LOW,
        ("mid_back", "neck"): fig.TRUNK_UP,
        ("neck", "head"): fig.NECK + fig.HEAD_R,
    }
    for side in ("right", "left"):
        for pair, length in fig.SEGMENTS.items():
            a, b = pair.split("-")
            expected[(f"{side}_{a}", f"{side}_{b}")] = length
    for frame in layout.frames:
        for (a, b), length in expected.items():
            assert fig.distance(frame.world[a], frame.world[b]) == pytest.approx(
                length, abs=0.01
            ), (
                slug,
                a,
                b,
            )


@pytest.mark.parametrize("slug", SLUGS)
def test_limbs_hang_from_their_joints_not_from_the_head(slug: str) -> None:
    layout = fig.layout_illustration(load_exercises()[slug].illustration)
    shoulder_offset = math.hypot(fig.SHOULDER_DROP, fig.SHOULDER_HALF)
    for frame in layout.frames:
        w = frame.world
        for side in ("right", "left"):
            # Hips sit either side of the pelvis, shoulders just below the base of the neck.
            assert fig.distance(w[f"{side}_hip"], w["pelvis"]) == pytest.approx(
                fig.HIP_HALF, abs=0.01
            )
            assert fig.distance(w[f"{side}_shoulder"], w["neck"]) == pytest.approx(
                shoulder_offset, abs=0.01
            )
            # An arm starts clear of the head (its stroke does not begin inside it).
            clearance = fig.distance(w[f"{side}_shoulder"], w["head"])
            assert clearance >= fig.HEAD_R + fig.LIMB_W / 2 + 1, (slug, side, clearance)
            # The shoulder is nearer the neck than the head is: the arm is on the trunk.
            assert fig.distance(w[f"{side}_shoulder"], w["mid_back"]) < fig.distance(
                w["head"], w["mid_back"]
            )


def _first_point(d: str) -> tuple[float, float]:
    x, y = (float(n) for n in NUMBER.findall(d)[:2])
    return x, y


@pytest.mark.parametrize("slug", SLUGS)
def test_the_drawn_limbs_start_at_the_drawn_joints(slug: str) -> None:
    """Read back from the SVG: each leg path starts at its hip, within reach of the
    trunk's pelvis end; each arm path starts at its shoulder, outside the head."""
    exercise = load_exercises()[slug]
    svg = fig.render_exercise_svg(exercise, animate=False)
    root = ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input
    for panel in root.iter(f"{SVG}g"):
        parts = {el.get("data-part"): el for el in panel if el.get("data-part")}
        trunk_start = _first_point(parts["trunk"].get("d") or "")
        head = parts["head"]
        hx, hy = float(head.get("cx") or 0), float(head.get("cy") or 0)
        for side in ("right", "left"):
            hip = _first_point(parts[f"{side}_leg"].get("d") or "")
            assert math.dist(hip, trunk_start) <= fig.HIP_HALF + 0.2, (slug, side, "leg")
            shoulder = _first_point(parts[f"{side}_arm"].get("d") or "")
            neck = _first_point(parts["neck"].get("d") or "")
            assert (
                math.dist(shoulder, neck) <= math.hypot(fig.SHOULDER_DROP, fig.SHOULDER_HALF) + 0.2
            )
            # In the picture the arm may pass behind the head, but seen from the side or
            # the front it never starts inside it.
            if exercise.illustration.tilt == 0:
                assert math.dist(shoulder, (hx, hy)) >= fig.HEAD_R, (slug, side, "arm in head")


@pytest.mark.parametrize("slug", SLUGS)
def test_joint_angles_stay_in_human_ranges(slug: str) -> None:
    ill = load_exercises()[slug].illustration
    for which, pose in (("start", ill.start), ("end", ill.end)):
        for name, (low, high) in POSE_RANGES.items():
            value = getattr(pose, name)
            assert low <= value <= high, f"{slug} {which}: {name} {value}"
        for side, limb in (("right", pose.right), ("left", pose.far)):
            for name, (low, high) in RANGES.items():
                value = getattr(limb, name)
                assert low <= value <= high, f"{slug} {which} {side}: {name} {value}"


@pytest.mark.parametrize("slug", SLUGS)
def test_lying_and_kneeling_poses_rest_on_the_floor(slug: str) -> None:
    """Whatever lies or kneels touches the floor with what it lies or kneels on."""
    for seen in _seen(slug):
        if seen.trunk_tilt() <= 35 and not seen.touching("pelvis"):
            resting = ("head", "neck", "mid_back", "right_hip", "left_hip")
            supports = [p for p in resting if seen.touching(p)]
            supports += [
                p for p in ("right_wrist", "right_elbow", "right_knee") if seen.touching(p)
            ]
            assert supports, f"{slug} {seen.which}: lying but resting on nothing"
        for side, limb in zip(("right", "left"), seen.limbs, strict=True):
            knee, hip = seen.body[f"{side}_knee"], seen.body[f"{side}_hip"]
            if seen.touching(f"{side}_knee") and hip[2] - knee[2] >= 12:
                # Kneeling: the thigh stands on a bent knee, not on a straight leg.
                assert limb.knee >= 15, f"{slug} {seen.which}: kneeling on a straight {side} leg"
