"""The extractors for written values, on the real registry's tools: ids, web addresses,
durations, list and yes/no fields, names of existing records, replaced amounts, and a change
that names its field without a value (asked for, not a call that changes nothing)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from agent.nlu.catalog import build_catalog
from agent.nlu.courtesy import without_acknowledgement
from agent.nlu.fill import Filled, fill
from agent.nlu.text import normalize, own_typos
from agent.nlu.utterance import Utterance

TODAY = date(2026, 12, 5)


def read(tool: str, text: str) -> Filled:
    catalog = build_catalog()
    return fill(Utterance(text, catalog.training.vocabulary), catalog.tools[tool],
                catalog.command_words, TODAY)


@pytest.mark.parametrize(("tool", "text", "args"), [
    ("get_job", "status of job 5d2e9a10-1b2c-4d5e-8f90-123456789abc",
     {"job_id": "5d2e9a10-1b2c-4d5e-8f90-123456789abc"}),
    ("delete_webhook", "get rid of webhook 4f2a", {"webhook_id": "4f2a"}),
    ("get_webhook_delivery", "delivery 4c1d2e3f of webhook wh_abc123",
     {"delivery_id": "4c1d2e3f", "webhook_id": "wh_abc123"}),
    ("create_webhook", "send deal won events to https://hooks.example.com/in please",
     {"url": "https://hooks.example.com/in", "events": ["deal.won"]}),
    ("create_webhook", "subscribe https://myapp.io/wh to everything",
     {"url": "https://myapp.io/wh", "events": ["*"]}),
    ("update_webhook", "pause webhook wh_123", {"webhook_id": "wh_123", "active": False}),
    ("revoke_api_keys", "kill any api key that hasn't been used in 30 days", {"unused_days": 30}),
    ("revoke_api_keys", "revoke api keys older than a year", {"older_than_days": 365}),
    ("rotate_webhook_secret", "rotate wh_55 and keep the old one for 48 hours",
     {"webhook_id": "wh_55", "keep_old_hours": 48}),
    ("list_audit_log", "audit log for ben@northwind.example.com",
     {"user_email": "ben@northwind.example.com"}),
    ("list_data_sources", "list data sources including disconnected ones", {"include_disconnected": True}),
    ("pause_automation", "pause the weekly invoice reminder", {"name": "weekly invoice reminder"}),
    ("delete_automation", "delete the lead nurture workflow", {"name": "lead nurture"}),
])
def test_written_values_fill_their_fields(tool: str, text: str, args: dict[str, Any]) -> None:
    filled = read(tool, text)
    assert {k: filled.args.get(k) for k in args} == args, filled
    assert not filled.missing


def test_confidence_is_read_as_a_percent() -> None:
    filled = read("forecast_metric", "forecast revenue next quarter with 80% confidence")
    assert filled.args["confidence"] == 80


def test_the_new_amount_not_the_one_it_replaces() -> None:
    assert read("update_deal", "the Monarch Camping deal should be 9,200 not 7,925").args["value"] == 9200


def test_a_change_naming_its_field_without_a_value_asks_for_it() -> None:
    assert read("update_deal", "set the probability on the Blue Sun deal").missing == ["probability"]
    assert read("update_deal", "set the probability on the Blue Sun deal to 60%").args["probability"] == 60


@pytest.mark.parametrize(("text", "wanted"), [
    ("ok delete it", "delete it"), ("thanks, now show me the pipeline", "now show me the pipeline"),
    ("thanks!", "thanks!"), ("ok", "ok"),
])
def test_a_courtesy_word_is_set_aside_before_a_request(text: str, wanted: str) -> None:
    assert without_acknowledgement(text) == wanted


@pytest.mark.parametrize(("text", "title", "customer", "assigned"), [
    ("Add an opportunity for Hannah Lopez - Monarch tent hire, 12.5k", "Monarch tent hire", "Hannah Lopez",
     None),
    ("Create a deal for Zoe Wright: Tyrell climbing wall kit, fifty grand", "Tyrell climbing wall kit",
     "Zoe Wright", None),
    ("new deal for Omar Chen: 'Spring catalogue print run', 18k", "Spring catalogue print run", "Omar Chen",
     None),
    ("open a 5k deal for Acme assigned to Ben", None, "Acme", "Ben"),
    # a name after its link cue is the customer; the capitalised one after the colon is the title,
    # running on over ordinary words to the comma
    ("deal: Vandelay trade fair stand w/ Wei Martinez, 15000 EUR", "Vandelay trade fair stand",
     "Wei Martinez", None),
    ("create a deal called Spring restock for Wonka Goods worth $9,000", "Spring restock", "Wonka Goods",
     None),
])
def test_a_new_deal_title_and_its_links(
    text: str, title: str | None, customer: str, assigned: str | None
) -> None:
    """One name links without its cue (the customer); a second is the title, not the person to
    assign (who needs "assigned to"); a quoted title keeps the owner's spelling."""
    filled = read("create_deal", text)
    assert filled.args.get("title") == title
    assert filled.references.get("customer_id") == customer
    assert filled.references.get("assigned_to") == assigned


