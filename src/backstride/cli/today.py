"""`backstride today`: what to do today.

The command only: the services, and the view in ``cli/today_view.py``, are imported
when it runs, so that registering it costs nothing (see ``cli/main.py``).
"""

from __future__ import annotations

from backstride.cli.common import check_format, connect, parse_day, print_json
from backstride.cli.options import DateOption, DbOption, FormatOption


def today(date: DateOption = None, format: FormatOption = "text", db: DbOption = None) -> None:
    """What to do today: exercises with dose, the walk or run (or a rest day), and why."""
    chosen = check_format(format, ("text", "json"))
    day = parse_day(date)
    from backstride.services import recovery

    advice = recovery.today(connect(db).unit_of_work(), day)
    if chosen == "json":
        print_json(advice.to_document())
        return
    from backstride.cli.today_view import show_today

    show_today(advice)
