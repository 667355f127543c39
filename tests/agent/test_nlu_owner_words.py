"""Owners' own words (stop 25, after the blind set weak17): a record pointed at with nothing
before it is the one the request calls by name, a period turned away is not read, a follow-up
that only changes the last call's window runs it again, a list sorted by name reads A first, a
person pointed at is no lowercase phrase, a step that removes nothing is no removal, and stages,
statuses and verdicts said in the trade's words. The test plays the tools."""

from __future__ import annotations

from tests.agent.test_nlu_model import Chat, customer, deal, first_call, found


def test_a_record_pointed_at_with_nothing_before_is_the_one_named() -> None:
    """'GLOBEX SIGNED!!! the event sponsorship one, mark it please' had asked which deal."""
    chat = Chat()
    lookup = chat.say("GLOBEX SIGNED!!! the event sponsorship one, mark it please")
    assert first_call(lookup) == ("find_records", {"kind": "deal", "text": "event sponsorship", "limit": 5})
    name, args = first_call(chat.tool(found("deal", "event sponsorship",
                                            ("d1", "Globex - Event sponsorship", 95.0))))
    assert (name, args) == ("move_deal_stage", {"stage": "closed_won", "deal_id": "d1"})


def test_a_pronoun_still_points_at_the_record_just_shown() -> None:
    chat = Chat()
    chat.say("open the Blue Sun uniforms deal")
    shown = chat.tool(found("deal", "Blue Sun uniforms", ("d2", "Blue Sun - Team uniforms", 95.0)))
    assert first_call(shown)[0] == "get_deal"
    chat.tool(deal("d2", "Blue Sun - Team uniforms"))
    assert first_call(chat.say("the customer signed, mark it as won")) == (
        "move_deal_stage", {"stage": "closed_won", "deal_id": "d2"})


def test_a_period_turned_away_is_not_read() -> None:
    """'look at the whole past week, not only the last 24h' had been declined after the
    webhooks' health: two windows, and neither a cue of a follow-up."""
    chat = Chat()
    assert first_call(chat.say("are my webhooks delivering ok?")) == ("webhook_health", {})
    chat.tool({"webhooks": [], "hours": 24})
    assert first_call(chat.say("look at the whole past week, not only the last 24h")) == (
        "webhook_health", {"hours": 168})
    assert first_call(Chat().say("revenue for last month instead of this month")) == (
        "revenue_for_period", {"period": "last_month"})


def test_a_list_sorted_by_name_reads_a_first() -> None:
    """'sort them alphabetically' had listed Z first (the schema's default order is newest first)."""
    chat = Chat()
    assert first_call(chat.say("list my leads")) == ("list_customers", {"status": "lead"})
    chat.tool({"items": [], "total": 0})
    assert first_call(chat.say("sort them alphabetically pls")) == (
        "list_customers", {"status": "lead", "sort_by": "name", "sort_order": "asc"})
    name, args = first_call(Chat().say("list customers z-a"))
    assert name == "list_customers" and args.get("sort_order") == "desc"


def test_a_person_pointed_at_is_no_lowercase_phrase() -> None:
    """'take the vip tag off him, he doesn't want special treatment' had looked up a customer
    called 'special treatment'."""
    chat = Chat()
    chat.say("Show me Noah King's details")
    shown = chat.tool(found("customer", "Noah King", ("c1", "Noah King", 97.0)))
    assert first_call(shown)[0] == "get_customer"
    chat.tool(customer("c1", "Noah King"))
    assert first_call(chat.say("take the vip tag off him, he said he doesn't want special treatment")) == (
        "update_customer", {"remove_tags": ["vip"], "customer_id": "c1"})


def test_a_step_that_removes_nothing_is_no_removal() -> None:
    """The first step of 'create a webhook pointing at https://... that gets won and lost deals,
    then check whether it's healthy' had been read as deleting a webhook."""
    reply = Chat().say("create a webhook pointing at https://hooks.example.com/crm for won deals, "
                       "then check whether it's healthy")
    assert first_call(reply)[0] == "create_webhook"


def test_stages_statuses_and_verdicts_in_the_trades_words() -> None:
    assert first_call(Chat().say("which deals are still up in the air?")) == (
        "list_deals", {"status": "open"})
    assert first_call(Chat().say("is any background job getting retried over and over?")) == (
        "list_jobs", {"status": "retrying"})
    assert first_call(Chat().say("which of the ideas you analysed came back as a no-go?")) == (
        "list_initiatives", {"verdict": "reconsider"})


def test_undoing_is_declined_not_read_as_a_removal_or_a_report() -> None:
    """'A deal got deleted by accident ... restore it' had asked which deal to delete."""
    for text in ("A deal got deleted by accident. Get it back out of the trash and restore it.",
                 "undo the last shopify sync, it pulled in garbage"):
        reply = Chat().say(text)
        assert not reply.tool_calls and "can't" in str(reply.content)
    assert first_call(Chat().say("delete the Hooli store fit-out deal"))[0] == "find_records"


def test_ranges_of_days_carry_their_month_and_year() -> None:
    """'between 1 and 14 February 2027' had read all February; 'between 1 January and 31 March
    2027' had started in 2026; 'from the 1st of June to the end of August 2026' had read June."""
    assert first_call(Chat().say("How many orders should I expect between 1 and 14 February 2027?")) == (
        "forecast_metric", {"metric": "orders", "start_date": "2027-02-01", "end_date": "2027-02-14"})
    name, args = first_call(Chat().say("Which deals are due to close between 1 January and 31 March 2027?"))
    assert name == "list_deals"
    assert (args["expected_close_after"], args["expected_close_before"]) == ("2027-01-01", "2027-04-01")
    name, args = first_call(Chat().say("break revenue down week by week from the 1st of June to the end of "
                                       "August 2026"))
    assert name == "revenue_trend"
    assert (args["start_date"], args["end_date"], args["granularity"]) == ("2026-06-01", "2026-08-31", "week")


