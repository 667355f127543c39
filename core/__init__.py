"""Cross-cutting foundations every layer may import: settings, errors, ids, clock."""
