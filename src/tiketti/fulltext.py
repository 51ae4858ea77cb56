"""Search text normalisation (help center and desk): one set of tokens for FTS5 and PostgreSQL.

Pure functions over strings, no ORM. Documents and queries go through the same `stem()`:
tokenize, lower-case, drop stop words, Snowball-stem in the text's language (Finnish,
Polish, English) with a few measured corrections, then fold diacritics so `haslo` finds
`hasło`. Both databases index the resulting ASCII tokens with a plain tokenizer, so they
agree on what matches; only the ranking functions differ.

Measured against the relevance set (tests/knowledge/relevance.py, 102 queries), not
assumed. Plain Snowball with nothing else: recall@3 0.90 (Finnish 0.80); all of the
below: 0.99 (Finnish 0.97, Polish and English 1.0). Leaving one step out:

- Truncated matching (a query term also matches index terms sharing all but its last
  three letters): Finnish 0.97 → 0.91 without, Polish 1.0 → 0.97. Snowball's Finnish
  stems of one word still differ (`sähköposti`→`sähköp`, `sähköpostit`→`sähköpost`).
- Finnish compounds (`salasananvaihto`, `alennuskoodi`) split against the corpus
  vocabulary, each part indexed beside the whole word: Finnish 0.97 → 0.94 without.
- Typo repair (vocabulary words one edit away from an unknown query term): English
  1.0 → 0.94 without (`invocies`, `cupon`).
- Finnish verbal nouns (-minen, -mis-) and the final vowel stripped after Snowball, so
  `vaihtaminen`, `vaihtaa` and `vaihto` meet at `vaiht`: Finnish MRR 0.92 → 0.94.
- Polish: Snowball's stemmer (snowballstemmer 3) rather than pystempel 2.0, which does not
  import on Python 3.13, takes 1–6 s to load its tables and lemmatises erratically
  (`kody`→`kyć`, `członków`→`człewk`). Polish's mobile e (`haseł`/`hasło`,
  `przesyłek`/`przesyłka`) is removed after stemming; no effect on the set, kept because
  the forms otherwise never meet.

Query terms the index does not know are repaired against its vocabulary: words one edit
away (typos), the longest known prefix (inflections the stemmer misses, half-typed words)
and compound parts. Known terms are kept as they are and rank above repaired ones.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

LANGUAGES = ("fi", "pl", "en")
DEFAULT_LANGUAGE = "en"
# Query terms shorter than this are neither spelling-corrected nor prefix-repaired.
MIN_FUZZY_LENGTH = 5
MIN_PREFIX_LENGTH = 3
# A Finnish compound part is at least this long, so `sala` + `sanan` is not tried.
MIN_COMPOUND_PART = 4
MAX_QUERY_TERMS = 12
# Finnish and Polish inflect so much that Snowball's stems of one word still differ
# (sähköposti → sähköp, sähköpostit → sähköpost): a query term also matches index terms
# sharing all but its last three letters (at least five). English needs none.
TRUNCATED_LANGUAGES = frozenset({"fi", "pl"})
TRUNCATE_FROM = 6

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_FOLD = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "đ": "d"})
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_FI_VOWELS = frozenset("aeiouyäö")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


STOP_WORDS: dict[str, frozenset[str]] = {
    "fi": _word_set(
        "ja tai on ei en et eivät se ne ovat olen oli ole olla että kun jos kuin niin mutta "
        "miten miksi mikä mitä missä mihin mistä milloin kuka kenen voi voiko voin voimme "
        "pitää pitäisi saa saako saan minä mä sinä hän me te he minun meidän teidän "
        "tämä tämän tätä tuo tuon nyt vain myös jo sitten vielä kanssa "
        "hei moi kiitos apua ongelma ongelmia"
    ),
    "pl": _word_set(
        "i a w we z ze na do od o u po za przy przez dla jak co czy nie się to ten ta te "
        "jest są był była było być mam mamy ma mój moja moje nasz nasza nasze jak jaki "
        "jakie gdzie kiedy dlaczego mogę można może który która które tak ale lub oraz "
        "jego jej ich mi mnie nam dzień dobry proszę pomoc problem"
    ),
    "en": _word_set(
        "a an the and or but of to in on at by for from with without into about as is are "
        "was were be been being it its this that these those i me my we our you your he she "
        "they them their do does did doing have has had can could should would will how what "
        "why when where which who whom not no yes please help problem issue hi hello "
        "there here then so if"
    ),
}


# Each stop word of two letters or more, with the languages it is common in.
_STOP_WORD_LANGUAGES: dict[str, tuple[str, ...]] = {
    word: tuple(language for language in LANGUAGES if word in STOP_WORDS[language])
    for word in set().union(*STOP_WORDS.values())
    if len(word) > 1
}
# Letters that only one of our languages writes: Finnish ä/ö (Polish has ó, not ö), and
# Polish ą ę ł ś ż ź ć ń.
_OWN_LETTERS = {"fi": frozenset("äö"), "pl": frozenset("ąęłśżźćń")}


def guess_language(text: str, *, least: int = 3) -> str:
    """Which of fi, pl, en `text` is written in, judged by its common words and by the
    letters only one of them uses; "" when the text says too little (fewer than `least`
    clues) or two languages are close. For mail from people we do not know yet: the
    first 1,500 characters tell."""
    lowered = text[:1500].lower()
    clues = dict.fromkeys(LANGUAGES, 0)
    for word in _WORD.findall(lowered):
        for language in _STOP_WORD_LANGUAGES.get(word, ()):
            clues[language] += 1
    for language, letters in _OWN_LETTERS.items():
        clues[language] += min(sum(lowered.count(letter) for letter in letters), 10)
    ranked = sorted(clues.items(), key=lambda item: item[1], reverse=True)
    (best, most), (_, next_most) = ranked[0], ranked[1]
    return best if most >= least and most >= 2 * next_most else ""


def fold(text: str) -> str:
    """Lower-case ASCII: `Hasło` → `haslo`, `Jäsen` → `jasen`."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokenize(text: str) -> list[str]:
    """Words of `text`, lower-cased, diacritics kept (the stemmers need them)."""
    return _WORD.findall(text.lower())


