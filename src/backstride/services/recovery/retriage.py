"""Re-triage: a warning sign answered yes (or not sure) in a check-in runs the
intake's triage rules again with today's answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from pydantic import ValidationError

from backstride.domain.assessment.assess import assess
from backstride.domain.assessment.intake import General, Intake, Neuro
from backstride.domain.assessment.knowledge import KnowledgeBase
from backstride.domain.recovery.checkin import (
    CheckIn,
    WarningSign,
)
from backstride.domain.recovery.escalation import (
    LEVEL_HEADLINES,
    WARNING_SIGN_RULES,
    Escalation,
    Level,
)
from backstride.services.assessing import default_locale
from backstride.services.ports import (
    Retriage,
    SavedAssessment,
)

# --- re-triage ------------------------------------------------------------------------

_INTAKE_SECTIONS: Mapping[str, type[Neuro] | type[General]] = {"neuro": Neuro, "general": General}


def _intake_field(sign: WarningSign) -> tuple[str, str] | None:
    """The intake section and field a warning sign is, or None for check-in-only signs."""
    section, _, name = sign.value.partition(".")
    model = _INTAKE_SECTIONS.get(section)
    return (section, name) if model is not None and name in model.model_fields else None


def _urgency(level: str) -> int:
    return list(Level).index(Level(level))


def _updated_intake(
    assessment: SavedAssessment,
    signs: Sequence[WarningSign],
    history: Sequence[CheckIn],
    day: dt.date,
) -> Intake | None:
    """The saved intake with today's pain and warning-sign answers written in."""
    document = assessment.intake.to_document()
    for sign in signs:
        field = _intake_field(sign)
        if field is not None:
            section = document.setdefault(field[0], {})
            if section.get(field[1]) is not True:
                section[field[1]] = True
    week = [c for c in history if day - dt.timedelta(days=6) <= c.day <= day]
    if week:
        pain = document["pain"]
        pain["now_0_10"] = week[-1].pain_now_0_10
        pain["worst_0_10"] = max(c.worst_24h_0_10 for c in week)
        elapsed = max(0, (day - assessment.created_at.date()).days)
        pain["started_days_ago"] = min(36500, pain["started_days_ago"] + elapsed)
    try:
        return Intake.model_validate(document)
    except ValidationError:
        return None


def retriage(
    escalations: Sequence[Escalation],
    assessment: SavedAssessment | None,
    history: Sequence[CheckIn],
    day: dt.date,
    kb: KnowledgeBase,
) -> Retriage | None:
    """Re-triage when a warning sign is current (rule X1 fired): see :func:`retriage_signs`."""
    warning = [e for e in escalations if e.rule_id == "X1"]
    if not warning:
        return None
    signs = [WarningSign(f) for e in warning for f in e.findings]
    return retriage_signs(signs, assessment, history, day, kb, warning)


def retriage_signs(
    signs: Sequence[WarningSign],
    assessment: SavedAssessment | None,
    history: Sequence[CheckIn],
    day: dt.date,
    kb: KnowledgeBase,
    warning: Sequence[Escalation] = (),
) -> Retriage | None:
    """Re-triage with warning signs reported: the intake's own triage where it can.

    The saved intake is re-assessed with today's answers, so a sign weighs the
    same as it did at intake and combines with what the runner told us then
    (a cancer history, their age). A sign the intake cannot express, or one the
    check-in rules rank more urgent, decides by the check-in rules instead: the
    more urgent answer always wins.
    """
    if not signs:
        return None
    rules_level = Level(
        min((WARNING_SIGN_RULES[s].level for s in signs), key=lambda lv: _urgency(lv.value))
    )
    intake = _updated_intake(assessment, signs, history, day) if assessment else None
    if intake is not None:
        result = assess(intake, kb, locale=default_locale())
        if _urgency(result.triage.level) <= _urgency(rules_level):
            return Retriage(
                level=result.triage.level,
                headline=result.triage.headline,
                actions=tuple(result.triage.actions),
                findings=tuple(s.value for s in signs),
                red_flags=tuple(flag.id for flag in result.red_flags),
                by="intake",
            )
    place = kb.locale(default_locale())
    texts = kb.texts.levels[rules_level.value]
    details = [e.detail for e in warning if e.level is rules_level]
    if not details:
        details = [
            "You reported "
            + "; ".join(
                WARNING_SIGN_RULES[s].plain
                for s in signs
                if WARNING_SIGN_RULES[s].level is rules_level
            )
            + "."
        ]
    return Retriage(
        level=rules_level.value,
        headline=LEVEL_HEADLINES[rules_level],
        actions=tuple(dict.fromkeys([*details, *(place.fill(a) for a in texts.actions)])),
        findings=tuple(s.value for s in signs),
        red_flags=(),
        by="check-in",
    )
