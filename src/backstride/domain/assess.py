"""From one intake to one assessment: the clinical core.

Pure and deterministic: the same intake and knowledge base always give the
same document. Every conclusion carries the intake findings behind it and the
sources it rests on.
"""

from __future__ import annotations

from collections.abc import Mapping

from backstride.domain.assessment import (
    Assessment,
    ContributingFactor,
    LikelyCause,
    Outlook,
    RedFlag,
    Running,
    Triage,
)
from backstride.domain.causes import RankedCause, rank_causes
from backstride.domain.factors import FactorHit, find_factors
from backstride.domain.facts import Facts
from backstride.domain.intake import Intake
from backstride.domain.knowledge import KnowledgeBase
from backstride.domain.triage_rules import LEVEL_ORDER, RuleHit, fire_rules, most_urgent

# Soon-level rules after which staying active is the better advice (policy,
# running advice row 3): persistent, inflammatory and high-outlook-risk pain.
KEEP_ACTIVE_SOON_RULES = frozenset({"S6", "S8", "S10"})


def assess(
    intake: Intake,
    kb: KnowledgeBase,
    *,
    measured: Mapping[str, str] | None = None,
) -> Assessment:
    """Assess one intake.

    ``measured`` maps intake paths (``running.km_last_week``) to a note on where
    the value came from (``"14 runs imported from your watch"``); factors that
    rest on such values say so in their detail.
    """
    facts = Facts(intake)
    hits = fire_rules(facts, kb.thresholds)
    fired = _findings_by_rule(hits)
    level = most_urgent([hit.rule.level for hit in hits])
    causes = rank_causes(facts, kb, fired)
    return Assessment(
        triage=_triage(level, hits, kb),
        red_flags=_red_flags(hits, kb),
        likely_causes=[_likely_cause(c) for c in causes],
        contributing_factors=[
            _factor(hit, kb, measured or {}) for hit in find_factors(facts, kb.thresholds)
        ],
        running=_running(level, hits, facts, kb),
        outlook=_outlook(facts, kb),
        disclaimer=kb.texts.disclaimer,
    )


def _findings_by_rule(hits: tuple[RuleHit, ...]) -> dict[str, tuple[str, ...]]:
    merged: dict[str, tuple[str, ...]] = {}
    for hit in hits:
        merged[hit.rule.id] = tuple(dict.fromkeys(merged.get(hit.rule.id, ()) + hit.findings))
    return merged


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _triage(level: str, hits: tuple[RuleHit, ...], kb: KnowledgeBase) -> Triage:
    level_text = kb.texts.levels[level]
    deciding = _unique([hit.rule.id for hit in hits if hit.rule.level == level])
    if not deciding:
        return Triage(
            level="self_care", headline=level_text.headline, actions=list(level_text.actions)
        )
    headline = kb.rule_texts[deciding[0]].headline
    actions = [action for rule_id in deciding for action in kb.rule_texts[rule_id].actions]
    return Triage(
        level=level,
        headline=headline,
        actions=_unique(actions + list(level_text.actions)),
    )


def _red_flags(hits: tuple[RuleHit, ...], kb: KnowledgeBase) -> list[RedFlag]:
    by_flag: dict[str, list[RuleHit]] = {}
    for hit in hits:
        for flag in hit.rule.red_flags:
            by_flag.setdefault(flag, []).append(hit)
    flags = []
    for flag_id, raising in by_flag.items():
        level = most_urgent([hit.rule.level for hit in raising])
        rule_ids = _unique([hit.rule.id for hit in raising])
        condition = kb.conditions[flag_id]
        top_rule = next(hit.rule.id for hit in raising if hit.rule.level == level)
        explanation = (
            f"{kb.rule_texts[top_rule].explanation} {condition.summary} "
            f"(policy rules {', '.join(rule_ids)})"
        )
        flags.append(
            RedFlag(
                id=flag_id,
                level=level,
                findings=_unique([f for hit in raising for f in hit.findings]),
                explanation=explanation,
                sources=_unique(
                    [s for hit in raising for s in hit.rule.sources] + list(condition.sources)
                ),
            )
        )
    flags.sort(key=lambda flag: -LEVEL_ORDER[flag.level])
    return flags


def _likely_cause(cause: RankedCause) -> LikelyCause:
    return LikelyCause(
        id=cause.condition.id,
        likelihood=cause.likelihood,
        score=cause.score,
        supporting=list(cause.supporting),
        against=list(cause.against),
        explanation=cause.condition.explanation,
    )


def _factor(hit: FactorHit, kb: KnowledgeBase, measured: Mapping[str, str]) -> ContributingFactor:
    text = kb.factor_texts[hit.id]
    detail = text.detail.format(**hit.numbers)
    notes = _unique(
        [measured[path.split("=")[0]] for path in hit.findings if path.split("=")[0] in measured]
    )
    if notes:
        detail = f"{detail} (measured: {'; '.join(notes)})"
    return ContributingFactor(
        id=hit.id,
        detail=f"{detail}. {text.advice}",
        sources=list(text.sources),
    )


def _running(level: str, hits: tuple[RuleHit, ...], facts: Facts, kb: KnowledgeBase) -> Running:
    advice, reason = _running_advice(level, hits, facts, kb)
    detail = f"{kb.texts.running_reasons[reason]} {kb.texts.running[advice]}"
    return Running(advice=advice, detail=detail)


def _running_advice(
    level: str, hits: tuple[RuleHit, ...], facts: Facts, kb: KnowledgeBase
) -> tuple[str, str]:
    """The first row of the policy's running-advice table that matches."""
    t = kb.thresholds
    if level in ("emergency", "urgent"):
        return "stop", "seek_care"
    if facts.pain_now_at_least(t.pause_pain_now) or facts.worst_at_least(t.pause_worst):
        return "pause", "severe_pain"
    soon_rules = {hit.rule.id for hit in hits if hit.rule.level == "soon"}
    if level == "soon" and soon_rules <= KEEP_ACTIVE_SOON_RULES:
        return "reduce", "keep_active"
    if level == "soon":
        return "pause", "until_seen"
    improving = facts.is_("pain.trend", "improving")
    if facts.pain_now_at_most(t.continue_max_pain_now) and improving:
        return "continue", "mild_improving"
    return "reduce", "self_care"


def _outlook(facts: Facts, kb: KnowledgeBase) -> Outlook:
    count = facts.outlook_count()
    t = kb.thresholds
    if count >= t.outlook_high_count:
        risk = "high"
    elif count >= t.outlook_medium_count:
        risk = "medium"
    else:
        risk = "low"
    detail = kb.texts.outlook[risk].format(count=count)
    return Outlook(risk=risk, detail=detail)
