"""Several steps in one request: a later step pointing back at an earlier one's value, and an
opening change the classifier scores low but far above anything else; with the test playing the
tools."""

from __future__ import annotations

from evals.routing_dev import planned
from tests.agent.test_nlu_model import Chat, deal, first_call, found


def test_a_later_step_takes_the_value_it_points_back_to() -> None:
    chat = Chat()
    assert first_call(chat.say("check hubspot's sync status, then disconnect it")) == (
        "get_sync_status", {"connection": "hubspot"})
    name, args = first_call(chat.tool({"connections": []}))
    assert (name, args.get("connection")) == ("disconnect_integration", "hubspot")


def test_the_same_call_again_is_not_a_step() -> None:
    """"... over a year. worth it?": the question repeats the request, it does not add a call."""
    chat = Chat()
    name, _ = first_call(chat.say("we're thinking of buying a new van for 18000, it'd add about 30000 "
                                  "revenue over a year. worth it?"))
    assert name == "analyze_initiative"
    reply = chat.tool({"roi_percent": 66.67})
    assert not reply.tool_calls


def test_an_opening_change_and_a_second_step() -> None:
    chat = Chat()
    text = ("close the umbrella outdoor expedition kit out as lost, "
            "and delete the massive dynamic expedition kit deal")
    assert first_call(chat.say(text))[0] == "find_records"
    name, args = first_call(chat.tool(found("deal", "umbrella outdoor expedition kit",
                                            ("d1", "Umbrella Outdoor - Expedition kit", 95.0))))
    assert (name, args) == ("move_deal_stage", {"stage": "closed_lost", "deal_id": "d1"})
    moved = deal("d1", "Umbrella Outdoor - Expedition kit", "closed_lost")
    name, args = first_call(chat.tool({"deal": moved}))
    assert (name, args["text"]) == ("find_records", "massive dynamic expedition kit")
    name, args = first_call(chat.tool(found("deal", "massive dynamic expedition kit",
                                            ("d2", "Massive Dynamic - Expedition kit", 95.0))))
    assert (name, args.get("deal_id")) == ("delete_deal", "d2")


def test_a_statement_then_its_consequence_is_one_step() -> None:
    """"Mia hasn't ordered in ages and won't return calls - park her as inactive" changes Mia; it
    does not first look her up as a second request."""
    chat = Chat()
    text = "Mia Miller hasn't ordered in ages and won't return calls - park her as inactive"
    name, args = first_call(chat.say(text))
    assert (name, args.get("kind")) == ("find_records", "customer")
    name, args = first_call(chat.tool(found("customer", "Mia Miller", ("c1", "Mia Miller", 100.0))))
    assert (name, args) == ("update_customer", {"status": "inactive", "customer_id": "c1"})


def test_a_sentence_that_tells_is_the_context_of_the_one_that_asks() -> None:
    """"Something called job_981 failed earlier today. What went wrong with it?" is one request
    about the job, not a job lookup and then another tool; a telling sentence after a question
    ("there might be a few") is not a step either. A stated change with an explicit second
    step ("we lost the X deal; also mark Y inactive") stays two steps."""
    assert planned("Something called job_981 failed earlier today. What went wrong with it?") == ["get_job"]
    assert planned("which Sam do we have? there might be a few") == ["find_records"]
    assert planned("we lost the Wonka rental fleet deal; also mark Nina Wright inactive") == [
        "move_deal_stage", "update_customer"]


def test_a_later_step_that_points_back_acts_on_that_kind_of_record() -> None:
    """"pause it" alone is an automation's; after a webhook it pauses the webhook."""
    assert planned("look at webhook wh_3 and pause it") == ["get_webhook", "update_webhook"]
    assert planned("show me automation auto_4, then pause it") == ["get_automation", "pause_automation"]


def test_a_second_change_to_the_same_person_is_one_call() -> None:
    """"change her email ... and make her a prospect" is one update of her, not the same update
    repeated; two records named each get their own call."""
    assert planned("change her email to leila@vandelay.com and make her a prospect") == ["update_customer"]
    assert planned("Move the Tyrell annual supply to proposal and the seasonal restock to negotiation") == [
        "move_deal_stage", "move_deal_stage"]


