"""tracker: which stocks people talk about, and in what tone, across English and Chinese posts."""

__version__ = "0.1.0"
