"""The search index in the database: keeping it up to date, and querying it.

Documents hold terms normalised in Python (`tiketti.fulltext`); SQLite indexes them in an FTS5
table ranked by `bm25()`, PostgreSQL in a tsvector column ranked by `ts_rank` with the
`simple` configuration. Everything database-specific is in `_query_sqlite` and
`_query_postgresql`.
"""

from __future__ import annotations

import threading
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction

from tiketti.accounts.models import Language
from tiketti.fulltext import (
    LANGUAGES,
    PreparedQuery,
    Vocabulary,
    coverage,
    fts5_expression,
    index_text,
    standalone_terms,
    tsquery_expression,
)

from .models import Article, ArticleTranslation, SearchDocument, SearchIndexState, SearchTerm

# FTS5 bm25() column weights, in the table's column order: title, keywords, body, scope.
SQLITE_WEIGHTS = (8.0, 4.0, 1.0, 0.0)
# ts_rank weights for {D, C, B, A}: body is D, keywords B, title A.
POSTGRES_WEIGHTS = "{0.1, 0.2, 0.5, 1.0}"
# How many full-text hits are re-ranked by query coverage before the top ones are taken.
CANDIDATES = 40


@dataclass(frozen=True)
class Hit:
    article_id: int
    language: str
    score: float


def scope_terms(language: str, audience: str) -> str:
    return f"lang{language} aud{audience}"


# -- keeping the index up to date ------------------------------------------------------


def reindex_article(article: Article) -> None:
    """Replace an article's documents: one per language it is served in, none unless
    it is published. Called whenever an article or one of its translations changes."""
    translations = list(ArticleTranslation.objects.filter(article=article))
    with transaction.atomic():
        SearchDocument.objects.filter(article=article).delete()
        if article.status == Article.Status.PUBLISHED and translations:
            vocabularies = {language: load_vocabulary(language) for language in LANGUAGES}
            own_terms = {
                t.language: standalone_terms(_texts(article, t), t.language) for t in translations
            }
            documents = _documents(article, translations, vocabularies, own_terms)
            SearchDocument.objects.bulk_create(documents)
            _add_terms(documents)
        _index_changed()


def rebuild_index(articles: Iterable[Article] | None = None) -> int:
    """Rebuild every document and the vocabulary from scratch; returns documents made.

    For bulk loads (demo data, benchmarks) and `tiketti knowledge reindex`.
    """
    if articles is None:
        articles = Article.objects.published()
    articles = list(articles)
    by_article: dict[int, list[ArticleTranslation]] = defaultdict(list)
    for translation in ArticleTranslation.objects.filter(article__in=[a.pk for a in articles]):
        by_article[translation.article_id].append(translation)
    standalone: dict[str, set[str]] = defaultdict(set)
    for article in articles:
        for translation in by_article[article.pk]:
            texts = _texts(article, translation)
            standalone[translation.language] |= standalone_terms(texts, translation.language)
    vocabularies = {language: Vocabulary(standalone[language]) for language in LANGUAGES}
    documents: list[SearchDocument] = []
    for article in articles:
        if article.status == Article.Status.PUBLISHED and by_article[article.pk]:
            documents += _documents(article, by_article[article.pk], vocabularies, {})
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        SearchTerm.objects.all().delete()
        SearchDocument.objects.bulk_create(documents, batch_size=500)
        _add_terms(documents)
        _index_changed()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner may scan every row instead of the index.
            cursor.execute("ANALYZE knowledge_searchdocument")
        else:
            # Merge the index segments the bulk insert left behind: fewer b-trees to read.
            cursor.execute(
                "INSERT INTO knowledge_search_fts(knowledge_search_fts) VALUES ('optimize')"
            )
    return len(documents)


def _texts(article: Article, translation: ArticleTranslation) -> list[str]:
    return [translation.title, translation.body_markdown, " ".join(article.help_key_list())]


def _documents(
    article: Article,
    translations: Sequence[ArticleTranslation],
    vocabularies: dict[str, Vocabulary],
    own_terms: dict[str, set[str]],
) -> list[SearchDocument]:
    """One document per served language; a missing translation is served by the English
    one (or any). `own_terms` extends the vocabulary with the article's own words, so its
    compounds split on their first indexing."""
    by_language = {t.language: t for t in translations}
    fallback = by_language.get(Language.ENGLISH) or by_language[min(by_language)]
    audience = (
        SearchDocument.Audience.STAFF if article.is_internal else SearchDocument.Audience.PUBLIC
    )
    keywords = " ".join(article.help_key_list())
    indexed: dict[str, tuple[str, str, str]] = {}
    documents = []
    for language in LANGUAGES:
        source = by_language.get(language, fallback)
        if source.language not in indexed:
            vocabulary = vocabularies[source.language]
            if source.language in own_terms:
                vocabulary = Vocabulary(vocabulary.terms | own_terms[source.language])
            indexed[source.language] = (
                index_text(source.title, source.language, vocabulary).text,
                index_text(keywords, source.language).text,
                index_text(source.body_markdown, source.language, vocabulary).text,
            )
        title, keyword_terms, body = indexed[source.language]
        documents.append(
            SearchDocument(
                article=article,
                language=language,
                source_language=source.language,
                audience=audience,
                title=title,
                keywords=keyword_terms,
                body=body,
                scope=scope_terms(language, audience),
            )
        )
    return documents