def test_a_pronoun_only_stands_for_a_record_it_can_name() -> None:
    filled = read("create_deal", "Pied Piper want a quote for 22 grand, add it as a deal in proposal")
    assert filled.pronouns == {} and filled.references == {"customer_id": "Pied Piper"}
    assert read("create_deal", "open a 5k deal for him").pronouns == {"customer_id": "customer"}


def test_a_new_employer_said_as_a_move() -> None:
    assert read("update_customer", "Zoe Wright moved over to Globex").args["company"] == "Globex"
    assert "company" not in read("update_customer", "Emma Allen moved to churned").args


@pytest.mark.parametrize(("tool", "text", "args"), [
    ("update_customer", "tag Ava Perez as a VIP", {"add_tags": ["vip"]}),
    ("update_customer", "make her a VIP", {"add_tags": ["vip"]}),
    ("create_customer", "add lead: Dev Patel, dev@trailmix.io, tag him wholesale and b2b",
     {"tags": ["wholesale", "b2b"], "name": "Dev Patel"}),
])
def test_tags_after_their_verb(tool: str, text: str, args: dict[str, Any]) -> None:
    filled = read(tool, text)
    assert {k: filled.args.get(k) for k in args} == args


@pytest.mark.parametrize(("tool", "text", "missing"), [
    ("update_deal", "change the amount on Tyrell's enterprise licence deal", ["value"]),
    ("update_deal", "rename the Oscorp gifts deal", ["title"]),
    ("update_customer", "can you update Jane Thomas's phone number for me?", ["phone"]),
])
def test_a_field_named_in_the_tools_own_words_without_a_value_is_missing(
    tool: str, text: str, missing: list[str]
) -> None:
    assert read(tool, text).missing == missing


@pytest.mark.parametrize(("text", "currency"), [
    ("set up a deal with Mia Scott for the fleece order, it's £4,500", "GBP"),
    ("deal for Vandelay, 15000 EUR, already negotiating", "EUR"),
    ("open a $5k deal for Acme", None),
])
def test_the_currency_an_amount_is_written_in(text: str, currency: str | None) -> None:
    """A bare "$" says no currency (Canadian and Australian owners write it too)."""
    assert read("create_deal", text).args.get("currency") == currency


@pytest.mark.parametrize(("tool", "text", "args"), [
    ("list_api_keys", "show my api keys, revoked ones too", {"include_revoked": True}),
    ("list_data_sources", "list every data source, even disconnected ones", {"include_disconnected": True}),
    ("list_api_keys", "show my api keys", {}),
])
def test_an_include_field_is_asked_for_by_naming_what_it_includes(
        tool: str, text: str, args: dict[str, Any]) -> None:
    assert {k: v for k, v in read(tool, text).args.items() if k.startswith("include_")} == args


@pytest.mark.parametrize(("text", "events"), [
    ("create a webhook to https://hooks.example.com/h for won deals", ["deal.won"]),
    ("webhook to https://hooks.example.com/h when a customer signs up", ["customer.created"]),
    ("send new customers to https://hooks.zapier.com/hooks/catch/123/abc", ["customer.created"]),
    ("add a webhook https://ops.example.net/bizpilot for all deal events", ["deal.*"]),
])
def test_a_new_webhook_reads_its_events_in_words(text: str, events: list[str]) -> None:
    assert read("create_webhook", text).args["events"] == events


