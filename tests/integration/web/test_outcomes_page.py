"""The progress page shows the change since the first assessment, with the smallest
important change named on the pain and activity charts (issue 15 item 3); after an
emergency assessment it compares nothing."""

from __future__ import annotations

import html
import re
from typing import Any

from fastapi.testclient import TestClient

from backstride.bootstrap import open_storage
from backstride.services import outcomes
from backstride.web.templating import templates
from tests.outcome_support import LAST, seed_runner


def page(client: TestClient) -> str:
    response = client.get(f"/progress?date={LAST.isoformat()}")
    assert response.status_code == 200
    return html.unescape(response.text)


def test_the_page_shows_the_change_and_names_the_smallest_important_change(
    client: TestClient, db_url: str
) -> None:
    seed_runner(db_url)
    text = page(client)
    card = text.split('data-outcomes="shown"', 1)[1].split("</section>", 1)[0]
    assert "Change since your first assessment" in text
    assert "3 points less pain than at your first assessment" in card
    assert "more than the smallest change people notice (2 points)" in card
    assert "Your activity score (PSFS) is 3 points higher" in card
    assert "childs2005, farrar2001" in card
    # The pain chart: a labelled band, described for screen readers.
    pain = text.split('aria-labelledby="pain-chart-title pain-chart-desc"', 1)[1]
    pain = pain.split('aria-labelledby="psfs-chart-title', 1)[0]
    assert 'class="mcid"' in pain
    assert "first score 6/10 ± smallest important change: 2 points" in pain
    description = re.search(r'<desc id="pain-chart-desc">([^<]*)</desc>', text)
    assert description is not None
    assert "smallest important change: 2 points either side" in description.group(1)
    # The activity chart: a labelled line, with a title and a description.
    assert '<title id="psfs-chart-title">Activity score (PSFS)</title>' in text
    psfs = re.search(r'<desc id="psfs-chart-desc">([^<]*)</desc>', text)
    assert psfs is not None
    assert "first score, 3.5, plus the smallest important change: 2 points" in psfs.group(1)
    assert "first score 3.5 + smallest important change: 2 points" in text
    # The one-page summary for a clinician is a link away.
    assert 'href="/records/summary.pdf"' in text


def test_after_an_emergency_nothing_is_compared_or_drawn(client: TestClient, db_url: str) -> None:
    seed_runner(db_url, emergency=True)
    text = page(client)
    assert 'data-outcomes="withheld"' in text
    assert "is not shown while you need care first" in text
    assert "less pain than" not in text
    assert "smallest change people notice" not in text
    assert 'class="mcid"' not in text
    # The care banner still comes first.
    assert text.index('id="care"') < text.index('data-outcomes="withheld"')


def test_the_partial_can_be_used_with_another_title(db_url: str) -> None:
    """Another page (a clinician's) includes the same partial with its own heading."""
    seed_runner(db_url)
    storage = open_storage(db_url)
    try:
        found = outcomes.outcomes(storage.unit_of_work(), LAST)
    finally:
        storage.dispose()
    module: Any = templates.env.get_template("partials/outcomes.html").module
    rendered = str(module.outcomes_card(found, title="Change since the first assessment", id="o"))
    assert 'id="o-title"' in rendered
    assert "Change since the first assessment" in rendered
    assert "<td>-3</td>" in rendered
    assert "<td>+3</td>" in rendered
