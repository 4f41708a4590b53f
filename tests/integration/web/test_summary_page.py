"""GET /records/summary.pdf: the one-page summary to download (issue 15 item 4)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.integration.web.conftest import TODAY
from tests.outcome_support import seed_runner
from tests.pdf_text import pdf_pages, pdf_text


def test_the_summary_downloads_as_one_page(client: TestClient, db_url: str) -> None:
    seed_runner(db_url)
    response = client.get("/records/summary.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    disposition = response.headers["content-disposition"]
    assert disposition == f'attachment; filename="backstride-summary-{TODAY.isoformat()}.pdf"'
    assert pdf_pages(response.content) == 1
    text = pdf_text(response.content)
    assert "Assessment: Self-care" in text
    assert "Safety questions asked" in text
    assert "Exercises and doses:" in text
    assert "Smallest important change: pain 2 points" in text


def test_after_an_emergency_the_download_lists_no_exercise(client: TestClient, db_url: str) -> None:
    seed_runner(db_url, emergency=True)
    response = client.get("/records/summary.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "What to do now" in text
    assert "Exercises and doses" not in text
    assert "Running:" not in text
    assert "less pain than" not in text


def test_with_nothing_recorded_it_still_downloads(client: TestClient) -> None:
    response = client.get("/records/summary.pdf")
    assert response.status_code == 200
    assert "No assessment yet." in pdf_text(response.content)