def _snowball(language: str) -> Callable[[str], str]:
    algorithm = {"fi": "finnish", "pl": "polish", "en": "english"}[language]
    stemmer = snowballstemmer.stemmer(algorithm)
    return stemmer.stemWord  # type: ignore[no-any-return]


_SNOWBALL = {language: _snowball(language) for language in LANGUAGES}


def _finnish(word: str) -> str:
    stem = _SNOWBALL["fi"](word)
    # Verbal nouns: vaihtaminen → vaihtamin, vaihtamisen → vaihtamis → vaihta.
    for suffix in ("min", "mis"):
        if stem.endswith(suffix) and len(stem) - len(suffix) >= 4:
            stem = stem[: -len(suffix)]
            break
    # Snowball leaves a final vowel on some forms only (koodi/koodin, vaihto/vaihtaa).
    if len(stem) > 4 and stem[-1] in _FI_VOWELS:
        stem = stem[:-1]
    return stem


_POLISH_MOBILE_E = re.compile(r"(?<=[^aeiouyąęó])e(?=[^aeiouyąęó]$)")


def _polish(word: str) -> str:
    stem = _SNOWBALL["pl"](word)
    if len(stem) >= 5:
        # haseł → hasł, przesyłek → przesyłk, członek → członk: the e that comes and goes.
        stem = _POLISH_MOBILE_E.sub("", stem)
    return stem


def _english(word: str) -> str:
    return _SNOWBALL["en"](word)


_STEMMERS: dict[str, Callable[[str], str]] = {"fi": _finnish, "pl": _polish, "en": _english}


def language_or_default(language: str | None) -> str:
    code = (language or "").lower()[:2]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """The index term for one lower-case word: stemmed in `language`, then folded."""
    if word.isdigit() or len(word) <= 2:
        return fold(word)
    return fold(_STEMMERS[language](word))


def is_stop_word(word: str, language: str) -> bool:
    return word in STOP_WORDS[language] or len(word) < 2


