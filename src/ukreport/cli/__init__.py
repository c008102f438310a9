"""The ``ukreport`` command: one subcommand per pipeline stage, as Make calls them.

The subcommands are listed in :mod:`.table` and run by :mod:`.commands` (which
remembers what ``validate`` said through :mod:`.remembered`), except the one that
runs until stopped, :mod:`.preview`; this module parses the arguments and turns every
expected error into one line and an exit status. It is the only code that prints,
and the top floor: it wires the pipeline's runner into preview.

Exit status: 0 success, 1 invalid data, 2 unreadable input or bad usage. Expected
problems are reported in one line each, never as a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType

from ukreport.cli.commands import main_diff, main_schema_check, worded
from ukreport.cli.table import COMMANDS
from ukreport.errors import Terminated, UkreportError

__all__ = ["COMMANDS", "build_parser", "main", "main_diff", "main_schema_check"]

log = logging.getLogger("ukreport")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, built from :data:`COMMANDS` (also documents the CLI)."""
    from ukreport import __version__

    parser = argparse.ArgumentParser(
        prog="ukreport",
        description="Validate, publish and report on the US–Russia–Ukraine diplomacy datasets.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        sub = commands.add_parser(command.name, help=command.help, description=command.description)
        for argument in command.args:
            sub.add_argument(*argument.flags, **argument.options)
        sub.set_defaults(run=command.run)
    return parser


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


def _clean_up_on_termination() -> None:
    """SIGTERM and SIGHUP raise :class:`Terminated` (a ``KeyboardInterrupt``), so a
    killed run removes its temporary files and stops its kernel as Ctrl-C does.
    Dispositions set by whoever started the process (an ignored SIGHUP under
    ``nohup``) are kept."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, _terminate)


def _without_data_generation() -> None:
    """Keep pandera from importing hypothesis, which it loads (when installed) only to
    offer generating test data, something no command does: a sixth of a second off
    every command that validates. A process that has already imported it keeps it."""
    sys.modules.setdefault("hypothesis", None)  # type: ignore[arg-type]


def _absolute_data_dir() -> None:
    """A relative ``UKREPORT_DATA_DIR`` names a folder from where the command was run:
    made absolute here, before any process is started, it names the same folder to the
    renderer and to the kernel, which runs in the essay's folder."""
    value = os.environ.get("UKREPORT_DATA_DIR")
    if value and not Path(value).is_absolute():
        os.environ["UKREPORT_DATA_DIR"] = str(Path(value).absolute())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    _without_data_generation()
    _absolute_data_dir()
    parser = build_parser()
    args = parser.parse_args(argv)
    _clean_up_on_termination()
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(name)s: %(message)s",
    )
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except UkreportError as error:
        if args.debug:
            raise
        print(f"ukreport: {worded(error)}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt as stop:
        if isinstance(stop, Terminated):
            signum = int(stop.args[0]) if stop.args else signal.SIGTERM
            print(f"ukreport: stopped by {signal.Signals(signum).name}", file=sys.stderr)
            return 128 + signum
        print("ukreport: interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        if args.debug:
            raise
        print(
            f"ukreport: internal error: {type(error).__name__}: {error} "
            "(run again with --debug to see the traceback, and please report it)",
            file=sys.stderr,
        )
        return 3