def _add_terms(documents: Iterable[SearchDocument]) -> None:
    rows = {
        (document.language, term)
        for document in documents
        for text in (document.title, document.keywords, document.body)
        for term in text.split()
    }
    SearchTerm.objects.bulk_create(
        [SearchTerm(language=language, term=term[:100]) for language, term in rows],
        batch_size=1000,
        ignore_conflicts=True,
    )


# -- the vocabulary, cached per process --------------------------------------------------

_vocabulary_lock = threading.Lock()
_vocabularies: dict[str, tuple[str, Vocabulary]] = {}


def _index_changed() -> None:
    """A new random version: every process reloads its vocabulary on its next search."""
    SearchIndexState.objects.update_or_create(pk=1, defaults={"version": uuid.uuid4().hex})


def load_vocabulary(language: str) -> Vocabulary:
    """The index terms of one language, cached in the process until the index changes."""
    version = SearchIndexState.objects.filter(pk=1).values_list("version", flat=True).first()
    cached = _vocabularies.get(language)
    if cached is not None and cached[0] == version:
        return cached[1]
    with _vocabulary_lock:
        terms = SearchTerm.objects.filter(language=language).values_list("term", flat=True)
        vocabulary = Vocabulary(terms)
        _vocabularies[language] = (version or "", vocabulary)
    return vocabulary


# -- querying --------------------------------------------------------------------------


def search(
    query: PreparedQuery, *, language: str, audiences: Sequence[str], limit: int
) -> list[Hit]:
    """The best `limit` articles for a prepared query, most relevant first.

    Documents with every word of the query are looked for first; only when there are
    fewer than `limit` of them are documents with any word added (a broad OR over a large
    help center is what costs time). The database ranks by BM25-style relevance with the
    title weighted highest; the candidates are then ordered by how many of the query's
    words they contain, in the title especially.
    """
    if not query or limit <= 0:
        return []
    rows = _query(query, language, audiences, every_word=True) if len(query.groups) > 1 else []
    if len(rows) < limit:
        seen = {row[0] for row in rows}
        rows += [
            row
            for row in _query(query, language, audiences, every_word=False)
            if row[0] not in seen
        ]
    ranked = []
    for order, (article_id, source_language, score, title, keywords, body) in enumerate(rows):
        share = coverage(query, set(f"{title} {keywords} {body}".split()))
        in_title = coverage(query, set(title.split()))
        ranked.append((-(share + 0.5 * in_title), order, article_id, source_language, score))
    ranked.sort()
    return [Hit(article_id, lang, score) for _, _, article_id, lang, score in ranked[:limit]]


def _query(
    query: PreparedQuery, language: str, audiences: Sequence[str], *, every_word: bool
) -> list[Row]:
    if connection.vendor == "postgresql":
        return _query_postgresql(query, language, audiences, every_word)
    return _query_sqlite(query, language, audiences, every_word)


Row = tuple[int, str, float, str, str, str]


def _query_sqlite(
    query: PreparedQuery, language: str, audiences: Sequence[str], every_word: bool
) -> list[Row]:
    audience = " OR ".join(f'"aud{name}"' for name in audiences)
    match = (
        f'scope : "lang{language}" AND scope : ({audience}) '
        f"AND {{title keywords body}} : ({fts5_expression(query, every_word=every_word)})"
    )
    weights = ", ".join(map(str, SQLITE_WEIGHTS))
    sql = f"""
        SELECT d.article_id, d.source_language, bm25(knowledge_search_fts, {weights}) AS rank,
               d.title, d.keywords, d.body
        FROM knowledge_search_fts
        JOIN knowledge_searchdocument d ON d.id = knowledge_search_fts.rowid
        WHERE knowledge_search_fts MATCH %s
        ORDER BY rank
        LIMIT {CANDIDATES}
    """  # noqa: S608 - only constants are formatted in; the MATCH text is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [match])
        return [(row[0], row[1], -float(row[2]), row[3], row[4], row[5]) for row in cursor]


def _query_postgresql(
    query: PreparedQuery, language: str, audiences: Sequence[str], every_word: bool
) -> list[Row]:
    sql = f"""
        SELECT d.article_id, d.source_language,
               ts_rank('{POSTGRES_WEIGHTS}', d.search_vector, q, 1) AS rank,
               d.title, d.keywords, d.body
        FROM knowledge_searchdocument d, to_tsquery('simple', %s) q
        WHERE d.language = %s AND d.audience = ANY(%s) AND d.search_vector @@ q
        ORDER BY rank DESC
        LIMIT {CANDIDATES}
    """  # noqa: S608 - only constants are formatted in
    with connection.cursor() as cursor:
        expression = tsquery_expression(query, every_word=every_word)
        cursor.execute(sql, [expression, language, list(audiences)])
        return [(row[0], row[1], float(row[2]), row[3], row[4], row[5]) for row in cursor]
