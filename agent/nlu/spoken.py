"""Values as people say them aloud, written as they are typed: a phone's dictation or a number
said in words ("marta at balticwool dot pl", "12 thousand 500", "4 and a half grand"). Run after
the number words are digits (agent.nlu.text.canonical)."""

from __future__ import annotations

import re


def as_written(t: str) -> str:
    """The text with each spoken value in its written form; each rewrite runs only where the
    text has the word it needs."""
    if "half" in t:
        t = AND_A_HALF.sub(r"\1.5 \2", t)
    if "thousand" in t:
        t = THOUSANDS_AND.sub(lambda m: f"{int(m[1]) * 1000 + int(m[2])}", t)
    if " dot " in t:
        t = DICTATED_EMAIL.sub(_email_written, t)
    return t


DICTATED_EMAIL = re.compile(
    r"(?P<cue>\b(?:e-?mail|mail)(?:\s+address)?(?:\s+is|:)?\s+)(?P<user>[A-Za-z0-9][\w.+-]*)\s+at\s+"
    r"(?P<domain>[A-Za-z0-9-]+(?:\s+dot\s+[A-Za-z0-9-]+)*\s+dot\s+[A-Za-z]{2,6})\b", re.I)
""""email is marta at balticwool dot pl", as a phone's dictation writes it: marta@balticwool.pl."""


def _email_written(m: re.Match[str]) -> str:
    return f"{m['cue']}{m['user']}@{DOT.sub('.', m['domain'])}"


DOT = re.compile(r"\s+dot\s+", re.I)


THOUSANDS_AND = re.compile(
    r"\b(\d{1,3}) thousand(?: and)? (\d{1,3})\b(?![.,]\d|\s*(?:k|thousand|million|%|percent))", re.I)
""""twelve thousand five hundred" (once the number words are digits: "12 thousand 500"): 12500."""


AND_A_HALF = re.compile(
    r"\b(\d{1,3}) and a half\s+(grand|k|thousand|million|mil|m|bucks|dollars|euros?|pounds)\b", re.I)
""""four and a half grand": 4.5 grand (once the number words are digits)."""
