"""The pain limits the plan and its calendar quote come from the programme's numbers.

``content/thresholds.yaml`` (``return_to_run``) holds the comfort limit (3/10 today)
and the step-back limit (5/10); the plan's advice, the exercise step-ups and the run
events of the calendar are templates filled from the thresholds passed in. With other
numbers every such sentence follows, and nothing else in the text changes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import icalendar
import pytest

from backstride.adapters.export.plan_ics import RUN_EVENT_NOTE, render_plan_ics
from backstride.content.loader import load_programme_thresholds
from backstride.domain.plan import wording
from backstride.domain.plan.builder import build_plan
from backstride.domain.plan.model import Plan, Preferences
from backstride.domain.recovery.return_to_run import ProgrammeThresholds
from backstride.services.assessing import assess_intake, parse_intake
from tests.unit.domain.plan.support import CASES, KB, LIBRARY, START, TOPICS, with_complete_screen

CONTENT = load_programme_thresholds()
# Other limits than the content's: a comfort limit of 2/10 and a step-back limit of 6/10.
CHANGED = dataclasses.replace(CONTENT, comfort_max_pain=2, hold_max_pain=6)
STAMP = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)


def plan_with(case_id: str, thresholds: ProgrammeThresholds) -> Plan:
    intake = parse_intake(with_complete_screen(CASES[case_id]["intake"]))
    return build_plan(
        assess_intake(intake, KB),
        intake,
        Preferences(start_date=START),
        library=LIBRARY,
        kb=KB,
        topics=set(TOPICS),
        programme=thresholds,
    )


def plan_texts(plan: Plan) -> list[str]:
    return [
        *(item.why for phase in plan.phases for item in phase.items),
        *(day.note for day in plan.days),
    ]


def with_changed_limits(text: str) -> str:
    return text.replace("3/10", "2/10").replace("5/10", "6/10")


def test_the_content_limits_are_the_ones_the_wording_was_written_with() -> None:
    assert (CONTENT.comfort_max_pain, CONTENT.hold_max_pain) == (3, 5)


def test_every_wording_template_fills_from_the_thresholds() -> None:
    table = {name: value for name, value in vars(wording).items() if not name.startswith("_")}
    templates = [
        *(v.why for v in table.values() if isinstance(v, wording.Advice)),
        *(v for v in table.values() if isinstance(v, str)),
    ]
    assert len(templates) > 30
    for template in templates:
        filled = CHANGED.fill(template)
        assert "{" not in filled
        assert "3/10" not in filled
        assert "5/10" not in filled
        assert with_changed_limits(CONTENT.fill(template)) == filled


# p16: pause (walk-run programme, step-ups, training load); p19: reduce; p20: continue.
@pytest.mark.parametrize("case_id", ["p16", "p19", "p20"])
def test_the_plan_wording_follows_the_limits(case_id: str) -> None:
    today = plan_texts(plan_with(case_id, CONTENT))
    changed = plan_texts(plan_with(case_id, CHANGED))
    assert any("3/10" in text for text in today)
    assert changed == [with_changed_limits(text) for text in today]
    assert not any("3/10" in text or "5/10" in text for text in changed)


def test_each_pain_rule_sentence_quotes_the_changed_limits() -> None:
    paused = plan_with("p16", CHANGED)
    whys = [item.why for phase in paused.phases for item in phase.items]
    assert any("stepping back a stage if pain goes above 6/10" in why for why in whys)
    assert any("pain stayed at 2/10 or less" in why for why in whys)
    assert any("pain stays at 2/10 or less while you do it" in why for why in whys)
    assert any("the pain rules (2/10 or less, settled by the next morning)" in why for why in whys)
    step_up = [why for why in whys if "A step up from the" in why]
    assert step_up
    assert all("pain stays at 2/10 or less; otherwise stay with it." in why for why in step_up)
    continuing = plan_with("p20", CHANGED).phases[0].items[0].why
    assert "if pain during a run goes above 2/10" in continuing
    assert "The pain rules (pain during a run at 2/10 or less" in continuing


def descriptions(calendar: str) -> list[str]:
    events = icalendar.Calendar.from_ical(calendar).walk("VEVENT")
    return [str(event["DESCRIPTION"]) for event in events]


def test_the_calendar_run_events_quote_the_limits() -> None:
    plan = plan_with("p19", CONTENT)
    today = render_plan_ics(plan, stamp=STAMP)
    assert today == render_plan_ics(plan, stamp=STAMP, thresholds=CONTENT)
    rule = "Easy pace; if back pain goes above {}/10, walk the rest of the way."
    assert any(rule.format(3) in text for text in descriptions(today))
    changed = descriptions(
        render_plan_ics(plan_with("p19", CHANGED), stamp=STAMP, thresholds=CHANGED)
    )
    assert any(rule.format(2) in text for text in changed)
    assert not any("3/10" in text for text in changed)
    assert changed == [with_changed_limits(text) for text in descriptions(today)]
    assert CHANGED.fill(RUN_EVENT_NOTE).startswith(rule.format(2))
