"""The old import path of :mod:`ukreport.validation.report`, kept so existing imports
(the build manifest's) keep working; new code imports the validation wing."""

from __future__ import annotations

from ukreport.validation.report import Report

__all__ = ["Report"]