def content_words(text: str, language: str) -> list[str]:
    return [word for word in tokenize(text) if not is_stop_word(word, language)]


class Vocabulary:
    """The terms an index holds for one language, with a memo of compound splits."""

    def __init__(self, terms: Iterable[str] = ()) -> None:
        self.terms = frozenset(terms)
        self._splits: dict[tuple[str, str], tuple[str, ...]] = {}
        self._sorted: list[str] | None = None

    def __contains__(self, term: object) -> bool:
        return term in self.terms

    def __len__(self) -> int:
        return len(self.terms)

    def starting_with(self, prefix: str, limit: int = 12) -> set[str]:
        """Up to `limit` known terms that start with `prefix`, shortest first."""
        if self._sorted is None:
            self._sorted = sorted(self.terms)
        start = bisect.bisect_left(self._sorted, prefix)
        found = []
        for term in itertools.islice(self._sorted, start, None):
            if not term.startswith(prefix):
                break
            found.append(term)
        return set(sorted(found, key=len)[:limit])

    def split_compound(self, word: str, language: str) -> tuple[str, ...]:
        """Stems of the parts of a Finnish compound whose parts are all known terms.

        `salasananvaihto` → (`salasan`, `vaiht`); () when no split is found. Tries the
        longest known first part first; the rest may itself be a compound (three parts at
        most). Only Finnish: Polish and English write compounds apart.
        """
        if language != "fi" or len(word) < 2 * MIN_COMPOUND_PART:
            return ()
        key = (word, language)
        if key not in self._splits:
            self._splits[key] = self._split(word, depth=2)
        return self._splits[key]

    def _split(self, word: str, depth: int) -> tuple[str, ...]:
        if len(word) < 2 * MIN_COMPOUND_PART:
            return ()
        for cut in range(len(word) - MIN_COMPOUND_PART, MIN_COMPOUND_PART - 1, -1):
            head = stem(word[:cut], "fi")
            if head not in self.terms:
                continue
            rest = word[cut:]
            tail = stem(rest, "fi")
            if tail in self.terms:
                return (head, tail)
            if depth > 1:
                parts = self._split(rest, depth - 1)
                if parts:
                    return (head, *parts)
        return ()


@dataclass(frozen=True)
class IndexedText:
    """Normalised text of one field: space-separated terms, and the set of them."""

    text: str
    terms: frozenset[str]


def index_text(text: str, language: str, vocabulary: Vocabulary | None = None) -> IndexedText:
    """Document text → index terms in order (compound parts follow the whole word)."""
    terms: list[str] = []
    for word in content_words(text, language):
        terms.append(stem(word, language))
        if vocabulary is not None:
            terms.extend(vocabulary.split_compound(word, language))
    return IndexedText(" ".join(terms), frozenset(terms))


def standalone_terms(texts: Iterable[str], language: str) -> set[str]:
    """Stems of every word of `texts`: the vocabulary compounds are split against."""
    return {stem(word, language) for text in texts for word in content_words(text, language)}


def edits1(term: str) -> set[str]:
    """Strings one deletion, transposition, replacement or insertion away (ASCII)."""
    splits = [(term[:i], term[i:]) for i in range(len(term) + 1)]
    deletes = {left + right[1:] for left, right in splits if right}
    transposes = {
        left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1
    }
    replaces = {left + ch + right[1:] for left, right in splits if right for ch in _ALPHABET}
    inserts = {left + ch + right for left, right in splits for ch in _ALPHABET}
    return (deletes | transposes | replaces | inserts) - {term}


@dataclass(frozen=True)
class TermGroup:
    """One word of the query. Its own term (when the index knows it) matches best; a
    `related` term (typo repair, other inflection, compound part) or a term starting with
    `prefix` (a word still being typed) matches too."""

    word: str
    exact: frozenset[str]
    related: frozenset[str] = frozenset()
    prefix: str = ""

    @property
    def terms(self) -> frozenset[str]:
        return self.exact | self.related

    def weight_in(self, document_terms: Collection[str]) -> float:
        """1 when the document has the word itself, 0.8 for a related form, else 0."""
        if any(term in document_terms for term in self.exact):
            return 1.0
        if any(term in document_terms for term in self.related):
            return 0.8
        if self.prefix and any(term.startswith(self.prefix) for term in document_terms):
            return 0.8
        return 0.0


