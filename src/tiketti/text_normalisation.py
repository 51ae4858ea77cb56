"""Text normalisation shared by the domains: words, stop words, stems and folding in
Finnish, Polish and English; a language guess for text from people we do not know yet.

Pure functions over strings, no ORM. The help center's search index (`knowledge.search`)
and routing keywords (`tickets.routing`) go through the same `stem()`, so a keyword an
admin types matches the forms customers write, as an article's words do. How the stems
were tuned is told in `knowledge.search`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import snowballstemmer

LANGUAGES = ("fi", "pl", "en")
DEFAULT_LANGUAGE = "en"

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_FOLD = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "đ": "d"})
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
