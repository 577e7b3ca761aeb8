"""Real-browser comparison (``webext-runtime compare``); needs the ``compare`` extra."""
