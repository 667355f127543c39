"""Automations that really run: cron schedules and domain-event triggers, actions (e-mail through
SMTP or the outbox, tasks, Slack incoming webhooks, outgoing webhooks) with durable delays, every
run and outcome in the run history and the audit log.

Modules: `timing` (cron, schedule phrases, delays), `recipients` (named recipient rules),
`templates` (Jinja2, autoescaped), `mailer` (SMTP or outbox), `actions` (what each action does),
`engine` (jobs: ticks, event runs, steps), `service` (records), `tools` (the capabilities).
"""
