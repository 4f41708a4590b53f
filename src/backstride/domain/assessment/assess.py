"""From one intake to one assessment: the clinical core.

Pure and deterministic: the same intake, knowledge base and locale always give
the same document. Every conclusion carries the intake findings behind it and the
sources it rests on.

Version 2 (docs/reference/triage-policy.md) puts the serious first: at urgent and
emergency the instruction leads, and the likely causes, lifestyle factors and
outlook stay in the document for the clinician only (``audience``). Rule texts
carry the locale's destinations; code never composes an instruction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from backstride.domain.assessment.causes import RankedCause, rank_causes
from backstride.domain.assessment.document import (
    Assessment,
    ContributingFactor,
    LikelyCause,
    Outlook,
    RedFlag,
    Running,
    SafetyScreen,
    Triage,
    WarningSignToWatch,
)
from backstride.domain.assessment.factors import FactorHit, find_factors
from backstride.domain.assessment.facts import FactsV2
from backstride.domain.assessment.intake import Intake
from backstride.domain.assessment.knowledge import KnowledgeBase, Locale
from backstride.domain.assessment.safety_screen import safety_screen
from backstride.domain.assessment.triage_rules import RuleHit, fire_rules
from backstride.domain.vocabulary import LEVEL_ORDER, at_least, most_urgent, needs_care_now

# Soon-level rules after which staying active is the better advice (policy,
# running advice row 3): persistent, inflammatory and high-outlook-risk pain, and
# an incomplete safety screen, which counts like them (review R6 3d).
KEEP_ACTIVE_SOON_RULES = frozenset({"S6", "S8", "S10", "CE3d"})
# Factors after which "continue as usual" would contradict the report (review R14(e)).
NO_CONTINUE_FACTORS = frozenset({"return_too_fast", "load_spike", "new_runner"})
# Rules whose own running text replaces the generic pause text (review R8, §3.10).
BONE_STRESS_RULES = frozenset({"BS8a", "BS8c.s"})
# Results in which fever played a part show the sepsis list (review R4 13f).
FEVER_PATHS = ("general.fever_or_chills",)
# Flags beside which no text may reassure ("common", "not damage", "settles").
NO_REASSURANCE_FLAGS = frozenset(
    {"spinal_fracture", "spinal_infection", "bone_stress_injury", "malignancy"}
)
ADVICE_ORDER = {"stop": 0, "pause": 1, "reduce": 2, "continue": 3}

Describe = Callable[[str], str]


def assess(
    intake: Intake,
    kb: KnowledgeBase,
    *,
    measured: Mapping[str, str] | None = None,
    locale: str | None = None,
    describe: Describe | None = None,
) -> Assessment:
    """Assess one intake.

    ``measured`` maps intake paths (``running.km_last_week``) to a note on where
    the value came from (``"14 runs imported from your watch"``); factors that
    rest on such values say so in their detail. ``locale`` picks the emergency
    numbers and destinations (content/locales.yaml); ``describe`` turns a finding
    into plain words for the "Tell them" summary.
    """
    facts = FactsV2(intake)
    place = kb.locale(locale)
    hits = fire_rules(facts, kb.thresholds)
    level = most_urgent([hit.rule.level for hit in hits])
    fired = _findings_by_rule(hits)
    causes = rank_causes(facts, kb, fired)
    factor_hits = find_factors(facts, kb.thresholds)
    screen = safety_screen(facts)
    care_now = needs_care_now(level)
    flags = {flag for hit in hits for flag in hit.rule.red_flags}
    # No reassurance beside a serious flag or an unfinished screen (rule 9, R6 3d):
    # the causes' "it is common and settles" and the outlook go to the clinician.
    reassurance_hidden = care_now or bool(flags & NO_REASSURANCE_FLAGS) or not screen.complete
    cause_audience = "clinician" if reassurance_hidden else "runner"
    factor_audience = "clinician" if care_now else "runner"
    return Assessment(
        triage=_triage(level, hits, facts, kb, place, describe),
        safety_screen=SafetyScreen(**screen.to_document()),
        red_flags=_red_flags(hits, kb, place),
        likely_causes=[_likely_cause(c, cause_audience) for c in causes],
        contributing_factors=[
            _factor(hit, kb, measured or {}, factor_audience) for hit in factor_hits
        ],
        running=_running(level, hits, factor_hits, facts, kb, screen.complete),
        outlook=_outlook(facts, kb, cause_audience, place),
        warning_signs=_warning_signs(level, facts, kb),
        safety_nets=_safety_nets(hits, facts, kb, place),
        disclaimer=kb.texts.disclaimer,
    )


def _findings_by_rule(hits: tuple[RuleHit, ...]) -> dict[str, tuple[str, ...]]:
    merged: dict[str, tuple[str, ...]] = {}
    for hit in hits:
        merged[hit.rule.id] = tuple(dict.fromkeys(merged.get(hit.rule.id, ()) + hit.findings))
    return merged


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _triage(
    level: str,
    hits: tuple[RuleHit, ...],
    facts: FactsV2,
    kb: KnowledgeBase,
    place: Locale,
    describe: Describe | None,
) -> Triage:
    level_text = kb.texts.levels[level]
    deciding = _unique([hit.rule.id for hit in hits if hit.rule.level == level])
    young = _young_person_lines(level, facts, kb)
    if not deciding:
        actions = [place.fill(a) for a in level_text.actions]
        return Triage(level="self_care", headline=level_text.headline, actions=young + actions)
    headline = place.fill(kb.rule_texts[deciding[0]].headline)
    actions = [place.fill(a) for rule_id in deciding for a in kb.rule_texts[rule_id].actions]
    tell_them: list[str] = []
    if needs_care_now(level):
        # Everything that made care urgent, not only the deciding rule's answers.
        findings = [f for hit in hits if needs_care_now(hit.rule.level) for f in hit.findings]
        said = _unique([describe(f) if describe else f for f in findings])
        tell_them = said
    # An incomplete screen gets no reassurance and no plan (review R6 3d).
    generic = [] if "CE3d" in deciding else [place.fill(a) for a in level_text.actions]
    return Triage(
        level=level,
        headline=headline,
        actions=_unique(young + actions + generic),
        tel=place.tel if level == "emergency" else None,
        tell_them=tell_them,
    )


def _young_person_lines(level: str, facts: FactsV2, kb: KnowledgeBase) -> list[str]:
    """Under 16 the result speaks to the young person and asks them to show an adult (20f)."""
    if facts.intake.person.age >= kb.thresholds.parent_age:
        return []
    lines = [kb.texts.for_young["parent"]]
    if level == "emergency":
        lines.insert(0, kb.texts.for_young["tell_an_adult"])
    return lines


def _red_flags(hits: tuple[RuleHit, ...], kb: KnowledgeBase, place: Locale) -> list[RedFlag]:
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
        text = kb.rule_texts[top_rule]
        explanation = place.fill(text.explanation)
        clinician = " ".join(
            _unique(
                [kb.rule_texts[r].clinician for r in rule_ids if kb.rule_texts[r].clinician]
                + [condition.summary, f"(policy rules {', '.join(rule_ids)})"]
            )
        )
        flags.append(
            RedFlag(
                id=flag_id,
                level=level,
                findings=_unique([f for hit in raising for f in hit.findings]),
                explanation=explanation,
                sources=kb.shown_sources(
                    _unique(
                        [s for hit in raising for s in hit.rule.sources] + list(condition.sources)
                    )
                ),
                clinician_explanation=clinician,
            )
        )
    flags.sort(key=lambda flag: -LEVEL_ORDER[flag.level])
    return flags


def _likely_cause(cause: RankedCause, audience: str) -> LikelyCause:
    return LikelyCause(
        id=cause.condition.id,
        likelihood=cause.likelihood,
        score=cause.score,
        supporting=list(cause.supporting),
        against=list(cause.against),
        explanation=cause.condition.explanation,
        audience=audience,
    )


def _factor(
    hit: FactorHit, kb: KnowledgeBase, measured: Mapping[str, str], audience: str
) -> ContributingFactor:
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
        sources=kb.shown_sources(list(text.sources)),
        audience=audience,
    )


def _running(
    level: str,
    hits: tuple[RuleHit, ...],
    factor_hits: tuple[FactorHit, ...],
    facts: FactsV2,
    kb: KnowledgeBase,
    screen_complete: bool,
) -> Running:
    advice, reason, own_text = _running_advice(level, hits, factor_hits, facts, kb, screen_complete)
    if own_text:
        detail = own_text
    elif reason == "until_seen":
        # One instruction at soon (review R10): the generic pause text would add a second.
        detail = kb.texts.running_reasons[reason]
    else:
        detail = f"{kb.texts.running_reasons[reason]} {kb.texts.running[advice]}"
    opening = _postnatal_opening(facts, kb)
    if opening:
        detail = f"{opening} {detail}"
    return Running(advice=advice, detail=detail)


def _at_most(advice: str, limit: str) -> str:
    return advice if ADVICE_ORDER[advice] <= ADVICE_ORDER[limit] else limit


def _running_advice(
    level: str,
    hits: tuple[RuleHit, ...],
    factor_hits: tuple[FactorHit, ...],
    facts: FactsV2,
    kb: KnowledgeBase,
    screen_complete: bool,
) -> tuple[str, str, str]:
    """The first row of the running-advice table that matches, then the v2 limits.

    Returns the advice, the reason key and, where a flag has its own running text
    (bone stress, early after birth), that text instead of the generic one.
    """
    t = kb.thresholds
    fired = {hit.rule.id for hit in hits}
    if needs_care_now(level):
        return "stop", "seek_care", ""
    if fired & BONE_STRESS_RULES:
        return "pause", "until_seen", kb.texts.safety_nets["bone_stress"]
    postnatal = facts.postpartum_weeks_under(t.postnatal_no_run_weeks, absent_counts=False)
    if postnatal:
        return "pause", "until_seen", kb.texts.safety_nets["postnatal"]
    if facts.pain_now_at_least(t.pause_pain_now) or facts.worst_at_least(t.pause_worst):
        return "pause", "severe_pain", ""
    soon_rules = {hit.rule.id for hit in hits if hit.rule.level == "soon"}
    if level == "soon" and soon_rules <= KEEP_ACTIVE_SOON_RULES:
        advice, reason = "reduce", "keep_active"
    elif level == "soon":
        return "pause", "until_seen", ""
    else:
        improving = facts.is_("pain.trend", "improving")
        if facts.pain_now_at_most(t.continue_max_pain_now) and improving:
            advice, reason = "continue", "mild_improving"
        else:
            advice, reason = "reduce", "self_care"
    factor_ids = {hit.id for hit in factor_hits}
    if factor_ids & NO_CONTINUE_FACTORS or not screen_complete:
        advice = _at_most(advice, "reduce")
        if reason == "mild_improving":
            reason = "self_care"
    if facts.true("pain.hurts_to_hop"):
        return _at_most(advice, "reduce"), reason, kb.texts.safety_nets["hop"]
    return advice, reason, ""


def _postnatal_opening(facts: FactsV2, kb: KnowledgeBase) -> str:
    """Postpartum without weeks since birth: say the early rule anyway (review R14(f))."""
    if facts.history("postpartum") and facts.value("person.weeks_since_birth") is None:
        return kb.texts.safety_nets["postnatal_unknown"]
    return ""


def _outlook(facts: FactsV2, kb: KnowledgeBase, audience: str, place: Locale) -> Outlook:
    """What helps, never a risk label for the runner; the risk stays for the clinician (14)."""
    count = facts.outlook_count()
    t = kb.thresholds
    if count >= t.outlook_high_count:
        risk = "high"
    elif count >= t.outlook_medium_count:
        risk = "medium"
    else:
        risk = "low"
    detail = kb.texts.outlook[risk]
    if facts.true("outlook.low_mood"):
        detail = f"{detail} {place.fill(kb.texts.outlook_low_mood)}"
    return Outlook(risk=risk, detail=detail, audience=audience)


def _warning_signs(level: str, facts: FactsV2, kb: KnowledgeBase) -> list[WarningSignToWatch]:
    """The signs to watch for; never one the answers already meet unless the level is its level.

    Review R14(d): a sign the runner already reported is not listed as though it
    were absent; where an exemption kept the level lower, the rule's own text says so.
    """
    signs = []
    for sign in kb.texts.warning_signs:
        met = any(_meets(facts, condition) for condition in sign.met_by)
        if met and not at_least(level, sign.level):
            continue
        signs.append(WarningSignToWatch(text=sign.text, level=sign.level))
    return signs


def _meets(facts: FactsV2, condition: str) -> bool:
    if condition == "both_legs":
        return bool(facts.leg_nerve_both_sides() or facts.weakness_both_sides())
    path, _, value = condition.partition("=")
    found = facts.value(path)
    if value:
        return bool(found == value)
    if isinstance(found, tuple | list):
        return bool(found)
    return bool(found is True or found == "not_sure")


def _safety_nets(
    hits: tuple[RuleHit, ...], facts: FactsV2, kb: KnowledgeBase, place: Locale
) -> list[str]:
    nets = []
    fever = facts.true("general.fever_or_chills")
    if fever or any("general.fever_or_chills" in hit.findings for hit in hits):
        nets.append(place.fill(kb.texts.safety_nets["sepsis"]))
    if facts.history("cancer"):
        nets.append(place.fill(kb.texts.safety_nets["cord_compression"]))
    if facts.true("running.pelvic_floor_symptoms"):
        nets.append(place.fill(kb.texts.safety_nets["pelvic_floor"]))
    return nets
