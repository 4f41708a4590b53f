"""A recorded check-in read back: what the page after "save" shows.

The web form answers a check-in with a redirect (post, then get), so a refresh
never sends it twice; the page it redirects to reads the day back from storage
through here, with the care state and the programme as they stand now.
"""

from __future__ import annotations

import datetime as dt

from backstride.content.loader import load_knowledge_base
from backstride.domain.assessment.knowledge import KnowledgeBase
from backstride.domain.recovery.checkin import warning_screen_due
from backstride.services.ports import SavedDecision, UnitOfWork
from backstride.services.recovery.checkins import CheckinResult
from backstride.services.recovery.programme import load_context, unjudged
from backstride.services.recovery.window import state_through, unjudged_rows


def saved_outcome(
    uow: UnitOfWork, day: dt.date, kb: KnowledgeBase | None = None
) -> CheckinResult | None:
    """The check-in of ``day`` as stored, with its decisions, or None when there is none.

    The programme decisions shown are those on the day's session and on the day
    before's (whose next-morning pain a check-in usually brings).
    """
    knowledge = kb or load_knowledge_base()
    with uow:
        saved = uow.checkins.get(day)
        if saved is None:
            return None
        context = load_context(uow, day)
        programme = uow.programmes.current()
        recent = {day, day - dt.timedelta(days=1)}
        shown: tuple[SavedDecision, ...] = ()
        waiting: list[dt.date] = []
        stage = None
        if programme is not None:
            shown = tuple(uow.programmes.decisions_on(programme.id, recent))
            rows = [s.document.to_checkin() for s in unjudged_rows(uow, programme)]
            rows = [c for c in rows if c.day <= day]
            sessions = [c.day for c in rows if c.session is not None]
            judged = uow.programmes.decisions_on(programme.id, sessions)
            waiting = [c.day for c in unjudged(programme, judged, rows)]
            stage = state_through(uow, programme, day).stage
    history = context.history
    checkin = saved.document.to_checkin()
    care = context.care(day, knowledge)
    before = [c for c in history if c.day < day]
    flare_today = care.flare is not None and care.flare.day == day
    due = warning_screen_due(before, day, checkin.pain_now_0_10, flare=flare_today)
    return CheckinResult(
        day=day,
        document=saved.document,
        warning_screen_due=due,
        warning_screen_answered=checkin.full_warning_screen,
        decisions=shown,
        waiting_for_morning=tuple(waiting),
        programme_started_on=programme.started_on if programme else None,
        stage=None if care.suspended else stage,
        escalations=care.escalations,
        retriage=saved.retriage,
        not_a_diagnosis=knowledge.texts.disclaimer,
        care=care,
    )
