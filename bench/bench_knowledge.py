"""Help-center search: relevance on the demo articles, and suggest latency at 10,000 articles.

Run: ``.venv/bin/python -m bench bench_knowledge``. Everything happens in a throwaway
database (a temporary SQLite file; ``tiketti_bench_<pid>`` on PostgreSQL), never the
developer's.

1. Relevance: the queries of ``tests/knowledge/relevance.py`` (fi/pl/en paraphrases,
   inflections, compounds, typos, half-typed words) against the demo articles; prints
   recall@3 (target ≥ 0.9) and MRR, per language too.
2. Latency: 10,000 generated articles (×3 languages) beside the demo ones, each about one
   demo topic plus Zipf-distributed made-up vocabulary (see `generate_articles`); the
   assistant's suggest service and the public API endpoint are timed over the relevance
   queries as they are typed, word by word and half-words; prints median and p95
   (target p95 ≤ 30 ms).

SQLite always; PostgreSQL too when ``BENCH_DATABASE_URL`` (or ``DATABASE_URL``) names one:
that run happens in a child process configured for it. ``BENCH_KB_ARTICLES`` changes the
article count.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from tests.knowledge.relevance import CASES, RECALL_AT, evaluate, search

from tiketti.knowledge.demo import load_demo_articles, read_demo_content
from tiketti.knowledge.index import rebuild_index
from tiketti.knowledge.models import Article, ArticleTranslation, Section
from tiketti.knowledge.services import suggest_while_typing

ARTICLES = int(os.environ.get("BENCH_KB_ARTICLES", "10000"))
CHILD_FLAG = "TIKETTI_BENCH_KB_CHILD"


def run() -> None:
    vendor = connection.vendor
    with throwaway_database():
        measure(vendor)
    if os.environ.get(CHILD_FLAG):
        return
    other = _other_database_url(vendor)
    if other is not None:
        env = {**os.environ, "DATABASE_URL": other, CHILD_FLAG: "1"}
        subprocess.run(
            [sys.executable, "-m", "bench", "bench_knowledge"],
            env=env,
            check=True,
            cwd=Path(__file__).resolve().parents[1],
        )


def _other_database_url(vendor: str) -> str | None:
    """The second database to measure: PostgreSQL after SQLite, or SQLite after PG."""
    if vendor == "sqlite":
        url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
        return url if url.startswith(("postgres://", "postgresql://")) else None
    return ""  # an empty DATABASE_URL means the SQLite default


class throwaway_database:  # noqa: N801 - used as a context manager, reads like one
    """A fresh, migrated database of the configured kind under a name of its own (never
    `test_<name>`, which a test run on the same server may be using), dropped afterwards."""

    def __enter__(self) -> None:
        settings_dict = connection.settings_dict
        self.directory = tempfile.TemporaryDirectory(prefix="tiketti-bench-")
        if connection.vendor == "sqlite":
            settings_dict["TEST"]["NAME"] = str(Path(self.directory.name) / "bench.sqlite3")
        else:
            settings_dict["TEST"]["NAME"] = f"tiketti_bench_{os.getpid()}"
        self.old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )

    def __exit__(self, *exc: object) -> None:
        connection.creation.destroy_test_db(self.old_name, verbosity=0)
        self.directory.cleanup()


def measure(vendor: str) -> None:
    started = time.perf_counter()
    load_demo_articles()
    print(f"   [{vendor}] demo help center loaded in {time.perf_counter() - started:.1f} s")
    relevance(vendor)
    if ARTICLES:
        latency(vendor)


def relevance(vendor: str) -> None:
    figures = evaluate(CASES, search)
    print(
        f"kb relevance [{vendor}]: recall@{RECALL_AT} {figures.recall:.3f}  MRR {figures.mrr:.3f}"
        f"  ({figures.count} queries; target recall@{RECALL_AT} ≥ 0.9)"
    )
    for language in ("fi", "pl", "en"):
        subset = [case for case in CASES if case.language == language]
        part = evaluate(subset, search)
        print(
            f"   {language}: recall@{RECALL_AT} {part.recall:.3f}  MRR {part.mrr:.3f}"
            f"  ({part.count} queries)"
        )
    for case, top in figures.misses:
        print(f"   miss [{case.language}] {case.query!r} → {case.expected}; got {top}")


def latency(vendor: str) -> None:
    started = time.perf_counter()
    generate_articles(ARTICLES)
    made = time.perf_counter() - started
    started = time.perf_counter()
    documents = rebuild_index()
    print(
        f"   [{vendor}] {ARTICLES:,} generated articles in {made:.1f} s; "
        f"index rebuilt ({documents:,} documents) in {time.perf_counter() - started:.1f} s"
    )
    _settle()
    typed = _typed_queries()
    for text, language in typed[:20]:  # warm up: vocabulary cache, statements
        suggest_while_typing(subject=text, description="", language=language, user=AnonymousUser())
    timings = []
    for text, language in typed:
        began = time.perf_counter()
        suggest_while_typing(subject=text, description="", language=language, user=AnonymousUser())
        timings.append((time.perf_counter() - began) * 1000)
    _print_timings(f"kb suggest service [{vendor}, {ARTICLES:,} articles]", timings)
    client = Client()
    http = []
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for text, language in typed:
            began = time.perf_counter()
            response = client.get("/api/v1/kb/suggest", {"q": text, "lang": language})
            http.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.content
    _print_timings(f"kb suggest API     [{vendor}, {ARTICLES:,} articles]", http)


def _settle() -> None:
    """Let the database reach the state it is in after a quiet moment, so that background
    maintenance after the bulk load (autovacuum, WAL checkpoints) is not what is timed."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in (
                "knowledge_article",
                "knowledge_articletranslation",
                "knowledge_searchdocument",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _print_timings(label: str, timings: list[float]) -> None:
    ordered = sorted(timings)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(
        f"{label}: median {statistics.median(ordered):.1f} ms  p95 {p95:.1f} ms"
        f"  max {ordered[-1]:.1f} ms  ({len(ordered)} queries; target p95 ≤ 30 ms)",
        flush=True,
    )


