"""Credentials written into a request are read by the connectors' own reader (a tool-owned
`read` hook, not a rule in agent/), and a connection without what its type needs is asked for
instead of being attempted."""

from __future__ import annotations

from tests.agent.test_nlu_model import Chat, first_call
from tools.connectors.reading import missing_credentials, read_credentials, read_custom_config


def test_a_shop_domain_and_token_in_the_request_are_its_credentials() -> None:
    chat = Chat()
    name, args = first_call(chat.say(
        "connect shopify, our store is bloom-goods.myshopify.com and the token is shpat_3f9a21c0b7"))
    assert name == "connect_integration"
    assert args["type"] == "shopify"
    assert args["credentials"] == {"shopDomain": "bloom-goods.myshopify.com", "apiKey": "shpat_3f9a21c0b7"}


def test_a_key_keeps_its_case() -> None:
    args = read_credentials("here's our stripe secret key sk_live_51HaBc123, connect it", {"type": "stripe"})
    assert args == {"credentials": {"apiKey": "sk_live_51HaBc123"}}


def test_ordinary_words_and_numbers_are_not_credentials() -> None:
    assert read_credentials("connect stripe for order 12345678 please", {"type": "stripe"}) == {}
    assert read_credentials("connect hubspot to customer3 now", {"type": "hubspot"}) == {}


def test_a_connection_without_its_credentials_is_asked_for() -> None:
    chat = Chat()
    reply = chat.say("connect shopify")
    assert not reply.tool_calls
    assert "shop domain" in str(reply.content).lower()
    name, args = first_call(chat.say("bloom.myshopify.com, token shpat_77aa01"))
    assert name == "connect_integration"
    assert args["type"] == "shopify"
    assert args["credentials"] == {"shopDomain": "bloom.myshopify.com", "apiKey": "shpat_77aa01"}


def test_only_a_known_type_missing_a_required_field_is_asked_about() -> None:
    assert missing_credentials({"type": "shopify", "credentials": {"apiKey": "shpat_1a"}}) == ["credentials"]
    assert missing_credentials({"type": "stripe", "credentials": {"apiKey": "sk_test_1a"}}) == []
    assert missing_credentials({"type": "quickbooks"}) == []  # the tool answers which types exist


def test_credentials_given_over_two_answers_are_kept_together() -> None:
    chat = Chat()
    chat.say("connect shopify please")
    assert not chat.say("the domain is bloom.myshopify.com").tool_calls  # the token is still missing
    name, args = first_call(chat.say("token shpat_77aa01"))
    assert name == "connect_integration"
    assert args["credentials"] == {"shopDomain": "bloom.myshopify.com", "apiKey": "shpat_77aa01"}


def test_a_custom_api_connector_is_read_from_the_request() -> None:
    name, args = first_call(Chat().say("add a custom connector called warehouse_api for "
                                       "https://api.mywarehouse.com/v2 using bearer token abc123xyz"))
    assert name == "create_custom_connector"
    assert args["name"] == "warehouse_api"
    assert args["config"] == {"base_url": "https://api.mywarehouse.com/v2", "auth_type": "bearer_token",
                              "auth_config": {"token": "abc123xyz"}}


def test_a_custom_api_without_auth_or_with_a_key() -> None:
    text = "connector named pos_feed at https://pos.example.com/api, no auth needed"
    assert read_custom_config(text, {}) == {
        "config": {"base_url": "https://pos.example.com/api", "auth_type": "none"}, "name": "pos_feed"}
    assert read_custom_config("loyalty_app -> https://loyalty.example.io/api with api key lk_123456", {}) == {
        "config": {"base_url": "https://loyalty.example.io/api", "auth_type": "api_key",
                   "auth_config": {"apiKey": "lk_123456"}}}
    assert read_custom_config("add a custom connector for our api", {}) == {}


def test_a_custom_api_with_basic_auth_and_field_mappings() -> None:
    """The user and password of basic auth, and "map total -> revenue (number)", are read into
    the call; the connector's name is one the owner gave, never a word of the URL or a value."""
    text = ("add a custom connector named bookings at https://book.example.com/api, basic auth user admin / "
            "pass hunter2, map total -> revenue (number) and created to order_date as datetime")
    name, args = first_call(Chat().say(text))
    assert (name, args["name"]) == ("create_custom_connector", "bookings")
    assert args["config"]["auth_config"] == {"username": "admin", "password": "hunter2"}
    assert args["field_mappings"] == [
        {"source_field": "total", "target_field": "revenue", "data_type": "number"},
        {"source_field": "created", "target_field": "order_date", "data_type": "datetime"}]
    reply = Chat().say("pull in our booking api too: https://api.bookrig.com/v1, basic auth, "
                       "user admin / pass Rig2026!")
    assert not reply.tool_calls and "called" in str(reply.content)  # asked, not named "Https" or "Rig2026"
