"""Settings for one benchmark section: the helper now lives in core.env (evals and tests use it
too); this name stays importable for code written against it."""

from core.env import settings_env

__all__ = ["settings_env"]