def _typed_queries() -> list[tuple[str, str]]:
    """Every relevance query as it grows while typed: word by word, and each word's
    first half too (what the debounced assistant sends)."""
    queries = []
    for case in CASES:
        words = case.query.split()
        for count in range(1, len(words) + 1):
            last = words[count - 1]
            if len(last) > 5:
                queries.append(
                    (" ".join([*words[: count - 1], last[: len(last) // 2 + 1]]), case.language)
                )
            queries.append((" ".join(words[:count]), case.language))
    return queries


def generate_articles(count: int) -> None:
    """`count` articles in every language, shaped like a large help center's: each is about
    one of the demo articles' topics (half its words come from that article, so topic words
    co-occur as in real text), the other half from a Zipf-distributed vocabulary of 30,000
    made-up product and domain words per language."""
    rng = random.Random(20261204)
    topics = _topic_words()
    filler = _filler_vocabulary(rng)
    section = Section.objects.create(slug="generated", name_en="Generated")
    articles = Article.objects.bulk_create(
        [
            Article(section=section, slug=f"generated-{n}", status=Article.Status.PUBLISHED)
            for n in range(count)
        ],
        batch_size=1000,
    )
    batch: list[ArticleTranslation] = []
    for article in articles:
        topic = rng.randrange(len(topics["en"]))
        for language in ("fi", "pl", "en"):
            words, cumulative = filler[language]

            def text(length: int) -> str:
                own = rng.choices(topics[language][topic], k=length // 2)  # noqa: B023
                other = rng.choices(words, cum_weights=cumulative, k=length - len(own))  # noqa: B023
                mixed = own + other
                rng.shuffle(mixed)
                return " ".join(mixed)

            title = text(rng.randint(3, 7)).capitalize()
            body = "\n\n".join(
                text(rng.randint(15, 40)).capitalize() + "." for _ in range(rng.randint(2, 5))
            )
            translation = ArticleTranslation(
                article=article, language=language, title=title, body_markdown=body
            )
            translation.render()
            batch.append(translation)
        if len(batch) >= 3000:
            ArticleTranslation.objects.bulk_create(batch)
            batch = []
    ArticleTranslation.objects.bulk_create(batch)


def _topic_words() -> dict[str, list[list[str]]]:
    topics: dict[str, list[list[str]]] = defaultdict(list)
    for article in read_demo_content().articles:
        for language in ("fi", "pl", "en"):
            title, body = getattr(article, language)
            words = [w.strip(".,:;*()\"'`→") for w in f"{title} {body}".split()]
            topics[language].append([w for w in words if w])
    return topics


def _filler_vocabulary(rng: random.Random) -> dict[str, tuple[list[str], list[float]]]:
    letters = "abcdefghijklmnoprstuvy"
    vocabulary = {}
    for language in ("fi", "pl", "en"):
        words = ["".join(rng.choices(letters, k=rng.randint(4, 12))) for _ in range(30_000)]
        cumulative, total = [], 0.0
        for rank in range(1, len(words) + 1):
            total += 1 / rank**1.07
            cumulative.append(total)
        vocabulary[language] = (words, cumulative)
    return vocabulary