def test_new_customers_alone_are_customers_not_webhook_events() -> None:
    ranked = build_catalog().classifier.ranked("show me new customers this month")
    assert ranked[0][0] == "list_customers"


def test_a_declared_phrase_matches_as_the_request_is_read() -> None:
    """Synonyms are read in the form requests are ("haven't" -> "have not", "two" -> "2"), and the
    spelling fixer leaves the "haven" of "haven't" alone."""
    for text in ("which staff haven't turned on two-factor", "members without two factor"):
        assert read("team_security", text).args == {"without_mfa_only": True}


def test_an_id_without_digits_after_its_noun_and_reopening_an_insight() -> None:
    assert read("get_webhook", "what events does webhook wh_abc get?").args == {"webhook_id": "wh_abc"}
    assert read("update_insight", "reopen insight ins_5").args == {"insight_id": "ins_5", "status": "new"}


@pytest.mark.parametrize(("tool", "text", "field", "value"), [
    ("update_deal", "rename the Acme deal to Acme 2027 supply", "title", "Acme 2027 supply"),
    ("update_deal", "change the title of the Hooli deal to Spring restock please", "title", "Spring restock"),
    ("update_customer", "rename Yuki Chen to Yuki Chen-Park please", "name", "Yuki Chen-Park"),
])
def test_a_new_title_or_name_keeps_every_word_but_courtesies(tool: str, text: str, field: str,
                                                              value: str) -> None:
    """Words that are also command words ("supply", "restock") belong to a title."""
    assert read(tool, text).args.get(field) == value


@pytest.mark.parametrize(("typed", "read_as"), [
    ("whats the revnue for septmber", "what is the revenue for september"),
    ("sync shopfiy now", "sync shopify now"),  # two letters swapped, not an example's own typo
    # English words are never "corrected" to a word of the examples
    ("move the phase 1 deal", "move the phase 1 deal"),
    ("chase the Acme renewal, its nearly done", "chase the Acme renewal, its nearly done"),
    ("delete it, its just clutter", "delete it, its just clutter"),
    ("when's the Globex rental fleet meant to close", "when is the Globex rental fleet meant to close"),
    ("delet lead nurture", "delete lead nurture"),  # not the "delte" another example misspells
])
def test_typos_are_fixed_and_english_words_kept(typed: str, read_as: str) -> None:
    vocabulary = build_catalog().training.vocabulary
    assert normalize(typed, vocabulary) == read_as


def test_a_day_written_day_first_and_the_word_before_it() -> None:
    """"31/01/2027" can only be day first; "closed by" before it is the close date's cue, not the
    deal stage "closed"."""
    filled = read("update_deal", "vandelay restock - worth 17k now, and they want it closed by 31/01/2027")
    assert filled.args == {"value": 17000.0, "expected_close_date": "2027-01-31"}



def test_a_future_month_bounds_an_expected_date_on_both_sides() -> None:
    """Only the current period is left open at its end (its future part has no data yet)."""
    filled = read("list_deals", "show me every deal due to close in March 2027")
    assert filled.args["expected_close_after"] == "2027-03-01"
    assert filled.args["expected_close_before"] == "2027-04-01"


@pytest.mark.parametrize(("text", "day"), [
    ("log a 2.5k deal for her expected to close end of January", "2027-01-31"),
    ("push the Acme deal to the end of feb", "2027-02-28"),
    ("new deal for Tom, 5k, close by the end of March 2028", "2028-03-31"),
])
def test_the_end_of_a_month_is_its_last_day_ahead(text: str, day: str) -> None:
    assert read("create_deal", text).args["expected_close_date"] == day


@pytest.mark.parametrize(("text", "bounds"), [
    ("deals expected to close before February", {"expected_close_before": "2027-02-01"}),
    ("deals closing after march", {"expected_close_after": "2027-04-01"}),
    ("deals closing before march 2027", {"expected_close_before": "2027-03-01"}),
])
def test_before_or_after_a_month_bounds_an_expected_date_on_one_side(text: str,
                                                                     bounds: dict[str, str]) -> None:
    """The coming month (not the past one a report would mean), on the side the word says."""
    filled = read("list_deals", text)
    assert {k: v for k, v in filled.args.items() if k.startswith("expected_close")} == bounds


