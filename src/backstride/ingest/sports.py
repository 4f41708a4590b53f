"""Map each format's sport vocabulary onto the canonical sports in `model.SPORTS`."""

from __future__ import annotations

from typing import Final

# FIT `sport` and `sub_sport` enum values (FIT protocol profile).
_FIT_RUNNING: Final = 1
_FIT_CYCLING: Final = 2
_FIT_TRANSITION: Final = 3
_FIT_FITNESS_EQUIPMENT: Final = 4
_FIT_SWIMMING: Final = 5
_FIT_WALKING: Final = 11
_FIT_HIKING: Final = 17
_FIT_E_BIKING: Final = 21
_FIT_SUB_TREADMILL: Final = 1
_FIT_SUB_TRAIL: Final = 3
_FIT_SUB_TRACK: Final = 4
_FIT_SUB_INDOOR_WALKING: Final = 27
_FIT_SUB_INDOOR_RUNNING: Final = 45
_FIT_SUB_VIRTUAL_ACTIVITY: Final = 58

FIT_TRANSITION: Final = _FIT_TRANSITION


def from_fit(sport: int | None, sub_sport: int | None) -> str:
    if sport == _FIT_RUNNING:
        if sub_sport in (_FIT_SUB_TREADMILL, _FIT_SUB_INDOOR_RUNNING, _FIT_SUB_VIRTUAL_ACTIVITY):
            return "treadmill_running"
        if sub_sport == _FIT_SUB_TRAIL:
            return "trail_running"
        if sub_sport == _FIT_SUB_TRACK:
            return "track_running"
        return "running"
    if sport == _FIT_FITNESS_EQUIPMENT and sub_sport == _FIT_SUB_TREADMILL:
        # Older Garmin watches log treadmill runs as fitness equipment / treadmill.
        return "treadmill_running"
    if sport == _FIT_WALKING or (
        sport == _FIT_FITNESS_EQUIPMENT and sub_sport == _FIT_SUB_INDOOR_WALKING
    ):
        return "walking"
    if sport == _FIT_HIKING:
        return "hiking"
    if sport in (_FIT_CYCLING, _FIT_E_BIKING):
        return "cycling"
    if sport == _FIT_SWIMMING:
        return "swimming"
    return "other"


_WORDS: Final = {
    # TCX Sport attribute, GPX <type> words (Garmin, Strava, apps) and Strava CSV types.
    "running": "running",
    "run": "running",
    "trail run": "trail_running",
    "trail_running": "trail_running",
    "trail running": "trail_running",
    "treadmill": "treadmill_running",
    "treadmill_running": "treadmill_running",
    "virtual run": "treadmill_running",
    "track_running": "track_running",
    "walking": "walking",
    "walk": "walking",
    "hiking": "hiking",
    "hike": "hiking",
    "biking": "cycling",
    "cycling": "cycling",
    "ride": "cycling",
    "virtual ride": "cycling",
    "e-bike ride": "cycling",
    "mountain bike ride": "cycling",
    "gravel ride": "cycling",
    "road_biking": "cycling",
    "mountain_biking": "cycling",
    "swimming": "swimming",
    "swim": "swimming",
}

# Strava's GPX exports write a numeric <type>; these codes are the ones seen in real
# exports (9 = Run, 1 = Ride, 10 = Walk, 4 = Hike). Anything else is "other".
_STRAVA_GPX_CODES: Final = {"1": "cycling", "4": "hiking", "9": "running", "10": "walking"}


def from_word(text: str | None) -> str | None:
    """Sport for a free-text type, or None when the text does not name a known sport."""
    if text is None:
        return None
    key = text.strip().lower()
    if key in _STRAVA_GPX_CODES:
        return _STRAVA_GPX_CODES[key]
    return _WORDS.get(key) or _WORDS.get(key.replace("_", " "))


def prefer(file_sport: str, stated_sport: str | None) -> str:
    """Combine the file's sport with one the athlete chose elsewhere (Strava's CSV).

    The athlete's choice wins when the file does not know, when it names a different
    sport (they corrected a mislabelled recording) or when it is more specific ("Trail
    Run" for a file that only says running); the file's more specific sport (treadmill)
    survives a generic "Run".
    """
    if stated_sport is None or stated_sport == file_sport:
        return file_sport
    if file_sport == "other" or _family(stated_sport) != _family(file_sport):
        return stated_sport
    return stated_sport if stated_sport != _family(stated_sport) else file_sport


def _family(sport: str) -> str:
    return "running" if sport.endswith("running") else sport
