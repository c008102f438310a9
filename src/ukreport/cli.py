"""The ``ukreport`` command: one subcommand per pipeline stage, as Make calls them.

Exit status: 0 success, 1 invalid data, 2 unreadable input or bad usage. Expected
problems are reported in one line each, never as a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ukreport import paths
from ukreport.errors import UkreportError, ValidationFailed
from ukreport.extras import require_report

log = logging.getLogger("ukreport")


def _done(what: str, started: float) -> None:
    """The one line each step prints: what it did and how long it took."""
    print(f"{what} ({time.perf_counter() - started:.2f} s)", file=sys.stderr)


def _validate(args: argparse.Namespace) -> int:
    from ukreport.validate import validate
    from ukreport.validation_report import render_report

    started = time.perf_counter()
    report = validate(args.paths)
    text = render_report(report, args.format)
    if args.output:
        from ukreport._io import write_atomically

        write_atomically(args.output, text.encode("utf-8"))
    elif text:
        sys.stdout.write(text)
    tables = ", ".join(f"{name} ({report.rows.get(name, 0)} rows)" for name in report.tables)
    verdict = "valid" if report.valid else f"{len(report.failures)} failure(s)"
    _done(f"validated {tables}: {verdict}", started)
    return report.exit_code


def _process(args: argparse.Namespace) -> int:
    from ukreport.process import process

    started = time.perf_counter()
    try:
        written = process(args.raw, args.out)
    except ValidationFailed as failed:
        for failure in failed.failures:
            print(failure, file=sys.stderr)
        print(f"ukreport: nothing written to {args.out}: the raw data are invalid", file=sys.stderr)
        return 1
    _done(f"validated {args.raw} and wrote {len(written)} files to {args.out}", started)
    return 0


def _schemas(args: argparse.Namespace) -> int:
    from ukreport.tableschema import write_schemas

    started = time.perf_counter()
    written = write_schemas(args.out)
    _done(f"wrote {len(written)} Table Schemas to {args.out}", started)
    return 0


def _deps(args: argparse.Namespace) -> int:
    from ukreport._io import write_atomically
    from ukreport.build.deps import makefile_fragment

    started = time.perf_counter()
    write_atomically(args.out, makefile_fragment(args.root).encode("utf-8"))
    _done(f"wrote {args.out}", started)
    return 0


def _figures(args: argparse.Namespace) -> int:
    require_report("figures")
    from ukreport.report.figures import build_figures

    started = time.perf_counter()
    written = build_figures(args.out)
    _done(f"drew {len(written)} figure files in {args.out}", started)
    return 0


def _render(args: argparse.Namespace) -> int:
    require_report("render")
    from ukreport.report.render import render

    started = time.perf_counter()
    formats = args.formats or ["html", "pdf"]
    try:
        written = render(
            args.source,
            args.out_dir,
            engine=args.engine,
            formats=formats,
            timeout=args.timeout,
            cache=args.cache,
        )
    except UkreportError as error:
        trace = getattr(error, "traceback", None)
        if args.debug and trace:
            print(trace, file=sys.stderr)
        raise
    names = ", ".join(str(path) for path in written)
    _done(f"rendered {names}", started)
    return 0


def main_diff(
    base: str,
    head: str | None = None,
    *,
    fmt: str = "text",
    exit_zero: bool = False,
    output: Path | None = None,
) -> int:
    """``ukreport diff``: write the report to ``output`` or standard output; 0 no
    change, 1 changes (0 with ``exit_zero``)."""
    from ukreport._io import write_atomically
    from ukreport.review.diff import diff_datasets
    from ukreport.review.diff_format import render_diff

    result = diff_datasets(base, head)
    text = render_diff(result, fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomically(output, text.encode("utf-8"))
    return result.exit_code(exit_zero=exit_zero)


def _diff(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    status = main_diff(
        args.base, args.head, fmt=args.format, exit_zero=args.exit_zero, output=args.output
    )
    _done(f"compared the data at {args.base} with {args.head or 'the working tree'}", started)
    return status


def main_schema_check(base: str | None = None, *, changelog: bool = False) -> int:
    """``ukreport schema-check``: print the report; 0 compatible, 1 not bumped enough."""
    from ukreport.review.schemacheck import schema_check

    report, status = schema_check(base, changelog=changelog)
    sys.stdout.write(report)
    return status


def _schema_check(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    status = main_schema_check(args.base, changelog=args.changelog)
    _done(f"checked schemas/ and the version against {args.base or 'the last tag'}", started)
    return status


def _manifest(args: argparse.Namespace) -> int:
    from ukreport.build.manifest import write_manifest

    started = time.perf_counter()
    out = write_manifest(args.root, args.out)
    _done(f"wrote {out}", started)
    return 0


def _verify_manifest(args: argparse.Namespace) -> int:
    from ukreport.build.manifest import verify_manifest

    started = time.perf_counter()
    result = verify_manifest(args.root, args.manifest)
    for line in result.lines():
        print(line)
    _done(result.summary(), started)
    return result.exit_code


def _verify(args: argparse.Namespace) -> int:
    from ukreport.build.reproduce import verify

    return verify(args.root, venv=args.venv, keep=args.keep)


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


_MANIFEST = paths.BUILD_DIR / "manifest.json"
_ROOT = arg("--root", type=Path, default=Path(), help="repository root (default .)")
_OUTPUT = arg(
    "--output",
    type=Path,
    metavar="PATH",
    help="write the report to PATH instead of standard output",
)

COMMANDS: tuple[Command, ...] = (
    Command(
        "validate",
        "check raw tables against the schemas",
        "Check raw CSV tables (files, or folders holding all four) and report "
        "every failure as file:line:column. Exit 0 valid, 1 invalid, 2 unreadable.",
        _validate,
        (
            arg(
                "paths",
                nargs="*",
                type=Path,
                metavar="PATH",
                help=f"a raw CSV or a folder of them (default {paths.RAW_DIR})",
            ),
            arg(
                "--format",
                choices=("text", "json", "junit"),
                default="text",
                help="report format (default text)",
            ),
            _OUTPUT,
        ),
    ),
    Command(
        "process",
        "validate, then write the cleaned data package",
        "Validate the raw tables and write CSV, Parquet and datapackage.json. "
        "Writes nothing when the raw data are invalid.",
        _process,
        (
            arg("--raw", type=Path, default=paths.RAW_DIR, help="raw data folder"),
            arg("--out", type=Path, default=paths.PROCESSED_DIR, help="output folder"),
        ),
    ),
    Command(
        "schemas",
        "export the models as Frictionless Table Schemas",
        "Write raw/ and processed/ Table Schemas generated from the pandera models.",
        _schemas,
        (arg("--out", type=Path, default=paths.SCHEMAS_DIR, help="output folder"),),
    ),
    Command(
        "deps",
        "write the code each build step runs (deps.mk), from the package's imports",
        "Write deps.mk: for each build step, the import closure of its entry "
        "modules, as the Make variables the Makefile's rules depend on.",
        _deps,
        (
            arg("--root", type=Path, default=Path(), help="repository root"),
            arg("--out", type=Path, default=Path("deps.mk"), help="output file"),
        ),
    ),
    Command(
        "figures",
        "draw the report's figures (SVG and PNG) from the processed data",
        "Draw every figure as SVG and PNG, with figures.json giving its alt text.",
        _figures,
        (arg("--out", type=Path, default=paths.FIGURES_DIR, help="output folder"),),
    ),
    Command(
        "render",
        "execute the essay and render it to HTML and PDF",
        "Run the essay's Python cells on a Jupyter kernel and render HTML "
        "(pandoc) and PDF (pandoc and typst); or hand it to Quarto with --engine quarto.",
        _render,
        (
            arg(
                "source",
                nargs="?",
                type=Path,
                default=paths.ESSAY,
                help=f"the .qmd file (default {paths.ESSAY})",
            ),
            arg(
                "--out-dir",
                type=Path,
                default=paths.BUILD_DIR,
                help=f"where the outputs go (default {paths.BUILD_DIR})",
            ),
            arg(
                "--engine",
                choices=("embedded", "quarto", "auto"),
                default="embedded",
                help="embedded (default; needs nothing outside PyPI), quarto, or "
                "auto (quarto when it is on PATH)",
            ),
            arg(
                "--format",
                dest="formats",
                action="append",
                choices=("html", "pdf"),
                help="an output format; repeat for several (default both)",
            ),
            arg("--timeout", type=int, default=120, help="seconds each cell may run (default 120)"),
            arg(
                "--no-cache",
                dest="cache",
                action="store_false",
                help="run every cell even when nothing the outputs depend on has changed",
            ),
        ),
    ),
    Command(
        "manifest",
        "record every output's hash and what it was made from",
        "Write the build manifest: each output's SHA-256 and those of the data, "
        "text and code it was made from, the git commit, the versions of Python and the "
        "libraries, and the validation result.",
        _manifest,
        (
            _ROOT,
            arg("--out", type=Path, default=_MANIFEST, help=f"output file (default {_MANIFEST})"),
        ),
    ),
    Command(
        "verify-manifest",
        "say which outputs are stale against the manifest",
        "Re-hash the files the manifest lists and name each output that is "
        "missing, changed, or stale because an input changed. "
        "Exit 0 all fresh, 1 some are not, 2 no manifest.",
        _verify_manifest,
        (
            _ROOT,
            arg(
                "--manifest",
                type=Path,
                metavar="PATH",
                help=f"the manifest (default ROOT/{_MANIFEST})",
            ),
        ),
    ),
    Command(
        "verify",
        "build everything twice in fresh copies and compare every byte",
        "Copy the working tree into two temporary folders, run make schemas "
        "data figures report in each, and compare every output. "
        "Exit 0 identical, 1 different, 2 a build failed.",
        _verify,
        (
            _ROOT,
            arg("--venv", type=Path, help="virtual environment (default ROOT/.venv)"),
            arg("--keep", action="store_true", help="keep the two copies"),
        ),
    ),
    Command(
        "diff",
        "show what changed in the data between two revisions or folders",
        "Compare data/raw/*.csv at BASE with HEAD (default: the working tree): "
        "rows added, removed and changed (matched by id) cell by cell, and columns added, "
        "removed or retyped. BASE and HEAD are git revisions, or folders holding the four "
        "tables. Exit 0 no change, 1 changes (0 with --exit-zero), 2 unknown revision or "
        "unreadable table.",
        _diff,
        (
            arg("base", metavar="BASE", help="git revision or folder to compare from"),
            arg(
                "head",
                nargs="?",
                metavar="HEAD",
                help="git revision or folder to compare to (default: the working tree)",
            ),
            arg(
                "--format",
                choices=("text", "markdown", "json"),
                default="text",
                help="report format (default text; markdown for a pull-request comment)",
            ),
            _OUTPUT,
            arg("--exit-zero", action="store_true", help="exit 0 even when something changed"),
        ),
    ),
    Command(
        "schema-check",
        "check that the version bump covers the schema changes since a release",
        "Compare schemas/ with BASE (default: the last release tag), classify "
        "each change as breaking, minor or patch, and fail when [project].version in "
        "pyproject.toml is not bumped enough (SemVer; below 1.0.0, one place lower). "
        "Exit 0 compatible, 1 bump insufficient, 2 usage error.",
        _schema_check,
        (
            arg(
                "base",
                nargs="?",
                metavar="BASE",
                help="git revision to compare with (default: git describe --tags --abbrev=0)",
            ),
            arg(
                "--changelog",
                action="store_true",
                help="also require a dated CHANGELOG.md entry (## [X.Y.Z] - YYYY-MM-DD) "
                "when the version changed",
            ),
        ),
    ),
)
"""Every subcommand, in the order ``ukreport --help`` lists them."""


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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
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
        print(f"ukreport: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
