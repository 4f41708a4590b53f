"""Every reference vignette yields a plan that is safe and says why."""

from __future__ import annotations

import pytest

from backstride.domain.plan.model import RUNNING_KINDS
from tests.unit.domain.plan.support import CASES, case, check_safety

IDS = sorted(CASES)


@pytest.mark.parametrize("case_id", IDS)
def test_every_vignette_yields_a_safe_plan(case_id: str) -> None:
    plan, assessment, intake, prefs = case(case_id, complete_screen=False)
    check_safety(plan, assessment, intake, prefs)
    plan, assessment, intake, prefs = case(case_id)
    check_safety(plan, assessment, intake, prefs)


@pytest.mark.parametrize(
    "case_id", [c for c in IDS if CASES[c]["expect"]["triage"] in ("emergency", "urgent")]
)
def test_emergency_and_urgent_cases_get_only_what_to_do_now(case_id: str) -> None:
    plan, assessment, _, _ = case(case_id, complete_screen=False)
    assert plan.phases == []
    assert plan.days == []
    assert not plan.has_exercises
    assert not any(d.running in RUNNING_KINDS for d in plan.days)
    assert plan.do_now == assessment.triage.actions
    assert plan.headline == assessment.triage.headline


@pytest.mark.parametrize("case_id", ["p10", "p11", "p12"])
def test_a_red_flag_at_a_lower_level_means_a_clinician_first_and_no_programme(
    case_id: str,
) -> None:
    plan, assessment, _, _ = case(case_id)
    assert assessment.triage.level == "soon"
    assert assessment.red_flags
    assert plan.phases == []
    assert plan.days == []
    assert any("does not give an exercise programme" in line for line in plan.do_now)
    assert plan.running.advice == "pause"
    assert plan.running.return_to_run_from is None


@pytest.mark.parametrize("case_id", ["p13", "p14", "p15", "p16", "p17", "p18", "p19", "p20"])
def test_cases_without_warning_signs_get_all_five_phases_with_exercises(case_id: str) -> None:
    plan, _, _, _ = case(case_id)
    assert [p.id for p in plan.phases] == ["settle", "restore", "strengthen", "return", "prevent"]
    assert plan.has_exercises
    assert plan.session_days
    assert plan.phases[-1].ends_on is None
