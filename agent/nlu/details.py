"""Later sentences or parts of a request that only tell more about the part before it (a detail of
the person just named, a value, a statement of context, the last item of a list): read with that
part, not planned as steps of their own (agent.nlu.plan.split_request)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agent.nlu.plan import Intent

DETAIL = re.compile(
    r"^(?:(?:she|he|they)(?:'s|'re| is| are| works?| was| were| should be| will be|'ll be| needs? to be)"
    r"|(?:her|his|their)(?:\s+\w+){1,2}\s+(?:is|are|was|were)|(?:only|just)(?:\s+\w+){1,4}\W*$"
    r"|(?:only|just)\s+(?:the\s+)?(?:\w+\s+)?ones\s+(?:that|which|who|where)\b"
    r"|(?:[\w']+\s+){0,3}i mean\W*$"
    r"|(?:also\s+|and\s+)?(?:include|including|incl|plus)(?:\s+\w+){1,3}(?:\s+(?:too|as well))?\W*$"
    r"|(?:(?:also|and)\s+)?(?:the\s+)?\w+\s+ones(?:\s+(?:too|as well))?(?:,?\s+show\s+(?:them|those))?\W*$"
    r"|(?:like|e\.?g\.?|i\.?e\.?|for example|for instance|i mean|with)\s"
    r"|(?:(?:just|only|give me|show me)\s+)?(?:the\s+)?(?:top\s+)?[\w-]+\s+(?:names|of them|results|rows)"
    r"(?:\s+(?:please|pls|only))?\W*$"
    r"|(?:an?\s+)?\d{1,3}\s*(?:%|percent)(?:\s+[\w']+){0,4}\W*$"
    r"|(?:and\s+)?(?:call|name)\s+(?:it|this|that)\s"
    r")\b(?!.*\?)",
    re.I)
"""A later sentence that tells more about the person just named ("... as a prospect? She's with
Glenview Lodges.", "Her email is ...") or narrows or widens the list asked for ("... include
disconnected ones too", "Also the disconnected ones, show them.", "only the ones that aren't sorted
yet", "Fifteen names please.", "An 80% range is fine.", "and call it 'Q1 planning'") or says it
again otherwise ("... like what pushes sales up") is a detail of that request, read with it, not a
request of its own."""
STATEMENT = re.compile(
    r"^(?:(?:hi|hey|hello)[,!\s]+)?(?:this\s+is\s+)?[a-z]+(?:\s+[a-z]+)?\s+here\s*[.!,]*$"  # "Olivia here."
    r"|^(?:meeting|thinking|planning|hoping|having|heading|prepping|preparing|getting ready)\b(?!.*\?)"
    r"|^(?:i|we|it|they|he|she|something|someone|somebody|there|(?:our|my)(?=\s.*\b(?:is|are|was|were|has|have"
    r"|had|keeps?|seems?|looks?|got|went|said|says|wants?|needs?|told|asked|called|did|does|can|could|will"
    r"|would|should|might|may)\b|\w*n['’]t\b))\b"
    r"(?!['’]?(?:d|ll)\b|\s+(?:want|need|would|will|wanna|have to|must|also|then)\b)(?!.*\?)", re.I)
"""A sentence that tells rather than asks ("Something called job_981 failed earlier today. What
went wrong with it?", "... there might be a few"): the context of the request beside it, not a
step of its own."""
OWN_PLAN = re.compile(r"(?:(?:i|we)(?:['’]ll| will| shall|['’]m going to| am going to|['’]re going to)"
                      r"|ill)\s+"
                      r"(?!(?:also\s+)?(?:need|want|like|have|take|be needing|be wanting)\b)", re.I)
"""What the owner will do ("...; I'll switch it back on in January"): told, not asked."""
TELLING = re.compile(
    r"^(?!(?:how|what|who|which|when|where|why|is|are|do|does|did|can|could|would|will|please|show|list|give"
    r"|tell|get|find)\b)(?!.*\?)(?=.*\b(?:might|may|feels|seems|looks|keeps|claims|says|said|told"
    r"|got|went|was|were|has been|have been|gone|become|became|stopped|started|moved|left|rang"
    r"|emailed|wrote|spoke|talked|met|heard|saw|visited|shows|appears|is showing|is listed|comes up"
    r"|(?:\w+n['’]t|not)\s+(?:showing|appearing|coming|working|syncing|arriving|loading|adding up)"
    r"|(?:is|are)\s+(?:now\s+)?(?:won|lost|signed|closed|done|dead|finished))\b)",
    re.I)
"""A sentence with a subject of its own that tells what happened or seems so ("A contractor we let go
might still have one of my keys.", "Ever since we connected Stripe the data feels messier."): the
context of the request after it, not a step."""
VALUE_ONLY = re.compile(r"^(?:(?:(?:her|his|their|the)\s+)?"
                        r"(?:phone|mobile|cell|tel|e-?mail|number|phone number|url)"
                        r"(?:\s+(?:is|number|no\.?|nr))?\s*[:=]?\s*)?"
                        r"(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+|[\d\s()+.-]+)$", re.I)
"""A part that is only a value, named or not ("... add her as a lead? rosa@beanthere.co", "... Phone +81
90 1234 5678."): the value of the request before it."""


LIST_END = re.compile(r"\w+,\s*\w+$")
LIST_ITEM = re.compile(r"^(?:the\s+|our\s+|my\s+)?\w+(?:\s+\w+)?$", re.I)
"""A part of a word or two after a part that ends listing things ("... into customers, orders and
then the metrics") is the list's last item, not a request of its own."""


def details_joined(parts: list[str]) -> list[str]:
    """Each later part that is a detail or a statement, read with the request before it."""
    joined: list[str] = []
    for part in parts:
        if joined and (DETAIL.match(part) or STATEMENT.match(part) or VALUE_ONLY.match(part)
                       or (LIST_END.search(joined[-1]) and LIST_ITEM.match(part))):
            joined[-1] = f"{joined[-1]}. {part}"
        else:
            joined.append(part)
    return joined


def told_twice(intents: list[Intent]) -> list[Intent]:
    """"Globex signed! Mark the Globex - Rental fleet deal as won": the news and the request are
    one change, made once, to the record the fuller mention names."""
    out: list[Intent] = []
    for intent in intents:
        before = out[-1] if out else None
        if before is not None and before.tool == intent.tool and before.args == intent.args and (
                before.references and all(intent.references.get(k, "").startswith(v)
                                          for k, v in before.references.items())):
            out[-1] = intent
            continue
        out.append(intent)
    return out
