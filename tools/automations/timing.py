"""Time in automations: cron expressions (validated with croniter), schedule phrases owners say
("every Monday at 9") turned into cron, and step delays ("0", "3_days", "2_hours", "1_week").

One vocabulary serves both the parser and the assistant's synonyms (`schedule_synonyms`), so what
the offline model extracts is exactly what the tool accepts.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from croniter import croniter

WEEKDAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
SHORT_DAYS = {d[:3]: i for i, d in enumerate(WEEKDAYS)}
DAY_SETS = {"day": "*", "daily": "*", "weekday": "1-5", "workday": "1-5", "weekend": "0,6"}
PHRASE_FORMS = ('"every Monday at 9", "daily at 17:30", "weekdays at 8am", "every hour", '
                '"every month on the 1st at 9"')
MAX_DELAY = timedelta(days=365)
DELAY = re.compile(r"^(\d{1,6})(?:[\s_]*"
                   r"(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w))?$", re.IGNORECASE)
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_AT = r"(?:\s+at)?\s+(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ap>am|pm|a\.m\.|p\.m\.)?"
_EVERY = r"^(?:every|each|on)?\s*"
PHRASE = re.compile(
    _EVERY + r"(?P<days>(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*|day|daily|weekdays?|"
    r"workdays?|weekends?)s?(?:\s+morning)?(?:" + _AT + r")?$")
HOURLY = re.compile(_EVERY + r"(?:hour|hourly|once\s+an\s+hour)$")
WEEKLY = re.compile(_EVERY + r"(?:week|weekly|once\s+a\s+week)(?:" + _AT + r")?$")
MONTHLY = re.compile(_EVERY + r"(?:month|monthly|once\s+a\s+month)"
                     r"(?:\s+on\s+the)?(?:\s+(?P<dom>\d{1,2})(?:st|nd|rd|th)?)?"
                     r"(?:" + _AT + r")?$")


class TimingError(ValueError):
    """A schedule, time zone or delay that cannot be understood (a validation error)."""


def valid_cron(expr: str) -> bool:
    fields = expr.split()
    return len(fields) in (5, 6) and croniter.is_valid(expr)


def _hour(h: str | None, m: str | None, ap: str | None) -> tuple[int, int]:
    hour, minute = int(h or 9), int(m or 0)
    ap = (ap or "").replace(".", "")
    if not ap and m is None and 1 <= hour <= 6:
        hour += 12  # "at 3": business hours, the afternoon
    if ap == "pm" and hour < 12:
        hour += 12
    if ap == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        raise TimingError(f"{hour}:{minute:02d} is not a time of day")
    return hour, minute


def _days(word: str) -> str:
    word = word.rstrip("s") if word not in ("days",) else "day"
    for key, value in DAY_SETS.items():
        if word.startswith(key):
            return value
    day = SHORT_DAYS.get(word[:3])
    if day is None:
        raise TimingError(f"unknown day {word!r}")
    return str(day)


def to_cron(text: str) -> str:
    """A cron expression as given (5 fields, or 6 with seconds last), or one read from a phrase.
    Raises TimingError naming the accepted forms."""
    expr = " ".join(text.split())
    if valid_cron(expr):
        return expr
    said = expr.lower().strip(" .")
    if HOURLY.match(said):
        return "0 * * * *"
    if m := MONTHLY.match(said):
        return _monthly(m)
    if m := WEEKLY.match(said):  # no day said: the week's start, as a month's is the 1st
        hour, minute = _hour(m["h"], m["m"], m["ap"])
        return f"{minute} {hour} * * 1"
    if m := PHRASE.match(said):
        hour, minute = _hour(m["h"], m["m"], m["ap"])
        return f"{minute} {hour} * * {_days(m['days'])}"
    raise TimingError(f"not a cron expression (5 fields, e.g. \"0 9 * * 1\") or a schedule such as "
                      f"{PHRASE_FORMS}")


def _monthly(m: re.Match[str]) -> str:
    """The cron of a monthly phrase's day ("1st", "first"; default the 1st) and time."""
    dom = int(ORDINAL_DAYS.get(m["dom"] or "", re.sub(r"\D", "", m["dom"] or "") or "1"))
    hour, minute = _hour(m["h"], m["m"], m["ap"])
    if not 1 <= dom <= 28:
        raise TimingError("a monthly schedule runs on days 1 to 28")
    return f"{minute} {hour} {dom} * *"


