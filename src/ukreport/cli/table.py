"""The subcommands as data: name, help, arguments and the function that runs each.

``ukreport --help`` and the argument parser are built from :data:`COMMANDS`, so a new
subcommand is one entry here and one function in :mod:`ukreport.cli.commands`.
"""

from __future__ import annotations

from pathlib import Path

from ukreport import paths
from ukreport.cli import commands, preview
from ukreport.cli.arguments import Command, arg, count, port, seconds
from ukreport.pipeline.graph import BUILDABLE, CHAIN

_MANIFEST = paths.BUILD_DIR / "manifest.json"
_ROOT = arg("--root", type=Path, default=Path(), help="repository root (default .)")
_ESSAY = arg(
    "source",
    nargs="?",
    type=Path,
    default=paths.ESSAY,
    help=f"the .qmd file (default {paths.ESSAY})",
)
_OUTPUT = arg(
    "--output",
    type=Path,
    metavar="PATH",
    help="write the report to PATH instead of standard output",
)


_MAX_ERRORS = arg(
    "--max-errors",
    type=count,
    default=100,
    metavar="N",
    help="show the first N failures in file order, then how many more (default 100; 0 shows all)",
)

COMMANDS: tuple[Command, ...] = (
    Command(
        "validate",
        "check raw tables against the schemas",
        "Check raw CSV tables (files, or folders holding all four) and report "
        "every failure as file:line:column. Exit 0 valid, 1 invalid, 2 unreadable. The "
        "same files, arguments and code give the answer kept from last time.",
        commands.run_validate,
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
            _MAX_ERRORS,
            arg(
                "--no-cache",
                dest="cache",
                action="store_false",
                help="validate even when the same files were found valid or not before "
                "(results are kept in $UKREPORT_CACHE_DIR, default ~/.cache/ukreport)",
            ),
        ),
    ),
    Command(
        "process",
        "validate, then write the cleaned data package",
        "Validate the raw tables and write CSV, Parquet and datapackage.json. "
        "Writes nothing when the raw data are invalid.",
        commands.run_process,
        (
            arg("--raw", type=Path, default=paths.RAW_DIR, help="raw data folder"),
            arg("--out", type=Path, default=paths.PROCESSED_DIR, help="output folder"),
            _MAX_ERRORS,
        ),
    ),
    Command(
        "schemas",
        "export the models as Frictionless Table Schemas",
        "Write raw/ and processed/ Table Schemas generated from the pandera models.",
        commands.run_schemas,
        (arg("--out", type=Path, default=paths.SCHEMAS_DIR, help="output folder"),),
    ),
    Command(
        "deps",
        "write the build's step rules and the code each step runs (deps.mk)",
        "Write deps.mk from the build graph (ukreport.pipeline.graph): for each step, "
        "the import closure of its entry modules, the files Make knows it by, and its "
        "rule, which the Makefile includes.",
        commands.run_deps,
        (
            arg("--root", type=Path, default=Path(), help="repository root"),
            arg("--out", type=Path, default=Path("deps.mk"), help="output file"),
        ),
    ),
    Command(
        "figures",
        "draw the report's figures (SVG and PNG) from the processed data",
        "Draw every figure as SVG and PNG, with figures.json giving its alt text.",
        commands.run_figures,
        (arg("--out", type=Path, default=paths.FIGURES_DIR, help="output folder"),),
    ),
    Command(
        "record",
        "write the record page (HTML) and the printed record (PDF) from the data package",
        "Write record.html, every row of the data package in one self-contained page with "
        "search and filters, and record.pdf, every event by year with its source (PDF/A-2a, "
        "PDF/UA-1). Reads only the data package (checked against its hashes).",
        commands.run_record,
        (
            arg(
                "--data",
                type=Path,
                default=paths.PROCESSED_DIR,
                metavar="DIR",
                help=f"the data package's folder (default {paths.PROCESSED_DIR})",
            ),
            arg(
                "--out",
                type=Path,
                default=paths.BUILD_DIR,
                metavar="DIR",
                help=f"output folder (default {paths.BUILD_DIR})",
            ),
            arg(
                "--essay",
                default="essay.html",
                metavar="URL",
                help="the essay's address from the output folder, which claims link to "
                "(default essay.html)",
            ),
            arg("--no-pdf", dest="pdf", action="store_false", help="write the page only"),
        ),
    ),
    Command(
        "render",
        "execute the essay and render it to HTML and PDF",
        "Run the essay's Python cells on a Jupyter kernel and render HTML "
        "(pandoc) and PDF (pandoc and typst); or hand it to Quarto with --engine quarto.",
        commands.run_render,
        (
            _ESSAY,
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
                choices=("html", "pdf", "docx"),
                help="an output format; repeat for several (default html and pdf)",
            ),
            arg(
                "--timeout",
                type=seconds,
                default=120,
                help="seconds each cell may run, 1 or more (default 120)",
            ),
            arg(
                "--no-cache",
                dest="cache",
                action="store_false",
                help="run every cell even when nothing the outputs depend on has changed",
            ),
        ),
    ),
    Command(
        "build",
        "bring the data, figures, report and manifest up to date in one process",
        "Run, in order and in one process, the steps from STEP through --through that "
        "are out of date by Make's rule (an output missing or older than an input): data "
        "(validate and write data/processed), figures, report (render HTML and PDF) and "
        "manifest; docx (the Word document, made only on request) brings up to date the "
        "steps it is made from, then itself and the manifest. This is what make data, make "
        "figures, make report and make docx run; --dry-run "
        "lists the steps without running them.",
        commands.run_build,
        (
            arg(
                "step",
                choices=BUILDABLE,
                help="the first step to bring up to date",
            ),
            arg(
                "--through",
                choices=CHAIN,
                help="the last step (default STEP itself)",
            ),
            _ROOT,
            arg(
                "--engine",
                choices=("embedded", "quarto", "auto"),
                default="embedded",
                help="how the report is rendered (see render)",
            ),
            arg(
                "--no-cache",
                dest="cache",
                action="store_false",
                help="run every cell of the essay (see render)",
            ),
            _MAX_ERRORS,
            arg("--dry-run", action="store_true", help="list the steps that would run"),
        ),
    ),
    Command(
        "preview",
        "serve the essay's HTML and rebuild it on every save",
        "Serve the essay's HTML on 127.0.0.1 and watch the essay, the report's assets, "
        "the raw data and the package's code: on a change, bring the data and figures up "
        "to date (as make data figures would), render the HTML into "
        "reports/_build/preview/ and update the open page in place, keeping its scroll "
        "position. A failing build shows its errors in the page. Ctrl-C stops it.",
        preview.run_preview,
        (
            _ESSAY,
            arg(
                "--port",
                type=port,
                default=4848,
                help="the port on 127.0.0.1 (default 4848; 0 picks a free one)",
            ),
            arg(
                "--no-browser",
                dest="browser",
                action="store_false",
                help="do not open the page in a web browser",
            ),
        ),
    ),
    Command(
        "manifest",
        "record every output's hash and what it was made from",
        "Write the build manifest: each output's SHA-256 and those of the data, "
        "text and code it was made from, the git commit, the versions of Python and the "
        "libraries, and the validation result.",
        commands.run_manifest,
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
        commands.run_verify_manifest,
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
        commands.run_verify,
        (
            _ROOT,
            arg("--venv", type=Path, help="virtual environment (default ROOT/.venv)"),
            arg(
                "--keep",
                action="store_true",
                help="keep the two copies (in ukreport-verify-kept-… in the temporary folder)",
            ),
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
        commands.run_diff,
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
            arg(
                "--max-rows",
                type=count,
                default=100,
                metavar="N",
                help="show the first N rows added, removed and changed in each table (by id), "
                "then how many more (default 100; 0 shows all); Markdown also stops at "
                "65,536 characters, the most a pull-request comment holds",
            ),
            arg("--exit-zero", action="store_true", help="exit 0 even when something changed"),
        ),
    ),
    Command(
        "releases",
        "list the releases CHANGELOG.md records, newest first",
        "Print version, date and commit of each release: a dated CHANGELOG.md entry, "
        "whose commit is the one that cut it (or its tag vX.Y.Z). Tags are not needed.",
        commands.run_releases,
        (arg("--last", action="store_true", help="print only the last release's version"),),
    ),
    Command(
        "dist",
        "write the release's files, the same bytes on every machine",
        "Rewrite the sdist and wheel in BUILT with sorted members and every timestamp at "
        "SOURCE_DATE_EPOCH, copy the other files there (.zenodo.json), and write a zip of "
        "the data package with the data licence and SHA256SUMS, all to --out. "
        "`make dist` builds BUILT first.",
        commands.run_dist,
        (
            arg("built", type=Path, metavar="BUILT", help="the build backend's output folder"),
            arg("--out", type=Path, default=Path("dist"), help="where to write (default dist)"),
            arg(
                "--data",
                type=Path,
                default=paths.PROCESSED_DIR,
                help=f"the data package (default {paths.PROCESSED_DIR})",
            ),
            arg(
                "--licence",
                type=Path,
                default=Path("LICENSE-DATA"),
                help="the data's licence (default LICENSE-DATA)",
            ),
        ),
    ),
    Command(
        "schema-check",
        "check that the version bump covers the schema and data changes since a release",
        "Compare schemas/ and data/raw/ with BASE (default: the last release CHANGELOG.md "
        "records), classify each change as breaking, minor or patch (changed rows are a "
        "patch), and fail when [project].version in "
        "pyproject.toml is not bumped enough (SemVer; below 1.0.0, one place lower). "
        "Exit 0 compatible, 1 bump insufficient, 2 usage error.",
        commands.run_schema_check,
        (
            arg(
                "base",
                nargs="?",
                metavar="BASE",
                help="git revision or release to compare with (default: the newest dated "
                "entry of CHANGELOG.md whose release commit is in the history)",
            ),
            arg(
                "--changelog",
                action="store_true",
                help="also require CHANGELOG.md to say what a new version changes (under "
                "## [Unreleased], or ## [X.Y.Z] - YYYY-MM-DD once released)",
            ),
            arg(
                "--since",
                metavar="REV",
                help="also require a change to CHANGELOG.md when data/raw/ changed since "
                "REV (a pull request's base)",
            ),
        ),
    ),
)
"""Every subcommand, in the order ``ukreport --help`` lists them."""