def test_a_new_contact_detail_for_someone_is_a_change_not_a_new_customer() -> None:
    """"new email for Diego Lee: ..." gives an existing customer a new address; "add a new
    customer with email ..." still creates one."""
    assert planned("new email for Diego Lee: diego.lee@hooli.io") == ["update_customer"]
    assert planned("Dana Whitfield's new phone number is 555 0101") == ["update_customer"]
    assert planned("add a new customer Ana Ruiz with email ana@larkspur.io") == ["create_customer"]


def test_a_period_that_is_over_is_history_not_a_forecast() -> None:
    """A forecasting tool declares that it looks ahead; spend "over the past 90 days" is what
    the customer spent, from the close tool that reads periods as history."""
    assert planned("spend from Aisha Nguyen over the past 90 days") == ["customer_overview"]
    assert planned("forecast Aisha Nguyen's spend for next quarter") == ["forecast_customer_spend"]


def test_history_of_one_customer_stays_about_that_customer() -> None:
    """"ytd revenue from Omar Taylor" is his spend this year (the tool about the same kind of
    record as the forecast it was unsure of), not the whole business's revenue; a forecast asked
    for in so many words keeps its past window."""
    assert planned("ytd revenue from Omar Taylor") == ["customer_overview"]
    assert planned("Predict customer cus_58's monthly spend from 2026-02-01 to 2026-07-31") == [
        "forecast_customer_spend"]


def test_when_something_happened_is_history_not_a_prediction() -> None:
    """Churn risk looks ahead; "when did Maria Khan churn" asks what happened (her status
    history), "is Maria Khan likely to churn?" still asks for the prediction."""
    assert planned("when did Maria Khan churn") == ["customer_overview"]
    assert planned("is Maria Khan likely to churn?") == ["customer_churn_risk"]


def test_giving_someone_a_deal_is_a_new_deal() -> None:
    """"... and give him a 12,500 deal in qualified" opens a deal, as "open a deal" does; it had
    scored a list of deals first, and the request was read as one step."""
    assert planned("create a customer Ben Okafor at Northwind, email ben@northwind.io, and give him "
                   "a 12,500 deal in qualified") == ["create_customer", "create_deal"]


def test_a_later_step_that_says_it_is_read_with_what_the_step_before_ends_with() -> None:
    """"tell me how far along it is" alone is too unsure to act on; "it" is the Stripe sync."""
    assert planned("Kick off a Stripe sync and tell me how far along it is.") == [
        "sync_integration", "get_sync_status"]
    assert planned("kick off a stripe sync and then tell me how it's progressing") == [
        "sync_integration", "get_sync_status"]


def test_context_before_two_requests_is_read_with_the_first() -> None:
    """A statement that opens a request of two steps is its context: before, the whole message was
    read as one request, and the second step was lost."""
    assert planned("We opened a second shop last week and I'm nervous about access. First show me who "
                   "hasn't turned on two-factor, and then give me the overall security score.") == [
        "team_security", "security_score"]


def test_a_plus_joins_two_requests() -> None:
    assert planned("top customers + revenue this month") == ["top_customers", "revenue_for_period"]


def test_his_points_back_to_the_person_of_the_step_before() -> None:
    assert planned("Lifetime spend on Noah King to date, then project his next 3 months.") == [
        "customer_overview", "forecast_customer_spend"]


def test_details_and_values_after_a_request_are_read_with_it() -> None:
    """"His email is ..." and an address alone tell more about the customer being added: one
    creation with them, not a creation then an update (or an audit-log search for the address)."""
    assert planned("add Leo Park from Nimbus as a customer. His email is leo@nimbus.io and he "
                   "should be a lead") == ["create_customer"]
    assert planned("can you add her as a prospect, Mina Cho from Lumen? mina@lumen.co") == ["create_customer"]


def test_a_bare_verb_after_a_request_is_not_a_step() -> None:
    assert planned("Set up a workflow for when a deal is won: send the thank-you email. Go ahead.") == [
        "create_workflow"]
    assert planned("When a deal is lost, I want a workflow: after 1 week send email to the customer, "
                   "the win back one. Please create.") == ["create_workflow"]


