"""The errors a person can cause; the web layer maps every one of them to a 400."""
from __future__ import annotations


class ChainruleError(ValueError):
    """A problem with what the person asked for: a plain message and, where it helps,
    the character offset in the expression."""

    def __init__(self, message: str, offset: int | None = None):
        super().__init__(message)
        self.message = message
        self.offset = offset


class ParseError(ChainruleError):
    """The expression is not one we accept."""


class ValueError_(ChainruleError):
    """A variable's value is not one we accept."""


class LimitError(ChainruleError):
    """The request is larger than a documented limit."""
