"""Logging that helps an operator without exposing anyone."""

import logging
import re
from typing import TextIO

_TOKEN_PATTERN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}|bot\d+:[A-Za-z0-9_-]+")
_NOISY_LOGGERS = ("httpx", "httpcore", "apscheduler", "aiohttp.access")


class RedactTokens(logging.Filter):
    """Replace anything shaped like a bot token, whatever logger it came from."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _TOKEN_PATTERN.sub("[token]", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def configure_logging(level: str, stream: TextIO | None = None) -> None:
    """Root handler (stderr by default) with token redaction; chatty libraries at WARNING."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokens())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs each request URL at INFO, and the URL carries the bot token.
    for name in _NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