def test_a_period_named_twice_is_one_call() -> None:
    """"last month ... in November" (today is in December) is one period, asked once."""
    text = ("We ran a pop-up at a trade fair last month and I added a bunch of new folks afterwards. "
            "How many new customers did we add in November?")
    assert planned(text) == ["list_customers"]


def test_a_name_a_list_filters_by_is_no_record_to_open() -> None:
    """"the clients from company Globex" lists Globex's customers; it had opened a customer
    record named Globex."""
    assert planned("Show me please the clients from company Globex.") == ["list_customers"]
    assert planned("show me the customers at company Initech") == ["list_customers"]


def test_a_later_weak_step_that_says_it_is_read_with_the_step_before() -> None:
    """"tell me if its ok" alone scored the data's trust health, weakly; after a sync, "it" is the
    sync, and its status is asked."""
    assert planned("sync stripe and then tell me if its ok") == ["sync_integration", "get_sync_status"]


def test_what_is_asked_about_the_records_listed_is_the_same_request() -> None:
    """"... and their owners": what to show of the deals listed, not a second request."""
    assert planned("list the open deals and their owners") == ["list_deals"]
    assert planned("Could you show me the completed predictions and their accuracy scores?") == [
        "list_predictions"]
    assert planned("show our customers and their emails") == ["list_customers"]


def test_reactivating_a_webhook_changes_the_webhook() -> None:
    assert planned("reactivate webhook wh_3") == ["update_webhook"]


def test_a_change_to_the_record_being_created_is_part_of_the_creation() -> None:
    """"... oh and give him the newsletter tag": the new lead gets the tag; there is no second
    step updating a customer that does not exist yet."""
    assert planned("can you save a new lead for me? it's Rafael Soto, number is 555-867-5309. "
                   "oh and give him the newsletter tag") == ["create_customer"]


def test_a_forecast_asked_in_a_reports_words_is_a_forecast() -> None:
    """"month by month" and "per week" are a trend's words, "forecast" a forecast's: the request
    looks ahead, and a month or quarter named without its year is the next one."""
    assert planned("revenue forecast jan through june 2027, month by month") == ["forecast_metric"]
    assert planned("forecast orders per week for January") == ["forecast_metric"]
    assert planned("revenue trend by month this year") == ["revenue_trend"]


def test_update_that_after_a_stated_change_is_no_step_of_its_own() -> None:
    assert planned("The Monarch Camping deal is looking a lot better, I'd put it at 80% now. "
                   "Can you update that?") == ["update_deal"]
    assert planned("check hubspot's sync status, then disconnect it") == [
        "get_sync_status", "disconnect_integration"]


def test_months_listed_after_and_are_no_requests() -> None:
    assert planned('Create an automation called "Quarterly feature blast" that emails all customers the '
                   "feature_highlight template at 10am on the 1st of January, April, July and October.") == [
        "create_automation"]


def test_a_request_opening_with_a_tools_verb_is_no_statement() -> None:
    """"forecast ... and tell me her churn risk": "forecast" opens a request, so "her" is no
    sign of a statement and its consequence; both steps run."""
    assert planned("forecast hannah lopez's spend for next quarter and tell me her churn risk") == [
        "forecast_customer_spend", "customer_churn_risk"]
    assert planned("Mia Miller hasn't ordered in ages and won't return calls - park her as inactive") == [
        "update_customer"]


def test_two_questions_with_values_of_their_own_are_two_calls() -> None:
    assert planned("what's sitting in negotiation right now? and how many deals have we lost overall") == [
        "list_deals", "list_deals"]
    assert planned("rotate wh_6's secret. Let the old one keep working for a day") == [
        "rotate_webhook_secret"]


def test_short_misspellings_and_unnamed_records() -> None:
    """"shwo" is "show" (two letters swapped into an English word the examples use); "one of my
    automations" names none, so which is asked; revoking keys without saying which asks too."""
    assert planned("shwo me deals worth more than 30k") == ["list_deals"]
    assert planned("lsit my deals") == ["list_deals"]


def test_a_verb_or_a_narrowing_after_a_request_is_part_of_it() -> None:
    assert planned("only paused webhooks pls, list") == ["list_webhooks"]
    assert planned("where our data comes from? only connectors") == ["list_lineage_sources"]


