"""Importing this module registers every capability. Add a new domain module here."""

from tools.crm import customers, deals, rankings, revenue, trends  # noqa: F401
from tools.workspaces import tools as workspace_tools  # noqa: F401
