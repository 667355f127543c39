"""Messages about the record the last answer was about: an amendment of the record just created
("actually make that 7.5k") and a place in the list just shown ("tell me more about the number
one", "move the second one to won"), with the test playing the tools."""

from __future__ import annotations

from tests.agent.test_nlu_model import Chat, customer, deal, first_call


def test_an_amendment_changes_the_record_just_created() -> None:
    chat = Chat()
    name, args = first_call(chat.say("create a deal 'Monarch tent rental' for 6k"))
    assert name == "create_deal"
    chat.tool({"deal": deal("d-new", "Monarch tent rental", stage="lead")})
    name, args = first_call(chat.say("actually make that 7.5k"))
    assert (name, args) == ("update_deal", {"value": 7500.0, "deal_id": "d-new"})


def test_an_amendment_needs_a_record_made_before() -> None:
    """With only a list shown there is no one record "that" is: no change is guessed."""
    chat = Chat()
    chat.say("show me deals in negotiation")
    chat.tool({"deals": [deal("d1", "Globex - Event sponsorship"), deal("d2", "Hooli - Store fit-out")]})
    reply = chat.say("actually make that 7.5k")
    assert not any(c["name"] == "update_deal" and c["args"].get("deal_id") for c in reply.tool_calls)


def test_a_place_in_the_list_just_shown_is_that_record() -> None:
    chat = Chat()
    chat.say("show me deals in negotiation")
    rows = [deal("d1", "Globex - Event sponsorship", customer_id="c1"), deal("d2", "Hooli - Store fit-out")]
    chat.tool({"deals": rows})
    assert first_call(chat.say("move the second one to won")) == (
        "move_deal_stage", {"stage": "closed_won", "deal_id": "d2"})


def test_the_number_one_of_a_ranking_is_its_first_row() -> None:
    chat = Chat()
    first_call(chat.say("who were my top customers this year"))
    top = [{"rank": i + 1, "customer_id": f"c{i + 1}", "name": n, "revenue": 100.0 - i}
           for i, n in enumerate(("Zoe Chen", "Leila Davis"))]
    chat.tool({"label": "this year", "start_date": "2026-01-01", "end_date": "2026-11-24", "customers": top})
    name, args = first_call(chat.say("tell me more about the number one"))
    assert name in ("get_customer", "customer_overview") and args.get("customer_id") == "c1"


def test_without_a_list_a_place_is_not_guessed() -> None:
    chat = Chat()
    chat.say("how many customers do I have")
    chat.tool({"customer": customer("c9", "Pat Doe")})
    reply = chat.say("tell me more about the second one")
    assert not any(c["args"].get("customer_id") == "c9" for c in reply.tool_calls)



def test_it_carries_what_the_last_call_was_given() -> None:
    """"resync it" after a question about Stripe's sync: the connection the last call was given."""
    chat = Chat()
    assert first_call(chat.say("is stripe syncing ok?")) == ("get_sync_status", {"connection": "stripe"})
    chat.tool({"connections": []})
    assert first_call(chat.say("resync it")) == ("sync_integration", {"connection": "stripe"})


def test_a_record_given_by_id_is_what_it_points_back_to() -> None:
    """A webhook has no name to look up; "pause it" right after creating one changes that one,
    not an automation the word "pause" suggests."""
    chat = Chat()
    name, _ = first_call(chat.say("create a webhook to https://hooks.example.com/in for new customers"))
    assert name == "create_webhook"
    hook = {"id": "wh-1", "url": "https://hooks.example.com/in", "events": ["customer.created"],
            "active": True}
    chat.tool({"webhook": hook, "secret": "whsec_x"})
    assert first_call(chat.say("actually pause it for now")) == (
        "update_webhook", {"active": False, "webhook_id": "wh-1"})


def test_that_simulation_is_the_one_just_run() -> None:
    chat = Chat()
    name, _ = first_call(chat.say("what happens if we spend 20% more on marketing?"))
    assert name == "simulate_change"
    change = {"metric": "Marketing Spend", "metric_id": "marketing_spend", "change": "+20%"}
    chat.tool({"simulation_id": "sim_abc123", "input_change": change})
    assert first_call(chat.say("open that simulation again")) == (
        "get_simulation", {"simulation_id": "sim_abc123"})


def test_a_pronoun_with_nothing_before_is_asked_about() -> None:
    reply = Chat().say("open that simulation again")
    assert not reply.tool_calls


def test_a_correction_after_a_record_was_made_never_makes_a_second_one() -> None:
    """"actually, make that 8k" right after a deal was created changes that deal: asking the
    creation again with the new value would make a duplicate."""
    for correction in ("actually make that 8k", "actually, make that 8k please", "no wait, make it 8k"):
        chat = Chat()
        assert first_call(chat.say("create a 5k deal called Spring uniforms"))[0] == "create_deal"
        chat.tool({"deal": deal("d-new", "Spring uniforms", stage="lead")})
        reply = chat.say(correction)
        assert first_call(reply) == ("update_deal", {"value": 8000.0, "deal_id": "d-new"}), correction


def test_an_amount_goes_to_the_field_named_beside_it() -> None:
    """"what if it only brings in 12k?" changes the expected revenue, not the cost that comes first
    in the tool's fields; the cost of the analysis before stays."""
    chat = Chat()
    name, args = first_call(chat.say("is a new website worth it? 8k for 20k extra revenue over a year"))
    assert (name, args["investment"], args["expected_revenue"]) == ("analyze_initiative", 8000, 20000)
    chat.tool({"roi_percent": 150.0})
    name, args = first_call(chat.say("what if it only brings in 12k?"))
    assert (name, args["investment"], args["expected_revenue"]) == ("analyze_initiative", 8000, 12000)


