"""Data lineage and data quality: where every record and field came from, and how good it is."""
