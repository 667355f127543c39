"""Importing this module registers the forecasting tools, their language and the prediction job
(tools.catalog imports it)."""

from tools.predictions import ask, document_tools, jobs, language, module_tools, tools  # noqa: F401