def test_the_one_about_some_words_is_the_row_they_match() -> None:
    chat = Chat()
    chat.say("show me deals in negotiation")
    chat.tool({"deals": [deal("d1", "Globex - Event sponsorship"), deal("d2", "Hooli - Store fit-out"),
                         deal("d3", "Hooli - Team uniforms")]})
    assert first_call(chat.say("move the one about the event sponsorship to won")) == (
        "move_deal_stage", {"stage": "closed_won", "deal_id": "d1"})


def test_the_one_about_words_two_rows_match_as_well_is_no_row() -> None:
    """"the one for Hooli" matches two rows as well: no row is guessed (the name is looked up)."""
    chat = Chat()
    chat.say("show me deals in negotiation")
    chat.tool({"deals": [deal("d1", "Globex - Event sponsorship"), deal("d2", "Hooli - Store fit-out"),
                         deal("d3", "Hooli - Team uniforms")]})
    _, args = first_call(chat.say("move the one for Hooli to won"))
    assert args.get("deal_id") not in ("d2", "d3")


def test_its_is_the_kind_of_record_the_last_answer_was_about() -> None:
    """A tool that takes a customer or a deal (entity_lineage): after a deal was shown, "its"
    is that deal, not the customer the deal belongs to."""
    chat = Chat()
    chat.say("show me deal d7")
    chat.tool({"deal": deal("d7", "Acme Corp - Annual supply contract", customer_id="c1"),
               "customer_id": "c1", "customer_name": "Noah King"})
    name, args = first_call(chat.say("which source set its stage?"))
    assert (name, args.get("deal_id"), args.get("customer_id")) == ("entity_lineage", "d7", None)


def test_a_record_the_tool_needs_but_nothing_names_is_asked_for() -> None:
    """entity_lineage requires one record by any of three fields; none given, it asks which one
    instead of calling a tool that can only fail."""
    reply = Chat().say("which source gave us this customer's email?")
    assert not reply.tool_calls and "which customer" in str(reply.content).lower()
    reply = Chat().say("I want to trace one order back to where it came from")
    assert not reply.tool_calls and "order" in str(reply.content).lower()


def test_a_short_question_about_the_record_found_is_about_it() -> None:
    chat = Chat()
    chat.say("find the Acme Corp deal")
    chat.tool({"kind": "deal", "text": "Acme Corp", "candidates": [
        {"id": "d7", "kind": "deal", "label": "Acme Corp - Annual supply contract",
         "detail": "Noah King · qualified", "score": 100.0},
        {"id": "d8", "kind": "deal", "label": "Tech Corp - Annual supply contract",
         "detail": "Mateo Jackson · lost", "score": 66.7}]})
    assert first_call(chat.say("what's its value?")) == ("get_deal", {"deal_id": "d7"})


def test_stretching_the_last_period_reruns_the_last_call() -> None:
    chat = Chat()
    asked = first_call(chat.say("data quality trend over the past two weeks"))
    assert asked == ("quality_trends", {"days": 14})
    chat.tool({"days": 14, "points": []})
    assert first_call(chat.say("can u stretch that to 90 days")) == ("quality_trends", {"days": 90})


AUTOMATION = {"id": "a-1", "workflow_id": "w-1", "name": "Weekly Invoice Reminder", "kind": "schedule",
              "status": "active"}


def test_its_runs_are_the_runs_of_the_automation_shown() -> None:
    """An optional filter naming a record (list_automation_runs' automation) is the record "its"
    points at; the name read from the words had made "How have its runs gone?" a deletion."""
    chat = Chat()
    chat.say("show me the weekly invoice reminder")
    chat.tool({"automation": AUTOMATION})
    assert first_call(chat.say("How have its runs gone?")) == ("list_automation_runs", {"automation": "a-1"})


def test_a_question_about_a_record_is_not_its_name() -> None:
    chat = Chat()
    reply = chat.say("What exactly does the Weekly Invoice Reminder do? "
                     "Who gets the emails and which template?")
    assert [(c["name"], c["args"]) for c in reply.tool_calls] == [
        ("get_automation", {"name": "Weekly Invoice Reminder"})]


def test_switching_it_back_on_resumes_the_automation_just_paused() -> None:
    chat = Chat()
    chat.say("pause the weekly invoice reminder")
    chat.tool({"automation": {**AUTOMATION, "status": "paused"}})
    name, args = first_call(chat.say("actually no, switch it back on"))
    assert (name, args["name"].lower()) in {("resume_automation", "a-1"),
                                             ("resume_automation", "weekly invoice reminder")}


def test_today_in_a_change_is_when_it_happened_not_the_date_to_set() -> None:
    found = {"kind": "deal", "text": "Oscorp gifts", "candidates": [
        {"id": "d3", "kind": "deal", "label": "Oscorp - Corporate gifts", "detail": "Jane Thomas · qualified",
         "score": 95.0}]}
    for text, close in (("sent the quote over to Jane Thomas for the Oscorp gifts deal today", None),
                        ("push the Oscorp gifts deal out to 15 April 2027", "2027-04-15")):
        chat = Chat()
        assert first_call(chat.say(text))[0] == "find_records"
        reply = chat.tool(found)
        name, args = first_call(reply)
        assert args.get("deal_id") == "d3" and args.get("expected_close_date") == close, (text, name, args)


def test_the_newest_one_is_the_first_row_of_the_list_shown() -> None:
    chat = Chat()
    chat.say("show me deals in negotiation")
    chat.tool({"deals": [deal("d1", "Globex - Event sponsorship"), deal("d2", "Hooli - Store fit-out")]})
    assert first_call(chat.say("open the latest one")) == ("get_deal", {"deal_id": "d1"})
