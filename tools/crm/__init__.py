"""CRM capabilities: customers, deals, pipeline, revenue."""