@pytest.mark.parametrize(("text", "args"), [
    ("whats the effect on revenue if i double my advertising budget",
     {"metric_id": "marketing_spend", "change_percent": 100, "direction": "increase"}),
    ("what if we halve ad spend",
     {"metric_id": "marketing_spend", "change_percent": 50, "direction": "decrease"}),
    ("what would a 20% marketing cut do to attributed revenue over 6 months",
     {"metric_id": "marketing_spend", "change_percent": 20, "direction": "decrease", "time_horizon": 180}),
])
def test_a_what_if_reads_multiples_and_the_metric_that_changes(text: str, args: dict[str, Any]) -> None:
    """The simulator's own reading (tools.simulation.reading): the metric next to the change
    word changes; the other one named is the outcome asked about."""
    assert read("simulate_change", text).args == args


@pytest.mark.parametrize(("text", "hours"), [
    ("webhook health over the last week", 168), ("webhook health for the past day", 24),
    ("webhook health, last 48 hours", 48),
])
def test_a_trailing_window_in_words_fills_an_hours_field(text: str, hours: int) -> None:
    assert read("webhook_health", text).args == {"hours": hours}


@pytest.mark.parametrize(("text", "args"), [
    ("runs of the invoice reminder automation", {"automation": "invoice reminder"}),
    ("failed runs of the Weekly digest automation", {"automation": "Weekly digest", "status": "failed"}),
    ("show automation runs", {}),
])
def test_a_field_named_after_a_record_filters_by_the_name_before_its_noun(text: str,
                                                                          args: dict[str, Any]) -> None:
    assert read("list_automation_runs", text).args == args


def test_a_title_keeps_the_owners_spelling() -> None:
    """Spelling is normalised to read a request ("catalogue" -> "catalog"), not in what is stored."""
    called = read("create_deal", "log a deal called Spring catalogue for Acme, 5k")
    assert called.args["title"] == "Spring catalogue"
    assert read("create_deal", "new deal for Hannah Lopez - Colour refresh, 5k").args["title"] == (
        "Colour refresh")


def test_a_quoted_name_after_its_cue_ends_at_its_closing_quote() -> None:
    assert read("create_automation", "create an automation called 'Friday digest' that posts to Slack "
                "every Friday at 4pm").args["name"] == "Friday digest"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("delete the invoice reminder automation and its history", "invoice reminder"),
        ("permanently remove automation auto_9 along with its run history", "auto_9"),
    ],
)
def test_an_existing_records_name_ends_at_its_noun_or_is_its_id(text: str, name: str) -> None:
    assert read("delete_automation", text).args["name"] == name


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("revenue june through august this year", "2026-06-01", "2026-08-31"),
        ("revenue jan-mar 2025", "2025-01-01", "2025-03-31"),
        ("sales march to may last year", "2025-03-01", "2025-05-31"),
    ],
)
def test_months_from_one_to_another_are_one_range(text: str, start: str, end: str) -> None:
    args = read("revenue_for_period", text).args
    assert (args.get("start_date"), args.get("end_date")) == (start, end)


def test_a_schedule_time_without_at_is_read() -> None:
    args = read("create_automation", "every friday 4pm email the win-back template to inactive clients").args
    assert args["schedule"] == "0 16 * * 5"


def test_a_lookup_of_a_name_typed_in_lowercase_searches_for_what_is_left() -> None:
    """"find the oscorp team uniforms deal": no capital marks the name; without the search the
    lookup lacked its text and a runner-up ("team" members) was answered instead."""
    assert read("find_records", "find the oscorp team uniforms deal").args == {
        "kind": "deal", "text": "oscorp team uniforms"}
    assert "text" not in read("find_records", "there might be a few").args


def test_a_dash_between_capitalised_parts_is_inside_a_title_after_called() -> None:
    args = read("create_deal", "open a 12k deal for him called Patel Hardware - Shelving").args
    assert args["title"] == "Patel Hardware - Shelving"
    customer = read("create_customer", "add a lead named Sam Patel - he runs Patel Hardware").args
    assert customer["name"] == "Sam Patel"


