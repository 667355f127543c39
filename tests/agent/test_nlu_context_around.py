"""Requests with context around them (stop 27, after the blind set weak20): a sentence after the
request that only tells, a story before a request of several sentences, a person the story names
and the request calls "her", "from X to Y", "once that's done", asides, and the words of the
tools asked about least. The test plays the tools."""

from __future__ import annotations

from evals.routing_dev import planned
from tests.agent.test_nlu_model import Chat, customer, first_call, found


def test_a_sign_off_after_the_request_is_no_value_of_it() -> None:
    """'... please mark it as won. Drinks are on me tonight.' had looked up a deal called Drinks;
    '... Made my week.' and 'from prospect to an active customer' had set her back to prospect."""
    chat = Chat()
    assert first_call(chat.say("Finally!! Fatima Perez placed her first real order after months of samples. "
                               "Please switch her from prospect to an active customer. Made my week.")) == (
        "find_records", {"kind": "customer", "text": "Fatima Perez", "limit": 5})
    assert first_call(chat.tool(found("customer", "Fatima Perez", ("c1", "Fatima Perez", 97.0)))) == (
        "update_customer", {"status": "active", "customer_id": "c1"})


def test_what_the_owner_will_do_is_no_step() -> None:
    """'I'll switch it back on in January' had resumed the automation it had just paused."""
    assert planned("Two customers complained that our Monday payment nudges land while they're on holiday. "
                   "Please put the weekly invoice reminder on hold for a while; I'll switch it back on in "
                   "January.") == ["pause_automation"]


def test_a_sentence_after_the_request_may_still_give_a_value() -> None:
    reply = Chat().say("Can you pop Siobhan O'Neill into the CRM as a prospect? She's with Glenview Lodges.")
    assert first_call(reply) == (
        "create_customer", {"name": "Siobhan O'Neill", "company": "Glenview Lodges", "status": "prospect"})


def test_a_link_said_to_be_none_after_the_request() -> None:
    reply = Chat().say("The new cafe on Bridge Street wants aprons for their staff, about 7.5k all in. "
                       "Can you log that as a deal called 'Bridge Street Cafe - staff uniforms'? They're "
                       "not in the system as a customer yet, that's ok.")
    assert first_call(reply) == (
        "create_deal", {"title": "Bridge Street Cafe - staff uniforms", "value": 7500.0})


def test_a_story_before_a_request_of_two_sentences() -> None:
    """'My landlord is raising the rent ... What did we take in last month? Also lay out this year
    month by month' had been turned down for the landlord."""
    assert planned("My landlord is raising the rent in spring, so I'm trying to get my head around "
                   "the numbers. What did we take in last month? Also lay out this year month by month "
                   "for me.") == ["revenue_for_period", "revenue_trend"]


def test_a_request_of_two_steps_after_a_story_runs_both() -> None:
    assert planned("During the trade fair I checked BizPilot on a hotel computer and I'm not sure I logged "
                   "out. Sign me out everywhere except here, please. And while we're at it, who on the team "
                   "still hasn't turned on MFA?") == ["end_other_sessions", "team_security"]


def test_the_person_a_story_names_is_her() -> None:
    """'Hannah Scott from Hooli is coming by the shop later and I want to be prepared. Can you pull
    up her record?' had been turned down for the shop visit."""
    chat = Chat()
    assert first_call(chat.say("Morning! Hannah Scott from Hooli is coming by the shop later and I want "
                               "to be prepared. Can you pull up her record?")) == (
        "find_records", {"kind": "customer", "text": "Hannah Scott", "limit": 5})
    assert first_call(chat.tool(found("customer", "Hannah Scott", ("c4", "Hannah Scott", 97.0))))[0] == (
        "get_customer")


def test_a_new_customer_and_her_deal_after_the_story_that_names_her() -> None:
    chat = Chat()
    reply = chat.say("Met a lovely woman at the craft fair, Rosa Delgado, she runs Bellweather Bakes. "
                     "Add her as a new lead with rosa@bellweatherbakes.com, and open a 3,200 deal for her "
                     "called 'Bellweather Bakes - staff aprons'.")
    assert first_call(reply) == ("create_customer", {
        "email": "rosa@bellweatherbakes.com", "company": "Bellweather Bakes", "status": "lead",
        "name": "Rosa Delgado"})
    made = chat.tool({"customer": customer("c5", "Rosa Delgado", "Bellweather Bakes")})
    assert first_call(made) == ("create_deal", {"title": "Bellweather Bakes - staff aprons", "value": 3200.0,
                                                "customer_id": "c5"})


def test_once_that_is_done_starts_the_next_step() -> None:
    assert planned("Jane Thomas should be vip. once that's done, list me every vip customer from Oscorp") == [
        "update_customer", "list_customers"]


def test_a_request_no_tool_does_after_a_story_about_revenue_is_declined() -> None:
    reply = Chat().say("November revenue was the best month we've ever had, so I want to put some aside. "
                       "Please move 5,000 from the business current account into our savings pot. Thanks!")
    assert not reply.tool_calls


