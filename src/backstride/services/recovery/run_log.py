"""A check-in's run in the run log: one run, one activity.

A walk-run or run recorded in a check-in (its minutes, and its distance when given)
is an activity of the log, written in the check-in's own transaction:

* **Linked, not copied twice.** The check-in's ``session.activity_id`` names the
  activity. Given by the runner (``checkin --activity ID``), it must be in the log;
  otherwise the check-in's run becomes a hand-entered activity marked as from a
  check-in (``source_format`` :data:`CHECKIN_SOURCE`), or, when the log already holds
  the same run from a watch file that day (``domain.training.same_run``), is linked
  to that one.
* **Sent again, updated.** Re-sending the day updates the check-in's own activity in
  place (never a second one); a day whose session is no longer a run takes it back.
* **A watch file wins.** Importing the same run later replaces the check-in's
  activity in place (``services.importing``): the id, and so the link, is kept, and
  the file's richer record is what the log shows. A check-in never overwrites a file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from backstride.domain.recovery.checkin import CheckinDocument, SessionDone
from backstride.domain.training.load import RUNNING_SPORTS
from backstride.domain.training.same_run import Recording, nearness, same_run
from backstride.services.ports import ActivityData, SavedActivity, UnitOfWork
from backstride.services.validation import InvalidDocument, Problem

CHECKIN_SOURCE: Final = "checkin"
"""``source_format`` of an activity written from a check-in's run."""
_PATH: Final = "session.activity_id"
# A check-in knows its day, not its hour: its run is put at midday, local time.
_MIDDAY: Final = dt.time(12)


def from_checkin(activity: SavedActivity) -> bool:
    """Whether ``activity`` is a check-in's run (not a file or a `run add`)."""
    return activity.source_format == CHECKIN_SOURCE


def _linked(uow: UnitOfWork, activity_id: str | None) -> SavedActivity | None:
    if activity_id is None or not activity_id.strip().isdigit():
        return None
    number = int(activity_id.strip())
    return uow.activities.get(number) if number < 2**63 else None


def _start(day: dt.date) -> dt.datetime:
    """Midday of ``day`` on this machine's clock (the one the check-in's day is read on)."""
    return dt.datetime.combine(day, _MIDDAY).astimezone()


def _data(day: dt.date, session: SessionDone, now: dt.datetime) -> ActivityData:
    start = _start(day)
    offset = start.utcoffset() or dt.timedelta()
    seconds = float(session.minutes * 60)
    return ActivityData(
        sport="running",
        start_utc=start.astimezone(dt.UTC),
        utc_offset_s=int(offset.total_seconds()),
        elapsed_s=seconds,
        moving_s=seconds,
        timer_s=None,
        distance_m=None if not session.distance_km else session.distance_km * 1000,
        ascent_m=None,
        avg_hr=None,
        max_hr=None,
        avg_cadence_spm=None,
        device=None,
        name=f"{session.kind.value.replace('_', '-')} from the check-in of {day.isoformat()}",
        gear=None,
        source_format=CHECKIN_SOURCE,
        source_sha256=None,
        source_name=f"check-in {day.isoformat()}",
        source_index=0,
        richness=0,
        samples=0,
        warnings=(),
        streams=None,
        imported_at=now,
        manual=True,
        pain_0_10=session.pain_after_0_10,
    )


def _same_run_logged(uow: UnitOfWork, data: ActivityData) -> SavedActivity | None:
    """A run from a file (or typed in) already in the log that records this check-in's run."""
    kept = Recording.of(data)
    near = uow.activities.between(
        data.start_utc - dt.timedelta(days=1), data.start_utc + dt.timedelta(days=1)
    )
    found = [
        a
        for a in near
        if a.sport in RUNNING_SPORTS and not from_checkin(a) and same_run(kept, Recording.of(a))
    ]
    return min(found, key=lambda a: nearness(kept, Recording.of(a)), default=None)


def _with_link(document: CheckinDocument, activity_id: int | None) -> CheckinDocument:
    raw: dict[str, Any] = document.to_document()
    session = dict(raw["session"])
    if activity_id is None:
        session.pop("activity_id", None)
    else:
        session["activity_id"] = str(activity_id)
    raw["session"] = session
    return CheckinDocument.model_validate(raw)


def log_checkin_run(
    uow: UnitOfWork,
    stored: CheckinDocument | None,
    given: CheckinDocument,
    merged: CheckinDocument,
    now: dt.datetime,
) -> CheckinDocument:
    """Keep the run log in step with the day's check-in; the check-in, linked.

    Called inside the check-in's unit of work, before it is stored. Raises
    InvalidDocument (``session.activity_id``) when the runner names an activity the
    log does not hold; then nothing is stored.
    """
    day = merged.date
    before = stored.session.activity_id if stored and stored.session else None
    named = given.session.activity_id if given.session is not None else None
    chosen = _linked(uow, named)
    # Only a new id is checked: a day sent again whole (the next morning's pain, an
    # exercise ticked) repeats its stored link, which may predate the check.
    if named is not None and chosen is None and named != before:
        raise InvalidDocument(
            [
                Problem(
                    _PATH,
                    f"there is no activity {named!r} in your run log "
                    "(`backstride runs` lists their ids)",
                )
            ]
        )
    previous = _linked(uow, before)
    own = previous if previous is not None and from_checkin(previous) else None
    session = merged.to_checkin().session
    if session is None or not session.is_running or session.minutes <= 0:
        if own is not None:
            uow.activities.remove(own.id)
        return merged
    if chosen is not None and (own is None or chosen.id != own.id):
        if own is not None:
            uow.activities.remove(own.id)
        return _with_link(merged, chosen.id)
    current = _linked(uow, merged.session.activity_id if merged.session else None)
    data = _data(day, session, now)
    if current is not None and not from_checkin(current):
        return merged  # a file or a typed-in run: the richer record stays as it is
    if current is None:
        current = own
    logged = _same_run_logged(uow, data)
    if logged is not None:
        if current is not None:
            uow.activities.remove(current.id)
        return _with_link(merged, logged.id)
    if current is not None:
        uow.activities.write([], [(current.id, data)])
        return _with_link(merged, current.id)
    (new_id,) = uow.activities.write([data], [])
    return _with_link(merged, new_id)