@pytest.mark.parametrize(
    ("tool", "text", "args"),
    [
        ("list_audit_log", "only the delete_deal calls", {"tool": "delete_deal"}),
        ("list_jobs", "show queued connectors.sync jobs", {"status": "queued", "name": "connectors.sync"}),
        ("team_security", "who doesnt have MFA?", {"without_mfa_only": True}),
    ],
)
def test_a_tools_own_words_and_names(tool: str, text: str, args: dict[str, Any]) -> None:
    assert read(tool, text).args == args


def test_an_automation_reads_its_time_zone() -> None:
    args = read("create_automation", "email overdue customers the invoice reminder every weekday at 8am "
                "new york time").args
    assert args["timezone"] == "America/New_York" and args["schedule"] == "0 8 * * 1-5"


@pytest.mark.parametrize(
    ("tool", "text", "title"),
    [
        ("create_deal", "new deal: Hooli - Office refit, 27,500, for Omar Lee", "Hooli - Office refit"),
        ("create_deal", "15k with Zoe Wright, call it Tyrell Trading - Q1 run", "Tyrell Trading - Q1 run"),
        ("update_deal", "rename it to Wayne Retail - Flagship fit-out", "Wayne Retail - Flagship fit-out"),
    ],
)
def test_a_deal_title_in_the_company_dash_subject_form_is_whole(tool: str, text: str, title: str) -> None:
    assert read(tool, text).args["title"] == title


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("make her active and add the wholesale tag", {"status": "active", "add_tags": ["wholesale"]}),
        ("Lucas King has churned, set that and take off his vip tag",
         {"status": "churned", "remove_tags": ["vip"]}),
    ],
)
def test_a_tag_named_before_the_word_tag(text: str, args: dict[str, Any]) -> None:
    assert read("update_customer", text).args == args


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("bump the probability to 40", {"probability": 40}),
        ("set the value to 26k, probability 80", {"value": 26000.0, "probability": 80}),
        ("the Blue Sun one. make it 14,000", {"value": 14000.0}),
    ],
)
def test_a_plain_number_after_a_fields_name_is_that_fields(text: str, args: dict[str, Any]) -> None:
    assert read("update_deal", text).args == args


def test_a_pronoun_beats_a_stray_lowercase_word_as_the_record() -> None:
    filled = read("move_deal_stage", "great news, they signed. move it to won")
    assert filled.pronouns == {"deal_id": "deal"} and not filled.references


def test_an_ampersand_between_capitalised_words_stays_in_the_name() -> None:
    args = read("update_customer", "Update Jane Walker: company Walker & Co, status inactive").args
    assert args["company"] == "Walker & Co"


def test_tags_after_the_plural_cue() -> None:
    assert read("create_customer", "add Ana Ruiz, tags: vip, wholesale").args["tags"] == ["vip", "wholesale"]


def test_month_by_month_is_a_breakdown_not_this_month() -> None:
    assert "period" not in read("revenue_trend", "the month by month trend").args


def test_a_name_beats_a_lone_lowercase_word_after_a_cue() -> None:
    """"come from originally": the word after "from" is no record's name when a capitalised one
    stands in the request."""
    filled = read("entity_lineage", "where did Zoe Johnson come from originally - whats her lead source")
    assert filled.references == {"customer_id": "Zoe Johnson"}


@pytest.mark.parametrize(("tool", "text", "note"), [
    ("update_deal", "add a note to the Pied Piper expedition kit deal: lost to a competitor on price",
     "lost to a competitor on price"),
    ("update_deal", "put a note on the Initech fit-out deal: client wants the install done before Easter",
     "client wants the install done before Easter"),
    ("create_deal", "new deal Harbour refit for Acme, 12k, notes: weekly deliveries from March",
     "weekly deliveries from March"),
])
def test_a_note_is_written_whole_and_its_words_are_no_other_value(tool: str, text: str, note: str) -> None:
    """A deal's notes after "note ...:" are its description, as typed; "lost" and "price" in
    them are no stage and no amount asked for, "March" no customer."""
    filled = read(tool, text)
    assert filled.args["description"] == note
    assert filled.args.get("stage") in (None, "lead") and filled.missing == []
    assert "March" not in filled.references.values()


