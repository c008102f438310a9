"""The parts a subcommand is declared with (:mod:`ukreport.cli.table` lists them): an
argument, a command, and the argument types that refuse out-of-range values with a
usage message instead of an internal error."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Arg", "Command", "arg", "count", "port", "seconds"]


@dataclass(frozen=True)
class Arg:
    """One ``add_argument`` call: its flags and options."""

    flags: tuple[str, ...]
    options: dict[str, Any]


def arg(*flags: str, **options: Any) -> Arg:
    return Arg(flags, options)


@dataclass(frozen=True)
class Command:
    """A subcommand: its name, help, arguments, and the function that runs it."""

    name: str
    help: str
    description: str
    run: Callable[[argparse.Namespace], int]
    args: tuple[Arg, ...] = ()


def count(text: str) -> int:
    """A count of 0 or more, for ``--max-errors``."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def port(text: str) -> int:
    """A TCP port, for ``--port``: 0 (any free one) to 65535."""
    value = count(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535, not {value}")
    return value


def seconds(text: str) -> int:
    """A time limit in whole seconds, 1 or more: 0 would mean no limit at all."""
    value = count(text.removeprefix("-")) if text.startswith("-") else count(text)
    if value == 0 or text.startswith("-"):
        raise argparse.ArgumentTypeError(f"must be 1 or more seconds, not {text}")
    return value
