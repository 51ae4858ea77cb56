"""axe-core in the browser tests: the WCAG 2.1 A and AA rules over a page, as it stands.

axe-core comes from the npm registry (package.json, package-lock.json; `make install` runs
`npm ci`). It is evaluated through the DevTools protocol, so the page keeps its real
Content-Security-Policy while it is checked.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@cache
def axe_source() -> str:
    if not AXE.exists():
        message = "axe-core is not installed: run `make install` (it runs `npm ci`)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(result => result.violations)",
        WCAG_21_AA,
    )


def describe(violations: list[dict]) -> str:
    """One line per rule and the nodes it failed on, readable in the test report."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:10]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {json.dumps(node['target'])}: {summary}")
    return "\n".join(lines)


def assert_accessible(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe-core found WCAG 2.1 A/AA violations on {where}:\n" + describe(
        violations
    )