ORDINAL_DAYS = {"first": "1", "second": "2", "third": "3"}
_DAY = r"(?P<dom>\d{1,2}(?:st|nd|rd|th)?|first|second|third)"
_SAID_AT = r"(?:,?\s+at\s+(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ap>am|pm)?)?"
MONTHLY_SAID = (
    re.compile(rf"\b(?:on\s+)?(?:the\s+)?{_DAY}\s+(?:day\s+)?of\s+(?:every|each|the)\s+month{_SAID_AT}"),
    re.compile(rf"\b(?:every|each)\s+month\s+on\s+the\s+{_DAY}{_SAID_AT}"),
)


WEEKLY_SAID = re.compile(
    r"\b(?:every|each|on)?\s*(?P<days>(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*|day|daily|weekdays?"
    r"|workdays?|weekends?)s?(?:\s+morning)?(?:\s+at)?\s+(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*"
    r"(?P<ap>am|pm|a\.m\.|p\.m\.)?(?![\d:])")
QUARTERLY_SAID = re.compile(
    r"\b(?:every|each)\s+quarter\b|\bquarterly\b|\b(?:1st|first)\s+of\s+jan\w*,?\s+apr\w*,?\s+jul\w*,?\s+(?:and\s+)?oct")
AT_SAID = re.compile(r"\bat\s+(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ap>am|pm)\b")


def schedule_in(text: str) -> str | None:
    """The cron of a schedule said within a message: monthly with its day (monthly_in),
    quarterly (on the 1st of January, April, July and October), or a day set with a time
    ("every weekday at 7:30am", "fridays 5pm"); None when none is said this way."""
    monthly = monthly_in(text)
    if monthly is not None:
        return monthly
    lower = text.lower()
    try:
        if QUARTERLY_SAID.search(lower):
            at = AT_SAID.search(lower)
            hour, minute = _hour(at["h"], at["m"], at["ap"]) if at else (9, 0)
            return f"{minute} {hour} 1 1,4,7,10 *"
        weekly = next((m for m in WEEKLY_SAID.finditer(lower) if _recurring(m)), None)
        if weekly is None or (weekly["ap"] is None and weekly["m"] is None):
            return None  # "day 3": no time said
        hour, minute = _hour(weekly["h"], weekly["m"], weekly["ap"])
        return f"{minute} {hour} * * {_days(weekly['days'])}"
    except TimingError:
        return None


def _recurring(m: re.Match[str]) -> bool:
    """"every day", "daily", "fridays", "weekdays" recur; "in 3 days at 9pm" is a delay."""
    said = m.group(0).strip()
    return said.startswith(("every", "each")) or m["days"] == "daily" or (
        said.split()[0].endswith("s") and not said.startswith("day"))


def monthly_in(text: str) -> str | None:
    """The cron of a monthly schedule said with its day within a message ("on the first of every
    month at 10am", "every month on the 15th at 2pm"); None when there is none, or its day is past
    the 28th (the tool then says which days a monthly schedule runs on)."""
    m = next((m for pattern in MONTHLY_SAID if (m := pattern.search(text.lower()))), None)
    try:
        return _monthly(m) if m is not None else None
    except TimingError:
        return None


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise TimingError(f"unknown time zone {name!r} (an IANA name such as Europe/Paris)") from None


def next_tick(cron: str, after: datetime, timezone: str | None = None) -> datetime:
    """The first time the schedule fires strictly after `after`, in UTC (evaluated in the
    automation's time zone, so "9 on Mondays" is 9 where the business is)."""
    local = after.astimezone(zone(timezone))
    fired: datetime = croniter(cron, local).get_next(datetime)
    return fired.astimezone(ZoneInfo("UTC"))


def parse_delay(value: str | int | float | None) -> timedelta:
    """"0", "3_days", "2 hours", "1_week", "45m", or a number of seconds."""
    if value is None or value == "":
        return timedelta(0)
    text = str(value).strip().lower()
    m = DELAY.match(text)
    if m is None:
        raise TimingError(f"delay {value!r}: a number and a unit, e.g. 0, 30_minutes, 2_hours, 3_days, "
                          "1_week")
    unit = (m.group(2) or "s")[0]
    delay = timedelta(seconds=int(m.group(1)) * UNITS[unit])
    if delay > MAX_DELAY:
        raise TimingError("a delay is at most 365 days")
    return delay


def describe_cron(cron: str) -> str:
    """A few common schedules in words, else the expression itself (for phrasing results)."""
    fields = cron.split()
    if len(fields) != 5 or not (fields[0].isdigit() and fields[1].isdigit()):
        return f"on the schedule {cron}"
    minute, hour, dom, month, dow = fields
    at = f"at {int(hour):02d}:{int(minute):02d}"
    if dom == "*" and month == "*":
        names = {"*": "every day", "1-5": "every weekday", "0,6": "every weekend day"}
        if dow in names:
            return f"{names[dow]} {at}"
        if dow.isdigit() and int(dow) <= 7:
            return f"every {WEEKDAYS[int(dow) % 7].capitalize()} {at}"
    if dom.isdigit() and month == "*" and dow == "*":
        return f"on day {dom} of every month {at}"
    return f"on the schedule {cron}"


