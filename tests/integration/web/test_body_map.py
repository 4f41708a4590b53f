"""The body map is made for fingers (issue 13, item 6): every zone is at least 48
units square in a picture 300 units wide (44 CSS px on a 360 px phone; the browser
test measures them), every region can be chosen, the choice is written in words, and
the nerve maps open after a yes without an error."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from backstride.content.questions import load_questions
from tests.integration.web.test_wizard import a_man, post, step_of

ZONE = re.compile(
    r'<rect x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)" rx="\d+" data-region="([a-z_]+)"'
)


def _where_it_hurts(client: TestClient, **answers: Any) -> str:
    page: str = post(client, a_man(**answers), step="where", go="where").text
    return page


def test_every_zone_is_big_enough_and_every_region_is_on_the_map(client: TestClient) -> None:
    page = _where_it_hurts(client)
    pictures = re.findall(r'<svg class="bodymap-view[^"]*" viewBox="0 0 (\d+) (\d+)"', page)
    assert [width for width, _ in pictures] == ["300", "300"]
    zones = ZONE.findall(page)
    assert zones
    for x, _y, w, h, region in zones:
        assert int(w) >= 48, region
        assert int(h) >= 48, region
        assert int(x) >= 0
        assert int(x) + int(w) <= 300
    assert {region for *_, region in zones} == set(load_questions().regions)


def test_zones_of_one_picture_never_overlap(client: TestClient) -> None:
    page = _where_it_hurts(client)
    for picture in page.split('<svg class="bodymap-view')[1:]:
        boxes = [tuple(map(int, z[:4])) for z in ZONE.findall(picture.split("</svg>")[0])]
        for i, (x, y, w, h) in enumerate(boxes):
            for x2, y2, w2, h2 in boxes[i + 1 :]:
                apart = x + w <= x2 or x2 + w2 <= x or y + h <= y2 or y2 + h2 <= y
                assert apart, (x, y, x2, y2)


def test_the_choice_is_written_in_words(client: TestClient) -> None:
    page = _where_it_hurts(client, **{"pain.regions": ["low_back_center", "buttock_left"]})
    words = re.search(r"data-bodymap-selected>([^<]*)<", page)
    assert words
    assert words.group(1) == "You chose: low back, middle; left buttock."
    assert page.count('aria-checked="true"') == 2
    empty = _where_it_hurts(client, **{"pain.regions": []})
    assert "Nothing chosen yet" in empty


def test_a_yes_to_numbness_opens_the_maps_without_an_error(client: TestClient) -> None:
    answers = a_man(**{"neuro.any_nerve_symptoms": "yes"})
    before = post(client, a_man(), step="pain", go="nerves").text
    assert 'data-bodymap="neuro.' not in before  # nothing to tap before the yes
    opened = post(client, answers, step="nerves", go="next", shown="neuro.any_nerve_symptoms")
    assert step_of(opened) == "nerves"
    assert opened.text.count('data-bodymap="neuro.') == 3
    assert "or answer No above" not in opened.text
    assert 'role="alert"' not in opened.text