@dataclass(frozen=True)
class PreparedQuery:
    language: str
    groups: tuple[TermGroup, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.groups)


def prepare_query(
    text: str,
    language: str,
    vocabulary: Vocabulary,
    *,
    partial_last_word: bool = False,
) -> PreparedQuery:
    """Turn what someone typed into term groups, using the index `vocabulary` to repair
    typos, unknown inflections, compounds and a last word still being typed."""
    language = language_or_default(language)
    words = content_words(text, language)[:MAX_QUERY_TERMS]
    groups: list[TermGroup] = []
    seen: set[str] = set()
    for position, word in enumerate(words):
        is_last = position == len(words) - 1
        typing = partial_last_word and is_last and not text[-1:].isspace()
        group = _group(word, language, vocabulary, typing=typing)
        if group is None or group.terms | {group.prefix} <= seen:
            continue
        seen |= group.terms | {group.prefix}
        groups.append(group)
    return PreparedQuery(language, tuple(groups))


def _group(word: str, language: str, vocabulary: Vocabulary, *, typing: bool) -> TermGroup | None:
    known = vocabulary.terms
    term = stem(word, language)
    prefix = term if typing and len(term) >= MIN_PREFIX_LENGTH else ""
    related: set[str] = set()
    if language in TRUNCATED_LANGUAGES and len(term) >= TRUNCATE_FROM:
        related |= vocabulary.starting_with(term[: max(TRUNCATE_FROM - 1, len(term) - 3)])
    if term in known:
        return TermGroup(word, frozenset({term}), frozenset(related - {term}), prefix)
    related |= set(vocabulary.split_compound(word, language))
    if len(term) >= MIN_FUZZY_LENGTH:
        related |= edits1(term) & known
        related |= _longest_known_prefix(term, known)
        if typing:
            related |= _longest_known_prefix(fold(word), known)
    if not related and not prefix:
        return None
    return TermGroup(word, frozenset(), frozenset(related), prefix)


def _longest_known_prefix(term: str, known: frozenset[str]) -> set[str]:
    shortest = max(MIN_FUZZY_LENGTH, len(term) - 4)
    for end in range(len(term) - 1, shortest - 1, -1):
        if term[:end] in known:
            return {term[:end]}
    return set()


def coverage(query: PreparedQuery, document_terms: Collection[str]) -> float:
    """Share of the query's words a document contains: exact words count fully,
    repaired ones (typo, prefix) a little less."""
    if not query.groups:
        return 0.0
    total = sum(group.weight_in(document_terms) for group in query.groups)
    return total / len(query.groups)


def fts5_expression(query: PreparedQuery, *, every_word: bool = False) -> str:
    """The query as an FTS5 MATCH expression (terms are [a-z0-9], safe to quote):
    documents with any of its words, or with `every_word`."""
    parts = [_fts5_group(group) for group in query.groups]
    return (" AND " if every_word else " OR ").join(part for part in parts if part)


def _fts5_group(group: TermGroup) -> str:
    options = [f'"{term}"' for term in sorted(group.terms)]
    if group.prefix:
        options.append(f'"{group.prefix}"*')
    return f"({' OR '.join(options)})" if options else ""


def tsquery_expression(query: PreparedQuery, *, every_word: bool = False) -> str:
    """The query for PostgreSQL's to_tsquery('simple', …)."""
    parts = []
    for group in query.groups:
        options = sorted(group.terms)
        if group.prefix:
            options.append(f"{group.prefix}:*")
        if options:
            parts.append(f"({' | '.join(options)})")
    return (" & " if every_word else " | ").join(parts)


def snippet(text: str, length: int = 180) -> str:
    """The first sentence or so of plain text, cut on a word boundary."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text.rfind(" ", 0, length)
    return text[: cut if cut > 0 else length].rstrip(",.;:") + "…"
