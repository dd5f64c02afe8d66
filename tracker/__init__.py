"""tracker: which stocks people talk about, and in what tone, across English and Chinese posts."""

import logging as _logging

import jieba as _jieba

__version__ = "0.1.0"

# jieba sets its logger to DEBUG with a stderr handler when imported; a cron job must stay
# quiet unless something failed, so its start-up chatter is held back to warnings.
_jieba.setLogLevel(_logging.WARNING)
