"""Text as a reader sees it."""

from __future__ import annotations


def flat(text: str) -> str:
    """``text`` with every run of whitespace, line breaks included, made one space."""
    return " ".join(text.split())
