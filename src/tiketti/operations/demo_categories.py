"""The demo's request kinds, kept as data (`demo_categories.toml`): categories with their
request-form questions in English, Finnish and Polish, and the out-of-scope answers."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from tiketti.accounts.models import Team
from tiketti.tickets.models import LANGUAGES, Category, CategoryField, ScopeAnswer

DEMO_FILE = Path(__file__).resolve().parent / "demo_categories.toml"


def _per_language(prefix: str, texts: dict[str, str] | None) -> dict[str, str]:
    texts = texts or {}
    return {f"{prefix}_{language}": texts.get(language, "") for language in LANGUAGES}


def _choices(choices: list[dict[str, str]]) -> str:
    """As the admin writes them: `code | English | Finnish | Polish`, one a line."""
    return "\n".join(
        " | ".join([choice["value"], *(choice.get(language, "") for language in LANGUAGES)])
        for choice in choices
    )


def load_demo_categories(teams: dict[str, Team]) -> dict[str, dict[str, Any]]:
    """Create the categories, their questions and the out-of-scope answers; returns the
    example answers per category slug (the demo's own tickets give them)."""
    data = tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))
    answers = {
        item["key"]: ScopeAnswer.objects.create(
            position=position,
            **_per_language("title", item["title"]),
            **_per_language("text", item["text"]),
        )
        for position, item in enumerate(data.get("scope_answer", []))
    }
    examples: dict[str, dict[str, Any]] = {}
    for position, item in enumerate(data["category"]):
        category = Category.objects.create(
            slug=item["slug"],
            team=teams[item["team"]],
            position=position,
            is_out_of_scope=item.get("out_of_scope", False),
            scope_answer=answers[item["scope_answer"]] if "scope_answer" in item else None,
            **_per_language("name", item["name"]),
            **_per_language("help", item.get("help")),
        )
        CategoryField.objects.bulk_create(
            CategoryField(
                category=category,
                name=field["name"],
                kind=field["type"],
                is_required=field.get("required", False),
                prefill=field.get("prefill", ""),
                choices=_choices(field.get("choices", [])),
                position=field_position,
                **_per_language("label", field["label"]),
                **_per_language("help", field.get("help")),
            )
            for field_position, field in enumerate(item.get("field", []))
        )
        examples[category.slug] = item.get("example", {})
    return examples