def test_a_value_inside_a_longer_phrase_for_the_same_field_is_that_phrase() -> None:
    """"phone number" names the phone; the value "number" (an invoice's) said as itself inside
    it does not win for being exact."""
    assert read("entity_lineage", "who supplied the phone number for Grace Young").args == {"field": "phone"}
    assert read("entity_lineage", "where did the number on invoice INV-2041 come from").args.get(
        "field") == "number"


@pytest.mark.parametrize(("text", "percent", "horizon"), [
    ("what happens if i slash marketing by a quarter, looking 60 days out", 25, 60),
    ("what if we cut marketing by a third over the next 90 days", 33, 90),
    ("what if we boost marketing by a quarter", 25, None),
    ("what if marketing drops 10% over a quarter", 10, 90),
    ("say we bumped our ad budget by a third and kept it there for half a year", 33, 180),
])
def test_a_change_told_as_a_fraction(text: str, percent: int, horizon: int | None) -> None:
    """"by a quarter" is 25%, not a quarter's horizon; "over a quarter" still is one."""
    args = read("simulate_change", text).args
    assert args["change_percent"] == percent and args.get("time_horizon") == horizon


def test_the_words_a_tool_declares_for_a_link_are_its_cue() -> None:
    """"owned by Marco" names the deals' owner (list_deals' field words), not a text to search."""
    assert read("list_deals", "deals owned by Marco").references == {"assigned_to": "Marco"}
    filled = read("list_deals", "open deals handled by Sam Ortiz over 10k")
    assert filled.references == {"assigned_to": "Sam Ortiz"} and filled.args["min_value"] == 10000


def test_an_examples_own_misspelling_is_no_word_typos_are_corrected_towards() -> None:
    """Examples are misspelt on purpose ("sync shopfiy now"); a misspelling written far less often
    than a close word is left out of the vocabulary, so requests with it are corrected. English
    words, words nearly as common as their neighbour and words close to nothing frequent stay."""
    counts = {"shopify": 12, "shopfiy": 2, "phase": 1, "pause": 4, "detals": 1, "details": 2, "zorbex": 1,
              "novak": 1, "nowak": 3}
    assert own_typos(counts, frozenset(counts)) == {"shopfiy"}


def test_ordinary_words_between_the_and_the_record_noun_name_the_record() -> None:
    from agent.nlu.extract_text import the_words_before
    from agent.nlu.utterance import Utterance

    def named(text: str) -> str | None:
        span = the_words_before(Utterance(text, frozenset()), "deal", frozenset({"open", "won"}))
        return span.text if span else None

    assert named("move the store fit-out deal to proposal") == "store fit-out"
    assert named("move the store fit-out one to proposal") == "store fit-out"
    assert named("move the open deal to won") is None  # a declared value, not a title
    assert named("move the deal to won") is None


def test_a_name_after_a_links_own_words_is_that_link_not_the_record_changed() -> None:
    """"over to Marco" names the new owner; the deal is the rest ("Marco" had been looked up as
    the deal, and the owner dropped)."""
    assert read("update_deal", "hand the wonka goods rental fleet deal over to Marco").references == {
        "assigned_to": "Marco", "deal_id": "wonka goods rental fleet"}


def test_an_email_address_is_the_search_of_a_list() -> None:
    """Names are read from runs of words, which never include an address: the address itself is
    what to search for ("look up jane.smith.234@example.com" had listed every customer)."""
    assert read("list_customers", "look up jane.smith.234@example.com").args == {
        "search": "jane.smith.234@example.com"}


def test_customer_values_at_sentence_ends_and_around_tags() -> None:
    """A name ends with its sentence; a phone number may end one; a tag is taken off around its
    name; "from" after a change names the record, not a new company."""
    greer = read("create_customer",
                 "I met Tobias Greer, he runs Greer Hardware. Could you add him as a prospect?")
    assert greer.args["company"] == "Greer Hardware"
    rafael = read("create_customer",
                  "it's Rafael Soto, number is 555-867-5309. oh and give him the newsletter tag")
    assert rafael.args["phone"] == "555-867-5309" and rafael.args["tags"] == ["newsletter"]
    carlos = read("update_customer", "Set Carlos Jackson to churned and take the vip tag off.")
    assert carlos.args["remove_tags"] == ["vip"] and "add_tags" not in carlos.args
    maria = read("update_customer", "Please remove the newsletter tag from Maria King.")
    assert maria.references["customer_id"] == "Maria King" and "company" not in maria.args
    fischer = read("update_customer", "put her at Fischer Bau and make her active")
    assert fischer.args["company"] == "Fischer Bau"


