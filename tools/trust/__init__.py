"""The trust layer: health of each connected source from its signals, and incidents that open
and resolve themselves."""
