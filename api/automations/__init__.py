"""Automation routes: document 000's ops copilot automations and document 001's workflows."""
