"""Importing this module registers every capability. Add a new domain module here."""

# Capabilities, and how people ask for them (each `*_language` module declares a tool's examples,
# synonyms and phrasing: the offline model is trained from these declarations).
import tools.crm.analytics_language
import tools.crm.customer_overview
import tools.crm.customer_overview_language
import tools.crm.customers_language
import tools.crm.deals_language
import tools.workspaces.language  # noqa: F401  (binds `tools`; imported for its declarations)
from tools import lookup  # noqa: F401  (find_records: names to ids, with its language)
from tools.action_history import language as action_history_language  # noqa: F401
from tools.automations import engine as automation_engine  # noqa: F401  (jobs, event subscriber)
from tools.automations import language as automation_language  # noqa: F401
from tools.automations import tools as automation_tools  # noqa: F401
from tools.connectors import language as connector_language  # noqa: F401
from tools.connectors import schedule as connector_schedule  # noqa: F401
from tools.connectors import tools as connector_tools  # noqa: F401
from tools.crm import customers, deals, rankings, revenue, trends  # noqa: F401
from tools.identity import access_language, access_tools, mfa_tools  # noqa: F401
from tools.identity import tools as identity_tools  # noqa: F401
from tools.insights import language as insight_language  # noqa: F401  (insight and churn tools)
from tools.insights import schedule as insight_schedule  # noqa: F401
from tools.jobs import language as jobs_language  # noqa: F401
from tools.jobs import tools as job_tools  # noqa: F401
from tools.lineage import language as lineage_language  # noqa: F401
from tools.lineage import tools as lineage_tools  # noqa: F401
from tools.predictions import catalog as prediction_catalog  # noqa: F401
from tools.security import audit_log, score  # noqa: F401
from tools.security import language as security_language  # noqa: F401
from tools.simulation import language as simulation_language  # noqa: F401  (simulator and planner)
from tools.trust import language as trust_language  # noqa: F401
from tools.trust import tools as trust_tools  # noqa: F401
from tools.webhooks import delivery as webhook_delivery  # noqa: F401
from tools.webhooks import language as webhook_language  # noqa: F401
from tools.webhooks import tools as webhook_tools  # noqa: F401
from tools.workspaces import tools as workspace_tools  # noqa: F401
