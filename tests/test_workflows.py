"""The CI workflows: the pull request's code never runs with a token that can write, and
the data diff reaches the reviewer as one comment, updated in place."""

from __future__ import annotations

from typing import Any

import yaml

from helpers.paths import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def load(name: str) -> dict[Any, Any]:
    document: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return document


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_the_workflow_that_runs_the_code_cannot_write_to_pull_requests() -> None:
    ci = load("ci.yml")
    assert "pull-requests" not in ci["permissions"]
    assert all("gh pr comment" not in step.get("run", "") for step in steps(ci))
    summary = [step for step in steps(ci) if "GITHUB_STEP_SUMMARY" in step.get("run", "")]
    assert summary, "the data diff goes to the job summary"
    assert "releases --last" in summary[0]["run"]


def test_the_comment_comes_from_a_workflow_that_runs_no_pull_request_code() -> None:
    comment = load("pr-comment.yml")
    assert comment[True]["workflow_run"]["workflows"] == [load("ci.yml")["name"]]
    uses = [step.get("uses", "") for step in steps(comment)]
    assert not any(use.startswith("actions/checkout") for use in uses)
    assert not any(use.startswith("actions/setup-") for use in uses)
    script = steps(comment)[-1]["run"]
    # One comment, found by its marker and updated in place.
    assert "<!-- ukreport-data-diff -->" in script
    assert "--method PATCH" in script
    assert "workflow_run" not in script, "event text is passed through env, not pasted in"


def test_ci_run_checks_the_release_and_shows_the_diff_since_it() -> None:
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make schema-check" in run
    assert 'diff "$release"' in run