def test_the_week_after_a_range_of_seven_days_is_the_next_seven() -> None:
    chat = Chat()
    assert first_call(chat.say("show me the audit log from 1 to 7 November 2026")) == (
        "list_audit_log", {"start_date": "2026-11-01", "end_date": "2026-11-07"})
    chat.tool({"entries": [], "total": 0})
    assert first_call(chat.say("now the week after that")) == (
        "list_audit_log", {"start_date": "2026-11-08", "end_date": "2026-11-14"})


def test_how_many_in_everyday_words() -> None:
    """'up to 50', 'the 5 latest', 'fifteen names', '25 of them' had left the default limit."""
    assert first_call(Chat().say("List up to 50 customers that are high risk of leaving us.")) == (
        "churn_risk", {"risk_level": "high", "limit": 50})
    assert first_call(Chat().say("show me the 5 latest background jobs that failed")) == (
        "list_jobs", {"status": "failed", "limit": 5})
    assert first_call(Chat().say("Who bought the most from us in November 2025? Fifteen names please.")) == (
        "top_customers", {"month": "2025-11", "limit": 15})
    name, args = first_call(Chat().say("show me deals up to 50,000"))
    assert name == "list_deals" and args == {"max_value": 50000.0}


def test_signs_odds_and_halves() -> None:
    name, args = first_call(Chat().say("simulate website sessions at -10% and look 60 days out"))
    assert name == "simulate_change" and args["change_percent"] == -10
    chat = Chat()
    lookup = chat.say("honestly the Tyrell licence deal feels shakier... id say its one in five now")
    assert first_call(lookup)[0] == "find_records"
    assert first_call(chat.tool(found("deal", "Tyrell licence", ("d5", "Tyrell Trading - Enterprise license",
                                                                  90.0)))) == (
        "update_deal", {"probability": 20, "deal_id": "d5"})
    chat = Chat()
    assert first_call(chat.say("open deals over 20k")) == (
        "list_deals", {"min_value": 20000.0, "status": "open"})
    chat.tool({"items": [], "total": 0})
    assert first_call(chat.say("lower it to four and a half grand")) == (
        "list_deals", {"min_value": 4500.0, "status": "open"})


def test_the_cued_amount_is_the_investment_though_bare() -> None:
    """'32,000 upfront, should bring 60k' had swapped the two."""
    name, args = first_call(Chat().say("thinking of buying a delivery van, 32,000 upfront, should bring 60k "
                                       "extra over 2 years"))
    assert name == "analyze_initiative"
    assert (args["investment"], args["expected_revenue"]) == (32000.0, 60000.0)


def test_dictated_values() -> None:
    """A phone's dictation: 'marta at balticwool dot pl', 'twelve thousand five hundred'."""
    name, args = first_call(Chat().say("ok so new customer um write down Marta Kowalska she is from company "
                                       "Baltic Wool and email is marta at balticwool dot pl"))
    assert (name, args["email"], args["name"]) == ("create_customer", "marta@balticwool.pl", "Marta Kowalska")
    name, args = first_call(Chat().say("new deal called Winter jackets, twelve thousand five hundred, "
                                       "no customer yet"))
    assert name == "create_deal" and args["value"] == 12500


def test_a_range_said_after_the_request_is_part_of_it() -> None:
    """'... in the coming months? An 80% range is fine.' had forecast the whole business too."""
    chat = Chat()
    lookup = chat.say("How much is Sam Anderson likely to spend with us in the coming months? An 80% range "
                      "is fine.")
    assert first_call(lookup)[0] == "find_records"
    name, args = first_call(chat.tool(found("customer", "Sam Anderson", ("c9", "Sam Anderson", 97.0))))
    assert (name, args["customer_id"], args["confidence"]) == ("forecast_customer_spend", "c9", 80)
    done = chat.tool({"customer_id": "c9"})
    assert not done.tool_calls


def test_a_record_named_in_lowercase_before_it_is_pointed_at() -> None:
    """'hooli annual supply contract make it qualified' had asked which deal; 'leads from 15
    august to 15 september' had looked for a company called '15 august'."""
    chat = Chat()
    lookup = chat.say("hooli annual supply contract make it qualified")
    assert first_call(lookup) == ("find_records", {"kind": "deal", "text": "hooli annual supply", "limit": 5})
    name, args = first_call(chat.tool(found("deal", "hooli annual supply",
                                            ("d6", "Hooli - Annual supply contract", 95.0))))
    assert (name, args) == ("move_deal_stage", {"stage": "qualified", "deal_id": "d6"})
    reply = Chat().say("great news, they signed. move it to won")
    assert not reply.tool_calls
    name, args = first_call(Chat().say("how many new leads we got from 15 august to 15 september 2026?"))
    assert name == "list_customers" and "company" not in args
    assert (args["created_after"], args["created_before"]) == ("2026-08-15", "2026-09-16")


def test_naming_what_a_request_makes_is_no_step_of_its_own() -> None:
    """', and call it 'Q1 planning'' had fetched the new prediction as a second step."""
    chat = Chat()
    reply = chat.say("Start a new prediction with template_sales_forecast, 12 periods ahead, weekly "
                     "granularity, and call it 'Q1 planning'.")
    assert [c["name"] for c in reply.tool_calls] == ["create_prediction"]
    assert reply.tool_calls[0]["args"]["name"] == "Q1 planning"
    assert not chat.tool({"id": "p1", "status": "processing"}).tool_calls
