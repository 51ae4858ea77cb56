"""Relevance on the demo help center: recall@3 ≥ 0.9 over the fi/pl/en test set.

`make bench` prints the same figures (and MRR) with the misses; this test keeps them from
silently getting worse. It runs on SQLite and, with DATABASE_URL, on PostgreSQL.
"""

import pytest

from tests.knowledge.relevance import CASES, RECALL_AT, TARGET_RECALL, evaluate, search
from tiketti.knowledge.demo import load_demo_articles


def test_the_set_is_large_and_covers_every_language():
    assert len(CASES) >= 60
    assert {case.language for case in CASES} == {"fi", "pl", "en"}
    assert min(sum(c.language == lang for c in CASES) for lang in ("fi", "pl", "en")) >= 20


def test_every_expected_article_exists_in_the_demo_content():
    from tiketti.knowledge.demo import read_demo_content

    slugs = {article.slug for article in read_demo_content().articles if not article.is_internal}
    assert {case.expected for case in CASES} <= slugs


@pytest.mark.django_db
def test_recall_at_3_meets_the_target():
    load_demo_articles()
    figures = evaluate(CASES, search)
    misses = "\n".join(
        f"{c.language} {c.query!r} → {c.expected}; got {top}" for c, top in figures.misses
    )
    assert figures.recall >= TARGET_RECALL, f"recall@{RECALL_AT} {figures.recall:.3f}\n{misses}"
    for language in ("fi", "pl", "en"):
        part = evaluate([c for c in CASES if c.language == language], search)
        assert part.recall >= TARGET_RECALL, (language, part.recall)
