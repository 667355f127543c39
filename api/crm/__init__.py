"""The CRM over REST: customers, deals and the pipeline, for every path family."""
