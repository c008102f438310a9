"""The old import path of :mod:`ukreport.validation.validate`, kept so existing imports
(the build runner's) keep working; new code imports the validation wing."""

from __future__ import annotations

from ukreport.validation.validate import validate

__all__ = ["validate"]
