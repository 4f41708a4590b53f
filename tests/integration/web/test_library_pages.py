"""The exercise library pages: a thumbnail for every exercise, a search by what an
exercise trains, filters, and each exercise's picture with its positions in words."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from backstride.content.library import load_exercises


def _slugs(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/exercises/([a-z0-9-]+)">', html)


def test_the_library_lists_every_exercise_with_a_thumbnail(client: TestClient) -> None:
    page = client.get("/exercises")
    assert page.status_code == 200
    slugs = _slugs(page.text)
    assert sorted(slugs) == sorted(load_exercises())
    thumbs = re.findall(
        r'<img class="thumb" src="(/exercises/[a-z0-9-]+/thumbnail\.svg)"', page.text
    )
    assert len(thumbs) == len(slugs)
    picture = client.get(thumbs[0])
    assert picture.status_code == 200
    assert picture.headers["content-type"].startswith("image/svg+xml")
    assert picture.text.startswith("<svg")


def test_core_finds_the_core_exercises(client: TestClient) -> None:
    slugs = _slugs(client.get("/exercises", params={"q": "core"}).text)
    assert {"forearm-plank", "side-plank", "dead-bug", "bird-dog"} <= set(slugs)
    assert "hamstring-stretch" not in slugs


def test_filters_narrow_the_list_and_say_how_many(client: TestClient) -> None:
    page = client.get("/exercises", params={"kind": "stretch", "area": "legs"}).text
    slugs = _slugs(page)
    assert slugs
    library = load_exercises()
    assert all(library[slug].kind == "stretch" for slug in slugs)
    assert f"{len(slugs)} of {len(library)} exercises" in page
    assert 'value="stretch" selected' in page
    assert "Clear search and filters" in page


def test_unknown_filter_values_are_ignored(client: TestClient) -> None:
    page = client.get("/exercises", params={"kind": "<script>", "level": "9", "area": "x"})
    assert page.status_code == 200
    assert len(_slugs(page.text)) == len(load_exercises())
    assert "<script>" not in page.text


def test_no_match_says_so_and_offers_words_that_work(client: TestClient) -> None:
    page = client.get("/exercises", params={"q": "zzzz"}).text
    assert "No exercise matches" in page
    assert "core" in page


def test_an_exercise_shows_its_picture_and_its_positions_in_words(client: TestClient) -> None:
    page = client.get("/exercises/clamshell").text
    illustration = load_exercises()["clamshell"].illustration
    positions = re.search(r'<ol class="positions">(.*?)</ol>', page, re.S)
    assert positions
    assert illustration.start.label in positions.group(1)
    assert illustration.end.label in positions.group(1)
    still = page.split('<div class="exercise-still">', 1)[1].split("</svg>", 1)[0]
    assert 'class="caption"' not in still  # the words are on the page, readable at any width
    ids = re.findall(r'id="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_unknown_exercises_are_404(client: TestClient) -> None:
    assert client.get("/exercises/no-such-thing").status_code == 404
    assert client.get("/exercises/no-such-thing/thumbnail.svg").status_code == 404
