"""Which education topics a plan links to, and from which phase.

Topics are linked by slug; a slug the library does not hold is dropped, so a
renamed topic never leaves a dead link.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from backstride.domain.plan.model import PhaseId

ALWAYS = ("why-running-hurts-my-back", "when-to-see-a-doctor")
CARE_NOW = ("when-to-see-a-doctor",)

PHASE_TOPICS: Mapping[PhaseId, tuple[str, ...]] = {
    "settle": ("rest-or-stay-active", "ice-or-heat", "exercise-and-pain", "painkillers"),
    "restore": ("stretching", "hands-on-treatments"),
    "strengthen": ("core-strength", "planks-vs-sit-ups"),
    "return": ("return-to-running", "running-with-back-pain"),
    "prevent": ("warm-up-and-cross-training",),
}

CAUSE_TOPICS: Mapping[str, tuple[str, ...]] = {
    "radicular_sciatica": ("sciatica", "surgery-and-injections"),
    "lumbar_spinal_stenosis": ("surgery-and-injections",),
    "menstrual_related": ("period-pain",),
}

FACTOR_TOPICS: Mapping[str, tuple[str, ...]] = {
    "low_cadence_overstriding": ("cadence-and-form",),
    "hard_surfaces": ("shoes-and-surfaces",),
    "worn_shoes": ("shoes-and-surfaces",),
    "load_spike": ("training-load",),
    "return_too_fast": ("training-load",),
    "new_runner": ("training-load",),
    "prolonged_sitting": ("sitting-and-hip-flexors",),
    "tight_hip_flexors": ("sitting-and-hip-flexors",),
    "no_warm_up": ("warm-up-and-cross-training",),
    "no_cross_training": ("warm-up-and-cross-training",),
}

# Where a factor's topic is shown: prevention advice, except hip flexors, which
# the restore phase's stretching answers.
FACTOR_PHASE: Mapping[str, PhaseId] = {"tight_hip_flexors": "restore"}

BURNING_PAIN_TOPIC = "burning-pain"


def known(slugs: Iterable[str], topics: Collection[str]) -> list[str]:
    """Slugs once each, in order, keeping only topics that exist."""
    return [slug for slug in dict.fromkeys(slugs) if slug in topics]


def phase_topics(phase: PhaseId, factors: Collection[str]) -> list[str]:
    found = list(PHASE_TOPICS[phase])
    for factor in sorted(factors):
        if FACTOR_PHASE.get(factor, "prevent") == phase:
            found += FACTOR_TOPICS.get(factor, ())
    return found


def plan_topics(causes: Iterable[str], burning: bool) -> list[str]:
    found = list(ALWAYS)
    for cause in causes:
        found += CAUSE_TOPICS.get(cause, ())
    if burning:
        found.append(BURNING_PAIN_TOPIC)
    return found
