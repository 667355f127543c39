"""Request bodies of the REST surface that are not tool inputs (auth, chat)."""
