"""What each subcommand does: call the library, write its result, print one line.

The library returns results and never prints; these functions are where results
become output (standard output, ``--output`` files, the one timing line on standard
error), so the whole of the command line's output is in this package.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ukreport.errors import EngineMissing, UkreportError, ValidationFailed
from ukreport.extras import require_report

if TYPE_CHECKING:
    from ukreport.cli.remembered import Keyed, Said


def called_by_make() -> bool:
    """Whether the project's Makefile ran this command: its step rules say so in
    ``UKREPORT_CALLED_AS`` (``MAKELEVEL`` is set in any Make's recipes, ``make test``'s
    too, where the options are the words to use)."""
    return os.environ.get("UKREPORT_CALLED_AS") == "make"


def worded(error: UkreportError) -> str:
    """``error`` in the words of how the command was called: the Makefile's variables
    (``ENGINE=quarto``) under ``make``, the command's options (``--engine quarto``)
    otherwise."""
    if isinstance(error, EngineMissing):
        if called_by_make():
            return error.worded(f"drop ENGINE={error.engine} to use the built-in engine")
        return error.worded(f"leave out --engine {error.engine} to use the built-in engine")
    return str(error)


def _done(what: str, started: float) -> None:
    """The one line each step prints: what it did and how long it took."""
    print(f"{what} ({time.perf_counter() - started:.2f} s)", file=sys.stderr)


def write_output(text: str, output: Path | None) -> None:
    """A report to the ``--output`` file (replaced whole; a regular file or a link to
    one, see :func:`ukreport._io.output_file`) or to standard output."""
    if output is not None:
        from ukreport._io import write_atomically

        write_atomically(output, text.encode("utf-8"))
    elif text:
        sys.stdout.write(text)


def _check_output(output: Path | None) -> None:
    """Refuse a bad ``--output`` before the work, not after it."""
    if output is not None:
        from ukreport._io import output_file

        output_file(output)


def run_validate(args: argparse.Namespace) -> int:
    from ukreport.cli import remembered

    started = time.perf_counter()
    _check_output(args.output)
    arguments = [args.format, str(args.max_errors), *map(str, args.paths)]
    keyed = remembered.key("validate", arguments, args.paths) if args.cache else None
    said = remembered.recall("validate", keyed.digest) if keyed else None
    if said is None:
        said = _validate(args, keyed)
        if keyed and keyed.holds():
            remembered.remember("validate", keyed.digest, said)
        how = ""
    else:
        how = ", remembered from an earlier run on the same files and code"
    write_output(said.output, args.output)
    _done(f"{said.summary}{how}", started)
    return said.exit_code


def _validate(args: argparse.Namespace, keyed: Keyed | None) -> Said:
    """Validate ``args.paths``: the bytes ``keyed`` read for its key, when there is one."""
    from ukreport.cli.remembered import Said
    from ukreport.validation.report import render_report
    from ukreport.validation.validate import validate

    report = validate(args.paths) if keyed is None else validate(args.paths, read=keyed.read)
    text = render_report(report, args.format, args.max_errors or None)
    tables = ", ".join(f"{name} ({report.rows.get(name, 0)} rows)" for name in report.tables)
    verdict = "valid" if report.valid else f"{report.failure_count} failure(s)"
    return Said(text, f"validated {tables}: {verdict}", report.exit_code)


def _print_failures(failed: ValidationFailed, limit: int, out: Path) -> int:
    """The first ``limit`` failures (all for 0), a count of the rest, and that nothing
    was written to ``out``; returns the exit status: 2 when a table cannot be read at
    all, 1 when the data are invalid."""
    from ukreport.validation.report import more

    shown = failed.report.first(limit or None)
    for failure in shown:
        print(failure, file=sys.stderr)
    if len(shown) < failed.report.failure_count:
        print(more(failed.report.failure_count - len(shown)), file=sys.stderr)
    status = failed.report.exit_code
    why = "cannot be read" if status == 2 else "are invalid"
    print(f"ukreport: nothing written to {out}: the raw data {why}", file=sys.stderr)
    return status


def run_process(args: argparse.Namespace) -> int:
    from ukreport.process import process

    started = time.perf_counter()
    try:
        written = process(args.raw, args.out)
    except ValidationFailed as failed:
        return _print_failures(failed, args.max_errors, args.out)
    _done(f"validated {args.raw} and wrote {len(written)} files to {args.out}", started)
    return 0


def run_schemas(args: argparse.Namespace) -> int:
    from ukreport._io import output_folder
    from ukreport.tableschema import write_schemas

    started = time.perf_counter()
    output_folder(args.out)
    written = write_schemas(args.out)
    _done(f"wrote {len(written)} Table Schemas to {args.out}", started)
    return 0


def run_deps(args: argparse.Namespace) -> int:
    from ukreport._io import write_atomically
    from ukreport.pipeline.makefile import makefile_fragment

    started = time.perf_counter()
    _check_output(args.out)
    write_atomically(args.out, makefile_fragment(args.root).encode("utf-8"))
    _done(f"wrote {args.out}", started)
    return 0


def run_figures(args: argparse.Namespace) -> int:
    require_report("figures")
    from ukreport._io import output_folder
    from ukreport.report.figures import build_figures

    started = time.perf_counter()
    output_folder(args.out)
    written = build_figures(args.out)
    _done(f"drew {len(written)} figure files in {args.out}", started)
    return 0


def run_record(args: argparse.Namespace) -> int:
    require_report("record")
    from ukreport._io import output_folder
    from ukreport.report.record import write_record

    started = time.perf_counter()
    output_folder(args.out)
    written = write_record(args.data, args.out, essay=args.essay, pdf=args.pdf)
    _done(f"wrote {', '.join(str(path) for path in written)} from {args.data}", started)
    return 0


def run_render(args: argparse.Namespace) -> int:
    require_report("render")
    from ukreport._io import output_folder
    from ukreport.report.render import render

    started = time.perf_counter()
    output_folder(args.out_dir)
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


def run_build(args: argparse.Namespace) -> int:
    from ukreport.pipeline.runner import CHAIN, blocked, described, plan, run

    if args.dry_run:
        print(described(plan(args.root, args.step, args.through)))
        return 0

    def say(step: str, what: str, seconds: float) -> None:
        print(f"{what} ({seconds:.2f} s)", file=sys.stderr, flush=True)

    last = args.through
    if last is not None and called_by_make():
        stuck = blocked(args.root, args.step, last, engine=args.engine)
        if stuck is not None and stuck != args.step:
            # Make runs that step's own recipe after this one, and it says why the step
            # cannot run: stopping before it puts the failure on its target, not this one's.
            last = CHAIN[CHAIN.index(stuck) - 1]
    try:
        run(args.root, args.step, last, engine=args.engine, cache=args.cache, on_step=say)
    except ValidationFailed as failed:
        return _print_failures(failed, args.max_errors, args.root / "data/processed")
    return 0


def main_diff(
    base: str,
    head: str | None = None,
    *,
    fmt: str = "text",
    exit_zero: bool = False,
    output: Path | None = None,
    max_rows: int | None = 100,
) -> int:
    """``ukreport diff``: write the report to ``output`` or standard output; 0 no
    change, 1 changes (0 with ``exit_zero``). ``max_rows`` rows of each kind a table
    are shown (``None`` or 0: all)."""
    from ukreport.review.diff import diff_datasets
    from ukreport.review.diff_format import render_diff

    _check_output(output)
    from ukreport.review.diff_format import MARKDOWN_MOST_ROWS

    limit = max_rows or None
    if fmt == "markdown":  # no more rows than a comment could ever show
        limit = min(limit or MARKDOWN_MOST_ROWS, MARKDOWN_MOST_ROWS)
    result = diff_datasets(base, head, limit=limit)
    write_output(render_diff(result, fmt), output)
    return result.exit_code(exit_zero=exit_zero)


def run_diff(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    status = main_diff(
        args.base,
        args.head,
        fmt=args.format,
        exit_zero=args.exit_zero,
        output=args.output,
        max_rows=args.max_rows,
    )
    _done(f"compared the data at {args.base} with {args.head or 'the working tree'}", started)
    return status


def main_schema_check(
    base: str | None = None, *, changelog: bool = False, since: str | None = None
) -> int:
    """``ukreport schema-check``: print the report; 0 compatible, 1 not bumped enough."""
    from ukreport.review.schemacheck import schema_check

    report, status = schema_check(base, changelog=changelog, since=since)
    sys.stdout.write(report)
    return status


def run_schema_check(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    status = main_schema_check(args.base, changelog=args.changelog, since=args.since)
    _done(
        f"checked schemas/, data/raw/ and the version against {args.base or 'the last release'}",
        started,
    )
    return status


def run_releases(args: argparse.Namespace) -> int:
    """``ukreport releases``: the releases CHANGELOG.md records, newest first."""
    from ukreport.review.releases import last_release, releases

    if args.last:
        sys.stdout.write(f"{last_release(Path.cwd()).version}\n")
        return 0
    for release in releases(Path.cwd()):
        sys.stdout.write(f"{release.version}\t{release.date}\t{release.commit}\n")
    return 0


def run_dist(args: argparse.Namespace) -> int:
    import tomllib

    from ukreport import paths
    from ukreport._meta import source_date_epoch
    from ukreport.review.dist import dist

    started = time.perf_counter()
    epoch = source_date_epoch()
    if epoch is None:
        raise UkreportError(
            "SOURCE_DATE_EPOCH is unset: the release's files are dated by it "
            "(`make dist` sets it to the last commit's time)"
        )
    version = tomllib.loads(paths.PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]
    written = dist(
        args.built, args.out, data=args.data, licence=args.licence, version=version, epoch=epoch
    )
    for path in written:
        sys.stdout.write(f"{path}\n")
    _done(f"wrote {len(written)} files to {args.out}", started)
    return 0


def run_manifest(args: argparse.Namespace) -> int:
    from ukreport.pipeline.provenance import write_manifest

    started = time.perf_counter()
    _check_output(args.out)
    out = write_manifest(args.root, args.out)
    _done(f"wrote {out}", started)
    return 0


def run_verify_manifest(args: argparse.Namespace) -> int:
    from ukreport.pipeline.verification import verify_manifest

    started = time.perf_counter()
    result = verify_manifest(args.root, args.manifest)
    for line in result.lines():
        print(line)
    _done(result.summary(), started)
    return result.exit_code


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def run_verify(args: argparse.Namespace) -> int:
    from ukreport.pipeline.reproduce import table, verify

    verdict = verify(args.root, venv=args.venv, keep=args.keep, say=_say)
    sys.stdout.write(table(verdict.results))
    sys.stdout.flush()
    _say(f"\n{verdict.summary()}")
    if verdict.kept is not None:
        _say(f"kept the copies in {verdict.kept}")
    return verdict.exit_code