def _hour_words(hour: int) -> list[str]:
    twelve = hour % 12 or 12
    ap = "am" if hour < 12 else "pm"
    words = [f"{twelve}{ap}", f"{twelve} {ap}", f"{hour}:00"]
    if 7 <= hour <= 11:
        words.append(str(hour))
    if 13 <= hour <= 18:
        words.append(str(twelve))
    return words


def schedule_synonyms() -> dict[str, tuple[str, ...]]:
    """cron -> the phrases owners use for it: each weekday, every day and weekdays at whole hours
    from 6 to 20 ("every monday at 9", "mondays at 9am", "every friday 4pm"), plus hourly and
    monthly; a week with no day said starts on Monday."""
    out: dict[str, tuple[str, ...]] = {
        "0 * * * *": ("every hour", "hourly", "each hour", "once an hour"),
        "0 9 1 * *": ("every month", "monthly", "each month", "once a month"),
    }
    groups: list[tuple[str, tuple[str, ...]]] = [
        (str(i), (f"every {d}", f"each {d}", f"{d}s")) for i, d in enumerate(WEEKDAYS)]
    groups += [("*", ("every day", "daily", "each day")), ("1-5", ("every weekday", "weekdays"))]
    for dow, names in groups:
        for hour in range(6, 21):
            words = _hour_words(hour)
            phrases = tuple(f"{n} at {w}" for n in names for w in words)
            phrases += tuple(f"{n} {w}" for n in names for w in words if w.endswith(("am", "pm")))
            if hour == 9:
                phrases += names  # no time said: nine in the morning
                if dow == "1":
                    phrases += ("every week", "weekly", "each week", "once a week")  # no day said
            out[f"0 {hour} * * {dow}"] = phrases
    return out


ZONE_WORDS = {"est": "America/New_York", "edt": "America/New_York", "eastern": "America/New_York",
              "cst": "America/Chicago", "cdt": "America/Chicago", "central": "America/Chicago",
              "mst": "America/Denver", "mdt": "America/Denver", "mountain": "America/Denver",
              "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles", "pacific": "America/Los_Angeles",
              "gmt": "Europe/London", "bst": "Europe/London", "uk": "Europe/London",
              "cet": "Europe/Paris", "utc": "UTC", "aest": "Australia/Sydney"}
ZONE_ABBREVIATIONS = frozenset(w for w in ZONE_WORDS if len(w) <= 4 and w != "uk")
"""Abbreviations that name a zone anywhere in a request ("9am EST"); words like "central" or
"pacific" only before "time"."""
ZONE_NAME = re.compile(r"\b[A-Z][A-Za-z]+/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?\b")


REGIONS = frozenset({"Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian",
                     "Pacific"})
"""The current zone names' regions (not the legacy "US/Pacific" or "Etc/GMT+5")."""


@cache
def _zones() -> frozenset[str]:
    """The IANA zones (read from the zone database once, not on every request)."""
    return frozenset(available_timezones())


@cache
def _cities() -> dict[str, str]:
    """"new york" -> America/New_York: the last part of every IANA zone, as words."""
    return {zone.rsplit("/", 1)[-1].replace("_", " ").lower(): zone
            for zone in sorted(_zones()) if zone.split("/", 1)[0] in REGIONS and "/" in zone}


def timezone_in(text: str) -> str | None:
    """The time zone a request names: an IANA name ("Europe/London"), a city's time ("8am new
    york time", "in Sydney time"), or a common abbreviation ("9am EST", "pacific time")."""
    written = ZONE_NAME.search(text)
    if written is not None and written.group(0) in _zones():
        return written.group(0)
    lower = text.lower()
    for m in re.finditer(r"\b([a-z][a-z .'-]{1,30}?)\s+(?:time(?:zone)?|tz)\b", lower):
        words = m.group(1).split()
        for n in range(min(3, len(words)), 0, -1):
            said = " ".join(words[-n:])
            if said in _cities():
                return _cities()[said]
            if n == 1 and said in ZONE_WORDS:
                return ZONE_WORDS[said]
    for word in re.findall(r"\b[a-z]{2,8}\b", lower):
        if word in ZONE_ABBREVIATIONS:
            return ZONE_WORDS[word]
    return None
