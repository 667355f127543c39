"""Regular expressions shared by the intent rules: stage, money, date and probability phrases that
are cut out of a request before the name of the record is read from what remains."""

from __future__ import annotations

import re

from agent.offline.dates import MONTH_RE, MONTHS

MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))

STAGE_ALT = (r"(?:closed[ -/]?won|closed[ -/]?lost|won|lost|leads?|qualified|qualification|proposals?|"
             r"negotiations?|negotiating|quoted?)")
STAGE_PHRASE = (r"\b(?:to|into|as|in|at|under|for|is|now)\s+(?:the\s+|a\s+)?(?:stage\s+)?" + STAGE_ALT
                + r"\b(?:\s+stage)?")
PROB_PHRASE = (r"(?:\b(?:with|at)\s+)?\d{1,3}(?:\.\d+)?\s?(?:%|percent)"
               r"(?:\s+(?:probability|chance|likelihood))?")
MONEY_PHRASE = r"[$€£]?\d[\d,.]*\s?(?:k|m|mm|bn|thousand|million|grand)?\b"
DATE_PHRASE = (MONTH_RE.pattern + r"|\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
               r"|\b(?:this|last|next|previous|prior|current|past|the)\s+(?:\d+\s+|(?:few|couple of|two|"
               r"three|four|five|six|twelve)\s+)?(?:days?|weeks?|weekends?|months?|quarters?|years?)\b"
               r"|\b(?:today|yesterday|tomorrow|ytd|mtd|qtd|wtd)\b|\bq[1-4]\b")
CURRENCY_WORDS = r"\b(?:dollars?|bucks|usd|euros?|pounds?)\b"
DEAL_FILLER = frozenset({"worth", "valued", "value", "amount", "probability", "chance", "expected",
                         "opener", "set", "start"})
LIST_CUES = ("show", "list", "which", "how many", "how much", "any", "do i have", "do we have",
             "give me", "display", "are there", "count", "who", "what")
WIN_STATEMENT = re.compile(
    r"\b(?:we|i|they|finally|just)\s+(?:won|lost|closed|signed|landed|lost out on)\b"
    r"|\b(?:signed|fell through|went cold|declined|rejected|turned us down|said (?:no|yes)|pulled out|"
    r"accepted)\b"
    r"|\b(?:deal|opportunity|opp)\s+(?:is|was|has been|got|has)\s+(?:now\s+)?"
    r"(?:won|lost|closed|signed|moved|gone|in|at|into|reached)\b")
DEAL_OPENER = re.compile(r"\b(?:open|start|new|set up|make|draft|book|write up)\s+(?:an?\s+)?(?:new\s+)?"
                         r"(?:[$€£]?[\d.,]+\s?k?\s+)?(?:deal|opportunity|opp)\b")
CLOSE_CUE = re.compile(r"\b(?:clos(?:e|es|ing)|expected|due)\b")
DAY_MENTION = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}"
    r"|\b(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:" + MONTH_NAMES + r")\b\.?(?:,?\s+\d{4})?"
    r"|\b(?:" + MONTH_NAMES + r")\b\.?(?:\s+\d{1,2}(?:st|nd|rd|th)?\b)?(?:,?\s+\d{4})?|\btomorrow\b")
QUOTED = re.compile(r"[\"“'‘](?P<q>[^\"”'’]{2,80})[\"”'’]")
TITLE_CUE = re.compile(r"\b(?:called|named|titled|title)\s+(?P<t>.+?)(?=\s+(?:for|with|worth|valued|at|in|"
                       r"closing|to)\b|[,.;]|$)", re.I)
VALUE_CUE = re.compile(
    r"\b(?:value|amount|worth|price|size|bump|raise|increase|lower|reduce|change|update|set)\b")
PROBABILITY_CUE = re.compile(r"\b(?:probability|chance|likelihood|odds|confidence)\b")
RENAME_DEAL = r"\b(?:rename\b.*?\bto|title\s+to)\s+(?P<n>.+)$"

STATUS_STATEMENT = re.compile(r"\b(?:is|are)\s+(?:now\s+)?(?:an?\s+)?"
                              r"(?:paying|active|inactive|churned|former|lead|prospect|dormant)\b")
CONTACT_CHANGE = re.compile(r"\bnew (?:phone|e-?mail|number|mobile|address|company)\b"
                            r"|\b(?:phone|e-?mail|number) (?:is|=)")
COMPANY_CHANGE = re.compile(r"\b(?:company|employer)\s+(?:to|is now|is|=|:)\s+(?P<c>.+)$"
                            r"|\bnow works? (?:at|for)\s+(?P<d>.+)$", re.I)
RENAME_CUSTOMER = re.compile(r"\brename\s+(?P<who>.+?)\s+to\s+(?P<n>.+)$|\bname\s+to\s+(?P<m>.+)$", re.I)
TARGET_STATUS = re.compile(r"\b(?:to|as|is now|now|became|become|into|is)\s+(?:an?\s+)?(?:(?:a|an)\s+)?"
                           r"(?P<s>[a-z]+)")
STATUS_WORDS = (r"\b(?:to|as|is now|now|became|into)\s+(?:an?\s+)?(?:lead|prospect|active|inactive|churned|"
                r"paying|current|dormant|former)\b(?:\s+(?:customer|client|contact))?")
PUT_IN = re.compile(r"^(?:please\s+)?put\s+.+\s+in(?:to)?\s+(?:as|the|our|my)\b")
