"""Where a row's source may come from: the reviewed deny-list of hosts.

A report that checks an essay against the record is only as good as the pages the
record cites, so hosts without standing (mirrors, scrapers, content farms, fringe and
propaganda outlets) are listed with the reason in ``denied-hosts.toml`` beside this
module, and ``ukreport validate`` rejects a row that cites one.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from urllib.parse import urlsplit

__all__ = ["denied_hosts", "denied_pattern", "denied_reason", "host_of"]


@functools.cache
def _entries() -> tuple[tuple[str, str], ...]:
    text = resources.files("ukreport").joinpath("denied-hosts.toml").read_text(encoding="utf-8")
    hosts = tomllib.loads(text)["host"]
    return tuple(sorted((entry["name"].lower(), entry["reason"]) for entry in hosts))


def denied_hosts() -> list[str]:
    """The denied host names, sorted (a host also denies its subdomains)."""
    return [name for name, _ in _entries()]


def denied_pattern(names: list[str]) -> str:
    """A regular expression matching a URL whose host is one of ``names`` or below it."""
    alternatives = "|".join(name.replace(".", r"\.") for name in names)
    return rf"^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?(?:[^/?#:@]*\.)?(?:{alternatives})\.?(?::\d*)?(?:[/?#]|$)"


def host_of(url: str) -> str:
    """The lower-case host of ``url`` (empty when there is none)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def denied_reason(url: str) -> str | None:
    """Why ``url``'s host may not be cited, or ``None`` when it may."""
    host = host_of(url)
    for name, reason in _entries():
        if host == name or host.endswith("." + name):
            return f"{name}: {reason}"
    return None