def test_values_of_the_tools_asked_about_least() -> None:
    assert first_call(Chat().say("churned ppl with 'khan' in there name?")) == (
        "list_customers", {"search": "khan", "status": "churned"})
    assert first_call(Chat().say("last 5 sync runs of hubspot please")) == (
        "list_sync_runs", {"limit": 5, "connection": "hubspot"})
    assert first_call(Chat().say("did the weekly invoice reminder have any runs that failed?")) == (
        "list_automation_runs", {"status": "failed", "automation": "weekly invoice reminder"})
    assert first_call(Chat().say("Show me how data travels from each source into the metrics. Include the "
                                 "record types that have nothing in them too.")) == (
        "data_flow", {"include_empty": True})
    name = first_call(Chat().say("Set up our till system as a custom connector. Name: tillpoint_api, base "
                                 "URL https://api.tillpoint.example/v1, auth is an API key"))
    assert name[0] == "create_custom_connector" and name[1]["name"] == "tillpoint_api"


def test_tags_end_at_the_next_verb_and_a_company_at_the_sentence() -> None:
    made = first_call(Chat().say("New lead pls: Kenji Watanabe, kenji.w@sakuradesign.jp, works at Sakura "
                                 "Design. tag him trade-fair"))
    assert made[1]["company"] == "Sakura Design" and made[1]["tags"] == ["trade-fair"]
    chat = Chat()
    chat.say("find Ava Perez")
    chat.tool(found("customer", "Ava Perez", ("c6", "Ava Perez", 97.0)))
    assert first_call(chat.say("tag her vip and mark her as inactive")) == (
        "update_customer", {"status": "inactive", "add_tags": ["vip"], "customer_id": "c6"})


def test_what_the_first_week_asks_of_the_tools_asked_about_least() -> None:
    """From the blind set weak21: a frame before the question, a period said as 'behind it', a
    connection named before as the source 'it' sends, a narrowed follow-up of the list shown."""
    assert planned("Out of all the deals we closed, what percent did we actually win?") == [
        "pipeline_summary"]
    assert planned("How much money came in this month, and who are the top 3 customers behind it?") == [
        "revenue_for_period", "top_customers"]
    chat = Chat()
    chat.say("show me the action history")
    chat.tool({"entries": [], "total": 0})
    assert first_call(chat.say("just the automation runs in there")) == (
        "action_history", {"type": "automation_run"})
    assert first_call(Chat().say("Which of our webhooks get pinged when a new customer is created?")) == (
        "list_webhooks", {"event": "customer.created"})
    audit = Chat().say("what has Marco been up to in here? his email is sales@northwind.example.com")
    assert first_call(audit) == ("list_audit_log", {"user_email": "sales@northwind.example.com"})


def test_a_name_after_the_and_a_request_after_so() -> None:
    paused = Chat().say("hold off the lead nurture campaign for now, we are rewriting the emails")
    assert first_call(paused) == ("pause_automation", {"name": "lead nurture campaign"})
    scrapped = Chat().say("we chase unpaid bills by hand now, so scrap the weekly invoice reminder thing")
    assert first_call(scrapped) == ("delete_automation", {"name": "weekly invoice reminder"})


def test_a_story_that_names_another_kind_of_record_is_no_object_of_the_verb() -> None:
    """'the IT guy says old api keys are a risk. revoke mine ...' had been declined for the guy."""
    reply = Chat().say("the IT guy says old api keys are a risk. revoke mine that are older than 180 days")
    assert first_call(reply) == ("revoke_api_keys", {"older_than_days": 180})


def test_a_deal_for_a_customer_is_titled_by_what_she_wants() -> None:
    chat = Chat()
    chat.say("Hannah Lopez wants 40 camping chairs for her group. put in a deal for 4,500, we're already at "
             "the proposal stage")
    made = first_call(chat.tool(found("customer", "Hannah Lopez", ("c7", "Hannah Lopez", 97.0))))
    assert made == ("create_deal", {"value": 4500.0, "stage": "proposal", "customer_id": "c7",
                                    "title": "Hannah Lopez - 40 camping chairs"})


def test_two_statements_before_the_request_are_its_context() -> None:
    """'A walk-in ... left her number, +44 .... I didn't catch her name though. Can you add her as a
    lead?' had changed a customer the conversation never named, then added one called Walk-in."""
    reply = Chat().say("A walk-in asked to hear about our spring range and left her number, +44 7700 "
                       "900123. I didn't catch her name though, it was a busy moment. Can you add her as a "
                       "lead?")
    assert not reply.tool_calls and "name" in str(reply.content).lower()


def test_go_ahead_after_a_statement_is_no_step_of_its_own() -> None:
    assert planned("We're cancelling our Stripe account at the end of the year since we moved to another "
                   "processor. Go ahead and disconnect Stripe here so it stops trying to sync.") == [
        "disconnect_integration"]