def _top(*rows: tuple[str, str]) -> dict[str, object]:
    customers = [{"rank": i + 1, "customer_id": cid, "name": name, "company": None, "status": "active",
                  "orders": 10 - i, "revenue": 1000.0 - i, "share_percent": 5.0,
                  "last_order_date": "2026-11-20"}
                 for i, (cid, name) in enumerate(rows)]
    return {"label": "this year", "start_date": "2026-01-01", "end_date": "2026-11-24", "currency": "USD",
            "customers": customers, "total_revenue": 20000.0, "total_orders": 100,
            "customers_with_orders": len(rows), "unattributed_revenue": 0.0}


def test_a_later_step_on_the_one_record_that_ranks_first() -> None:
    """"who's my single biggest customer this year? then check how likely they are to churn":
    the list is about many customers, but the request asked for the first; "my top 5
    customers ... and tag them" is not about one of them."""
    chat = Chat()
    name, _ = first_call(chat.say("who's my single biggest customer this year? then check how likely "
                                  "they are to churn"))
    assert name == "top_customers"
    assert first_call(chat.tool(_top(("c1", "Ana Ruiz"), ("c2", "Bo Chen")))) == (
        "customer_churn_risk", {"customer_id": "c1"})
    chat = Chat()
    first_call(chat.say("find whoever spent the most with us last month and tag them vip"))
    assert first_call(chat.tool(_top(("c7", "Ana Ruiz"), ("c2", "Bo Chen")))) == (
        "update_customer", {"add_tags": ["vip"], "customer_id": "c7"})
    chat = Chat()
    first_call(chat.say("show my top 5 customers this year, then check how likely they are to churn"))
    reply = chat.tool(_top(("c1", "Ana Ruiz"), ("c2", "Bo Chen")))
    assert not any(call["args"].get("customer_id") == "c1" for call in reply.tool_calls)


def test_parts_that_only_complete_the_request_are_not_steps() -> None:
    """A bound on the value, the record the part before left out, or how to show the answer."""
    assert planned("which deals are at proposal and worth under 10k") == ["list_deals"]
    assert planned("lifetime spend + order count for 4502bc05-358e-4c06-b544-2ba4ecebb83e") == [
        "customer_overview"]
    assert planned("open prediction 7f3a91c2-5b1e-4d0a-9c88-2e1f6a0b4d17 and show the results") == [
        "get_prediction"]
    assert planned("draw me how data moves from our apps into customers, orders and then the metrics") == [
        "data_flow"]


def test_a_step_on_what_the_step_before_made_takes_that_kind_of_record() -> None:
    """"set up a webhook ..., then tell me if it's healthy": the health of webhooks, not of the
    business's data."""
    assert planned("set up a webhook to https://hooks.example.com/won for deal.won events, then tell me "
                   "if it's healthy") == ["create_webhook", "webhook_health"]


def test_a_period_said_alone_or_a_value_after_ok_now_reruns_the_last_call() -> None:
    """"last year's lot?" after a ranking is the ranking for last year; "k now orders" after a
    revenue forecast is the orders forecast."""
    chat = Chat()
    asked = first_call(chat.say("who were my top customers this year"))
    assert asked == ("top_customers", {"period": "this_year"})
    chat.tool(_top(("c1", "Ana Ruiz")))
    assert first_call(chat.say("last year's lot?")) == ("top_customers", {"period": "last_year"})
    chat = Chat()
    name, args = first_call(chat.say("what will revenue look like over the next 30 days?"))
    assert (name, args["metric"]) == ("forecast_metric", "revenue")
    chat.tool({"points": []})
    name, again = first_call(chat.say("k now orders"))
    assert (name, again["metric"], again["start_date"]) == ("forecast_metric", "orders", args["start_date"])


def test_a_follow_up_never_turns_into_a_removal() -> None:
    """"ok now the other way round" after a list of deals had started ending the owner's other
    sessions (its words "other" and "now")."""
    chat = Chat()
    first_call(chat.say("which open deals are over 20k?"))
    chat.tool({"deals": [], "total": 0})
    reply = chat.say("ok now the other way round")
    assert all(call["name"] != "end_other_sessions" for call in reply.tool_calls)
