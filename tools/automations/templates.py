"""E-mail and message templates: built-in named ones and inline ones, rendered with Jinja2.

Templates are written by tenants (inline subject and body) and filled with customers' fields,
which anyone can set (a lead form): rendering runs in Jinja2's sandbox, the HTML body with
autoescaping (a customer named `<script>` arrives as text), the subject on one line and the text
body unescaped (plain text has nothing to escape). An undefined field renders empty, so a
customer without a company does not fail the run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from core.errors import ValidationFailed

MAX_TEMPLATE = 20_000


@dataclass(frozen=True)
class Template:
    name: str
    description: str
    subject: str
    body: str
    """HTML; the text body is derived from it."""


BUILT_IN: dict[str, Template] = {t.name: t for t in (
    Template("invoice_reminder", "A friendly reminder about unpaid invoices",
             "Reminder: {{ invoice_count or 'an' }} unpaid invoice{{ 's' if (invoice_count or 1) > 1 }}"
             " with {{ business.name }}",
             "<p>Hi {{ customer.first_name or customer.name }},</p>"
             "<p>Our records show {% if amount_due %}{{ '%.2f' | format(amount_due) }} {{ currency }} "
             "{% else %}a balance {% endif %}still open{% if days_overdue %}, the oldest invoice "
             "{{ days_overdue }} days old{% endif %}. If you have already paid, please ignore this "
             "message.</p><p>Thank you,<br>{{ business.name }}</p>"),
    Template("welcome_lead", "A welcome to a new lead",
             "Welcome to {{ business.name }}, {{ customer.first_name or customer.name }}",
             "<p>Hi {{ customer.first_name or customer.name }},</p><p>Thanks for your interest"
             "{% if customer.company %} from {{ customer.company }}{% endif %}. We are glad to have "
             "you and will be in touch shortly.</p><p>{{ business.name }}</p>"),
    Template("feature_highlight", "A follow-up showing what the product does best",
             "{{ customer.first_name or customer.name }}, a few things you can do with {{ business.name }}",
             "<p>Hi {{ customer.first_name or customer.name }},</p><p>Here are the features our "
             "customers use most, and how they save time every week. Reply to this e-mail and we will "
             "show you around.</p><p>{{ business.name }}</p>"),
    Template("win_back", "A note to a customer who has not ordered for a while",
             "We miss you, {{ customer.first_name or customer.name }}",
             "<p>Hi {{ customer.first_name or customer.name }},</p><p>It has been "
             "{% if days_since_order %}{{ days_since_order }} days{% else %}a while{% endif %} since "
             "your last order. Come back and see what is new.</p><p>{{ business.name }}</p>"),
)}
TEMPLATE_NAMES: tuple[str, ...] = tuple(BUILT_IN)

_html = SandboxedEnvironment(autoescape=True)
_plain = SandboxedEnvironment(autoescape=False)
_TAGS = re.compile(r"<[^>]+>")
_BREAKS = re.compile(r"<br\s*/?>|</p>", re.I)


def check_template(name: str, field_name: str = "template") -> Template:
    template = BUILT_IN.get(name)
    if template is None:
        raise ValidationFailed(
            f"Unknown template {name!r}; built-in templates: {', '.join(TEMPLATE_NAMES)} (or give an "
            "inline subject and body)",
            details=[{"field": field_name, "message": f"one of {', '.join(TEMPLATE_NAMES)}"}])
    return template


def check_source(text: str, field_name: str) -> str:
    """An inline template must compile (a syntax error is the caller's, reported at creation)."""
    if len(text) > MAX_TEMPLATE:
        raise ValidationFailed(f"{field_name} is too long", details=[{"field": field_name,
                                                                       "message": "too long"}])
    try:
        _html.parse(text)
    except TemplateError as err:
        raise ValidationFailed(f"{field_name} is not a valid template: {err}",
                               details=[{"field": field_name, "message": str(err)[:200]}]) from None
    return text


@dataclass(frozen=True)
class Rendered:
    subject: str
    html: str
    text: str


def text_of(html: str) -> str:
    """The plain-text alternative of an HTML body (tags dropped, paragraphs kept)."""
    import html as html_lib

    plain = _TAGS.sub("", _BREAKS.sub("\n", html))
    return "\n".join(line.strip() for line in html_lib.unescape(plain).splitlines() if line.strip())


def render(subject: str, body: str, context: dict[str, Any]) -> Rendered:
    """Subject on one line, the HTML body autoescaped, the text body from it."""
    try:
        said = _plain.from_string(subject).render(context)
        html = _html.from_string(body).render(context)
    except TemplateError as err:
        raise ValueError(f"the template could not be rendered: {err}") from None
    line = " ".join(said.split())[:300]
    return Rendered(subject=line, html=html, text=text_of(html))


def render_plain(source: str, context: dict[str, Any]) -> str:
    """A Slack message or task title: text, no HTML (Slack escapes on its side)."""
    try:
        return _plain.from_string(source).render(context).strip()
    except TemplateError as err:
        raise ValueError(f"the template could not be rendered: {err}") from None
