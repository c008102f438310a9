"""``ukreport schema-check``: schema changes since a release, and the version they need."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers.gitrepo import commit, isolate_git, run_git, set_version
from ukreport import cli
from ukreport._git import UnknownRevision
from ukreport.cli import main_schema_check
from ukreport.review.changelog import changelog_check
from ukreport.review.releases import NoRelease
from ukreport.review.schemacheck import check_schemas
from ukreport.review.schemadiff import Level, SchemaCheckError, compare_schemas
from ukreport.review.versions import parse_version, required_version

Schema = dict[str, Any]


@pytest.fixture(autouse=True)
def git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(monkeypatch)


def edit_schema(repo: Path, kind: str, table: str, edit: Callable[[Schema], None]) -> None:
    path = repo / "schemas" / kind / f"{table}.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    edit(schema)
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")


def field(schema: Schema, name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(f for f in schema["fields"] if f["name"] == name)
    return found


def remove_enum_value(schema: Schema) -> None:
    field(schema, "event_type")["constraints"]["enum"].remove("military")


def add_enum_value(schema: Schema) -> None:
    field(schema, "event_type")["constraints"]["enum"].append("visit")


def add_column(schema: Schema) -> None:
    schema["fields"].append({"name": "region", "type": "string"})


def make_required(schema: Schema) -> None:
    field(schema, "location")["constraints"]["required"] = True


def remove_column(schema: Schema) -> None:
    schema["fields"].remove(field(schema, "location"))


def describe(schema: Schema) -> None:
    field(schema, "location")["description"] = "Where it happened."


CHANGES = {
    "remove_enum_value": (
        remove_enum_value,
        Level.BREAKING,
        "column 'event_type' of events (raw): enumeration value(s) 'military' removed",
    ),
    "add_enum_value": (
        add_enum_value,
        Level.MINOR,
        "column 'event_type' of events (raw): enumeration value(s) 'visit' added",
    ),
    "add_column": (add_column, Level.MINOR, "column 'region' added to events (raw)"),
    "make_required": (
        make_required,
        Level.BREAKING,
        "column 'location' of events (raw): made required",
    ),
    "remove_column": (remove_column, Level.BREAKING, "column 'location' removed from events (raw)"),
    "describe": (
        describe,
        Level.PATCH,
        "column 'location' of events (raw): description changed",
    ),
}
NEEDS = {Level.BREAKING: "0.2.0", Level.MINOR: "0.1.1", Level.PATCH: "0.1.1"}


def test_no_changes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main_schema_check() == 0
    assert capsys.readouterr().out == "no schema or data changes since v0.1.0 (version 0.1.0)\n"


@pytest.mark.parametrize("name", CHANGES)
def test_change_without_a_bump_fails(
    repo: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    edit, level, message = CHANGES[name]
    edit_schema(repo, "raw", "events", edit)
    result = check_schemas()
    assert [(c.level, c.message) for c in result.changes] == [(level, message)]
    assert main_schema_check() == 1
    out = capsys.readouterr().out
    needs = NEEDS[level]
    assert f"{message}: {level.label}; needs {needs} or later, version is 0.1.0\n" in out


@pytest.mark.parametrize("name", CHANGES)
def test_change_with_enough_of_a_bump_passes(
    repo: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    edit, level, _ = CHANGES[name]
    edit_schema(repo, "raw", "events", edit)
    set_version(repo, NEEDS[level])
    assert main_schema_check() == 0
    assert f"version {NEEDS[level]} is enough" in capsys.readouterr().out


def test_breaking_change_with_a_patch_bump_fails(repo: Path) -> None:
    edit_schema(repo, "raw", "events", remove_column)
    edit_schema(repo, "processed", "events", remove_column)
    set_version(repo, "0.1.1")
    result = check_schemas()
    assert result.problems == [
        "column 'location' removed from events (raw): breaking; needs 0.2.0 or later, "
        "version is 0.1.1",
        "column 'location' removed from events (processed): breaking; needs 0.2.0 or later, "
        "version is 0.1.1",
    ]


def test_after_1_0_breaking_needs_a_major_bump(repo: Path) -> None:
    set_version(repo, "1.2.3")
    commit(repo, "release 1.2.3", tag="v1.2.3")
    edit_schema(repo, "raw", "events", remove_enum_value)
    set_version(repo, "1.3.0")
    result = check_schemas()
    assert result.base == "v1.2.3"
    assert result.problems == [
        "column 'event_type' of events (raw): enumeration value(s) 'military' removed: "
        "breaking; needs 2.0.0 or later, version is 1.3.0"
    ]
    set_version(repo, "2.0.0rc1")
    assert check_schemas().ok


def test_explicit_base_and_committed_changes(repo: Path) -> None:
    edit_schema(repo, "raw", "events", add_column)
    set_version(repo, "0.1.1")
    commit(repo, "add region")
    edit_schema(repo, "raw", "events", describe)
    result = check_schemas("HEAD")
    assert [c.level for c in result.changes] == [Level.PATCH]
    assert not result.ok  # 0.1.1 at HEAD too: a description change needs 0.1.2
    assert check_schemas("v0.1.0").ok


def test_new_and_deleted_schema_files(repo: Path) -> None:
    (repo / "schemas" / "processed" / "cooperation.json").unlink()
    shutil.copy(repo / "schemas" / "raw" / "events.json", repo / "schemas" / "raw" / "extra.json")
    messages = {(c.level, c.message) for c in check_schemas().changes}
    assert messages == {
        (Level.BREAKING, "table cooperation (processed) removed"),
        (Level.MINOR, "table extra (raw) added"),
    }


def test_version_lower_than_base(repo: Path) -> None:
    set_version(repo, "0.0.9")
    assert check_schemas().problems == ["version 0.0.9 is lower than 0.1.0 at v0.1.0"]


def test_no_release_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run_git(tmp_path, "init", "-q")
    commit(tmp_path, "first")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(NoRelease, match=r"no release to compare with .* no tag is reachable") as e:
        main_schema_check()
    assert e.value.exit_code == 2


def test_unknown_revision(repo: Path) -> None:
    with pytest.raises(UnknownRevision, match=r"^unknown revision 'v9'"):
        main_schema_check("v9")


def test_pyproject_without_version(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\ndynamic = ["version"]\n')
    with pytest.raises(SchemaCheckError, match=r"pyproject.toml has no \[project\] version"):
        check_schemas()


# --- the rules, one at a time --------------------------------------------------------


def _schema(**constraints: Any) -> Schema:
    column: dict[str, Any] = {"name": "c", "type": "string"}
    if constraints:
        column["constraints"] = constraints
    return {"fields": [{"name": "id", "type": "string"}, column], "primaryKey": ["id"]}


@pytest.mark.parametrize(
    ("old", "new", "level", "text"),
    [
        (_schema(maxLength=200), _schema(maxLength=120), Level.BREAKING, "maxLength lowered"),
        (_schema(maxLength=120), _schema(maxLength=200), Level.MINOR, "maxLength raised"),
        (_schema(), _schema(maxLength=120), Level.BREAKING, "maxLength 120 added"),
        (_schema(maxLength=120), _schema(), Level.MINOR, "maxLength 120 removed"),
        (_schema(minLength=1), _schema(minLength=2), Level.BREAKING, "minLength raised"),
        (_schema(), _schema(unique=True), Level.BREAKING, "must now be unique"),
        (_schema(unique=True), _schema(), Level.MINOR, "need no longer be unique"),
        (_schema(), _schema(pattern="[a-z]+"), Level.BREAKING, "pattern added"),
        (
            _schema(pattern="[a-z]+"),
            _schema(pattern="[a-z0-9]+"),
            Level.BREAKING,
            "pattern changed",
        ),
        (_schema(pattern="[a-z]+"), _schema(), Level.MINOR, "pattern removed"),
        (_schema(required=True), _schema(), Level.MINOR, "made optional"),
        (_schema(), _schema(enum=["a"]), Level.BREAKING, "enumeration added"),
        (_schema(enum=["a"]), _schema(), Level.MINOR, "enumeration removed"),
        (_schema(enum=["a", "b"]), _schema(enum=["b", "a"]), Level.PATCH, "reordered"),
        (_schema(), _schema(frobnicate=1), Level.BREAKING, "not a constraint this check knows"),
    ],
)
def test_constraint_rules(old: Schema, new: Schema, level: Level, text: str) -> None:
    [change] = compare_schemas("t", "raw", old, new)
    assert change.level is level
    assert text in change.message


def _retyped(old: str, new: str) -> Level:
    before, after = _schema(), _schema()
    before["fields"][1]["type"], after["fields"][1]["type"] = old, new
    [change] = compare_schemas("t", "raw", before, after)
    return change.level


def test_type_rules() -> None:
    assert _retyped("integer", "number") is Level.MINOR
    assert _retyped("string", "date") is Level.BREAKING
    assert _retyped("date", "string") is Level.BREAKING


def test_schema_level_rules() -> None:
    old = _schema()
    reordered = {**old, "fields": list(reversed(old["fields"]))}
    [change] = compare_schemas("t", "raw", old, reordered)
    assert change.level is Level.BREAKING
    assert change.message == "columns of t (raw) reordered: id, c → c, id"
    keyed = {**old, "foreignKeys": [{"fields": ["c"], "reference": {"resource": "u"}}]}
    assert [c.level for c in compare_schemas("t", "raw", old, keyed)] == [Level.BREAKING]
    assert [c.level for c in compare_schemas("t", "raw", keyed, old)] == [Level.MINOR]
    rekeyed = {**old, "primaryKey": ["c"]}
    assert [c.level for c in compare_schemas("t", "raw", old, rekeyed)] == [Level.BREAKING]
    described = {**old, "description": "A table."}
    assert [c.level for c in compare_schemas("t", "raw", old, described)] == [Level.PATCH]


@pytest.mark.parametrize(
    ("base", "level", "needed"),
    [
        ("0.1.3", Level.BREAKING, "0.2.0"),
        ("0.1.3", Level.MINOR, "0.1.4"),
        ("0.1.3", Level.PATCH, "0.1.4"),
        ("1.4.2", Level.BREAKING, "2.0.0"),
        ("1.4.2", Level.MINOR, "1.5.0"),
        ("1.4.2", Level.PATCH, "1.4.3"),
        ("2.0", Level.MINOR, "2.1.0"),
    ],
)
def test_required_version(base: str, level: Level, needed: str) -> None:
    assert required_version(base, level) == needed


def test_parse_version() -> None:
    assert parse_version("1.0.0rc1") == (1, 0, 0)
    assert parse_version("v0.2") == (0, 2, 0)
    assert parse_version("0.2.0.dev3") == (0, 2, 0)
    with pytest.raises(SchemaCheckError, match=r"is not MAJOR\.MINOR\.PATCH"):
        parse_version("latest")


@pytest.mark.parametrize(
    ("text", "release"),
    [
        ("v1.0.0-beta.1", (1, 0, 0)),
        ("1", (1, 0, 0)),
        ("2.1.0.post1", (2, 1, 0)),
        (" 0.3 ", (0, 3, 0)),
    ],
)
def test_parse_version_reads_pep_440(text: str, release: tuple[int, int, int]) -> None:
    assert parse_version(text) == release


@pytest.mark.parametrize("text", ["1.2.3.4", "1!2.0.0", "1.2.3-whatever", ""])
def test_parse_version_rejects_what_semver_cannot_say(text: str) -> None:
    with pytest.raises(SchemaCheckError, match=r"is not MAJOR\.MINOR\.PATCH"):
        parse_version(text)


def test_a_pre_release_counts_as_its_release(repo: Path) -> None:
    edit_schema(repo, "raw", "events", remove_enum_value)
    set_version(repo, "0.2.0rc1")
    assert check_schemas().ok


# --- the changelog -------------------------------------------------------------------

ENTRY = "# Changelog\n\n## [0.2.0] - 2025-01-15\n\n### Added\n\n- region column\n\n"
OLD = "## [0.1.0] - 2024-12-01\n\n- first release\n"


def test_changelog_not_needed_without_a_new_version(repo: Path) -> None:
    assert changelog_check(repo) == []


def test_changelog_missing(repo: Path) -> None:
    set_version(repo, "0.2.0")
    [problem] = changelog_check(repo, "v0.1.0")
    assert problem.startswith("CHANGELOG.md is missing: the version changed from 0.1.0")
    assert "`## [Unreleased]`" in problem


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (ENTRY + OLD, None),
        (ENTRY.replace("2025-01-15", "2025-01-15 [YANKED]") + OLD, None),
        ("# Changelog\n\n## [Unreleased]\n\n- region\n\n" + OLD, None),
        (
            "# Changelog\n\n## [Unreleased]\n\n" + OLD,
            "CHANGELOG.md:3: `## [Unreleased]` is empty: say what 0.2.0 changes",
        ),
        (
            "# Changelog\n\n" + OLD,
            "CHANGELOG.md has no entry for 0.2.0: say what changed under `## [Unreleased]` "
            "(it becomes `## [0.2.0] - YYYY-MM-DD` when the release is cut)",
        ),
        (
            ENTRY.replace(" - 2025-01-15", "") + OLD,
            "CHANGELOG.md:3: the entry for 0.2.0 needs its release date: `## [0.2.0] - YYYY-MM-DD`",
        ),
        (
            ENTRY.replace("2025-01-15", "2025-02-30") + OLD,
            "CHANGELOG.md:3: the entry for 0.2.0 needs its release date",
        ),
        (
            "## [0.2.0] - 2025-01-15\n\n" + OLD,
            "CHANGELOG.md:1: the entry for 0.2.0 is empty: say what changed",
        ),
        (
            "## [0.2.0] - 2025-01-15\n\n[0.2.0]: https://example.org/compare\n",
            "CHANGELOG.md:1: the entry for 0.2.0 is empty",
        ),
    ],
)
def test_changelog_entry(repo: Path, text: str, problem: str | None) -> None:
    set_version(repo, "0.2.0")
    (repo / "CHANGELOG.md").write_text(text, encoding="utf-8")
    problems = changelog_check(repo)
    if problem is None:
        assert problems == []
    else:
        [found] = problems
        assert found.startswith(problem)


def test_schema_check_with_changelog(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_schema(repo, "raw", "events", add_column)
    set_version(repo, "0.2.0")
    assert main_schema_check() == 0
    assert main_schema_check(changelog=True) == 1
    assert "CHANGELOG.md is missing" in capsys.readouterr().out
    (repo / "CHANGELOG.md").write_text(ENTRY + OLD, encoding="utf-8")
    assert main_schema_check(changelog=True) == 0


def test_command_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_schema(repo, "raw", "events", remove_column)
    assert cli.main(["schema-check"]) == 1
    assert "needs 0.2.0 or later, version is 0.1.0" in capsys.readouterr().out
    set_version(repo, "0.2.0")
    assert cli.main(["schema-check", "v0.1.0"]) == 0
    assert cli.main(["schema-check", "--changelog"]) == 1
    capsys.readouterr()
    assert cli.main(["schema-check", "v9"]) == 2
    assert capsys.readouterr().err.startswith("ukreport: unknown revision 'v9': ")