def test_the_automation_whose_runs_are_asked_for() -> None:
    titled = read("list_automation_runs", "What has the Lead Nurture Campaign done since December 1st?")
    assert titled.args["automation"] == "Lead Nurture Campaign"
    said = read("list_automation_runs", "runs of the weekly invoice reminder that failed")
    assert said.args["automation"] == "weekly invoice reminder" and said.args["status"] == "failed"
    assert "automation" not in read("list_automation_runs", "runs for this month").args


def test_values_of_keys_predictions_simulations_and_initiatives() -> None:
    """Each read by its tool's own reader or a generic one: what a key has gone unused, how far a
    prediction looks, a what-if's horizon in any number of days, what an initiative is, a value
    said to be left out."""
    assert read("revoke_api_keys", "revoke api keys nobody has used in 60 days").args == {"unused_days": 60}
    assert read("revoke_api_keys", "revoke api keys older than a year").args == {"older_than_days": 365}
    ahead = read("create_prediction", "kick off a prediction with template_sales_forecast, 6 periods ahead")
    assert ahead.args["horizon"] == 6
    quarter = read("create_prediction", "Start a prediction for next quarter, call it 'Q1 outlook'")
    assert quarter.args["time_range"] == "next_quarter" and "granularity" not in quarter.args
    assert read("list_predictions", "did any of my predictions fail?").args == {"status": "failed"}
    what_if = read("simulate_change", "Say conversions went up 15% - what would that do over 120 days?")
    assert what_if.args["time_horizon"] == 120
    popup = read("analyze_initiative", "Is opening a pop-up store worth it? It'd cost 25k and bring in 60k")
    assert popup.args["name"] == "Pop-up store"
    sources = read("list_lineage_sources", "where does our data come from? connectors, not the manual stuff")
    assert sources.args == {"type": "connector"}


def test_names_given_to_connections_workflows_and_connectors() -> None:
    shop = read("connect_integration", "Connect my second Shopify store eu-outdoor.myshopify.com, token "
                "shpat_1a2b3c4d, and name the connection shopify_eu please.")
    assert shop.args["name"] == "shopify_eu"
    flow = read("create_workflow",
                'I\'d like a workflow that kicks off whenever we lose a deal. Name it "Lost deal follow-up".')
    assert flow.args["name"] == "Lost deal follow-up"
    custom = read("create_custom_connector",
                  'a custom REST connector: display name "Loyalty Points API", machine name loyalty_api, '
                  "base URL https://loyalty.example.com/v2, api key lp_77812")
    assert custom.args["name"] == "loyalty_api" and custom.args["display_name"] == "Loyalty Points API"


def test_urls_durations_and_names_before_one() -> None:
    """A URL's path is never spelling-corrected ("abcde" had become "abcdef", an example's word);
    "48h" is 48 hours but the "an d" of "and" is no day; "the lead one" names the lead one."""
    hook = read("create_webhook",
                "create webhook https://hooks.zapier.com/hooks/catch/12345/abcde/ for deal.won")
    assert hook.args["url"] == "https://hooks.zapier.com/hooks/catch/12345/abcde/"
    assert read("webhook_health", "r my webhooks healthy? last 48h").args == {"hours": 48}
    assert read("quality_trends", "and 90 days?").args == {"days": 90}
    assert read("pause_automation", "pause the lead one").args == {"name": "lead"}
    assert read("delete_automation", "delete the lead nurture one, we dont use it anymore").args == {
        "name": "lead nurture"}
    lead = read("create_automation",
                "when new lead comes in → post to slack https://hooks.slack.com/services/T0/B0/X")
    assert lead.args["conditions"] == {"status": "lead"} and lead.args["event"] == "customer.created"
