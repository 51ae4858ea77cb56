"""Normalisation and query preparation: pure functions, no database."""

import pytest

from tiketti.fulltext import (
    Vocabulary,
    coverage,
    edits1,
    fold,
    fts5_expression,
    guess_language,
    index_text,
    prepare_query,
    standalone_terms,
    stem,
    tokenize,
    tsquery_expression,
)


def terms(text, language, vocabulary=None):
    return index_text(text, language, vocabulary).terms


def vocabulary_of(*texts, language):
    base = standalone_terms(texts, language)
    return Vocabulary(base | {t for text in texts for t in terms(text, language, Vocabulary(base))})


def test_folding_removes_diacritics_including_polish_l():
    assert fold("Hasło Jäsen Źródło Ölj") == "haslo jasen zrodlo olj"


def test_tokenizer_splits_on_punctuation_and_hyphens():
    assert tokenize("SMS-viesti: InPost/Posti (500)") == ["sms", "viesti", "inpost", "posti", "500"]


@pytest.mark.parametrize(
    ("words", "language"),
    [
        # Finnish cases and derivations of one word meet at one term.
        (["vaihto", "vaihtaminen", "vaihtamisen", "vaihtaa"], "fi"),
        (["lasku", "laskun", "laskut", "laskuja"], "fi"),
        (["koodi", "koodin", "koodit"], "fi"),
        (["maksu", "maksut", "maksaminen"], "fi"),
        (["salasanan", "salasanaa", "salasanat"], "fi"),
        # Polish cases, including the mobile e.
        (["hasło", "hasła", "hasłem", "haseł"], "pl"),
        (["przesyłka", "przesyłki", "przesyłek"], "pl"),
        (["faktura", "faktury", "fakturę", "faktur"], "pl"),
        (["członek", "członków"], "pl"),
        # English plurals and verb forms.
        (["invoice", "invoices"], "en"),
        (["coupon", "coupons"], "en"),
        (["change", "changing", "changed"], "en"),
    ],
)
def test_inflected_forms_share_one_term(words, language):
    assert len({stem(word, language) for word in words}) == 1


def test_polish_without_diacritics_reaches_the_same_term():
    assert stem("hasla", "pl") == stem("hasła", "pl")


def test_stop_words_are_not_indexed():
    assert terms("How do I change my password", "en") == {"chang", "password"}
    assert "miten" not in " ".join(terms("Miten vaihdan salasanan", "fi"))


def test_finnish_compound_is_split_against_the_vocabulary():
    vocabulary = Vocabulary({stem("salasanan", "fi"), stem("vaihto", "fi")})
    assert vocabulary.split_compound("salasananvaihto", "fi") == (
        stem("salasanan", "fi"),
        stem("vaihto", "fi"),
    )


def test_three_part_compound_is_split():
    vocabulary = Vocabulary({stem(w, "fi") for w in ("jäsen", "maksu", "lasku")})
    assert vocabulary.split_compound("jäsenmaksulaskut", "fi") == tuple(
        stem(w, "fi") for w in ("jäsen", "maksu", "laskut")
    )


def test_unknown_parts_do_not_split_and_other_languages_never_split():
    vocabulary = Vocabulary({stem("salasana", "fi")})
    assert vocabulary.split_compound("tietokoneohjelma", "fi") == ()
    assert Vocabulary({"pass", "word"}).split_compound("password", "en") == ()


def test_compound_in_a_document_indexes_its_parts_too():
    vocabulary = Vocabulary({stem("alennus", "fi"), stem("koodi", "fi")})
    indexed = terms("Alennuskoodin luominen", "fi", vocabulary)
    assert {stem("alennuskoodin", "fi"), stem("alennus", "fi"), stem("koodi", "fi")} <= indexed


def test_edits1_covers_deletion_insertion_replacement_and_transposition():
    variants = edits1("koodi")
    assert {"kodi", "kooodi", "koodu", "kooid"} <= variants
    assert "koodi" not in variants


def test_salasanan_vaihtaminen_finds_salasanan_vaihto():
    vocabulary = vocabulary_of("Salasanan vaihto", language="fi")
    query = prepare_query("salasanan vaihtaminen", "fi", vocabulary)
    assert coverage(query, terms("Salasanan vaihto", "fi")) == 1.0


def test_finnish_compound_query_matches_separate_words():
    vocabulary = vocabulary_of("Salasanan vaihto", language="fi")
    query = prepare_query("salasananvaihto", "fi", vocabulary)
    assert query.groups[0].terms >= {stem("salasanan", "fi"), stem("vaihto", "fi")}


def test_typo_is_repaired_against_the_vocabulary():
    vocabulary = vocabulary_of("Changing your password", language="en")
    query = prepare_query("pasword", "en", vocabulary)
    assert query.groups[0].related == {"password"}
    assert query.groups[0].exact == frozenset()


def test_polish_typo_is_repaired():
    vocabulary = vocabulary_of("Etykiety InPost nie generują się", language="pl")
    query = prepare_query("inpsot", "pl", vocabulary)
    assert stem("inpost", "pl") in query.groups[0].terms


def test_unfinished_last_word_matches_by_prefix():
    vocabulary = vocabulary_of("Exporting members to Excel", language="en")
    query = prepare_query("export memb", "en", vocabulary, partial_last_word=True)
    assert query.groups[-1].prefix == "memb"
    assert coverage(query, terms("Exporting members to Excel", "en")) > 0.8


def test_a_finished_word_is_not_a_prefix():
    vocabulary = vocabulary_of("Exporting members", language="en")
    query = prepare_query("export members ", "en", vocabulary, partial_last_word=True)
    assert all(not group.prefix for group in query.groups)


def test_words_unknown_to_the_index_are_dropped():
    query = prepare_query("zyxwv qqq", "en", Vocabulary({"password"}))
    assert not query


def test_exact_words_weigh_more_than_repaired_ones():
    vocabulary = vocabulary_of("invoice", language="en")
    exact = prepare_query("invoice", "en", vocabulary)
    repaired = prepare_query("invocie", "en", vocabulary)
    document = terms("invoice", "en")
    assert coverage(exact, document) > coverage(repaired, document) > 0


def test_query_expressions_quote_terms_for_both_databases():
    vocabulary = Vocabulary({"password", "reset"})
    query = prepare_query("password rese", "en", vocabulary, partial_last_word=True)
    assert fts5_expression(query) == '("password") OR ("rese"*)'
    assert fts5_expression(query, every_word=True) == '("password") AND ("rese"*)'
    assert tsquery_expression(query) == "(password) | (rese:*)"
    assert tsquery_expression(query, every_word=True) == "(password) & (rese:*)"


def test_query_injection_characters_never_reach_the_expression():
    vocabulary = Vocabulary({"password"})
    query = prepare_query("password\" OR * NEAR( ) : ' ; --", "en", vocabulary)
    assert fts5_expression(query) == '("password")'


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hei, meillä ei toimi kassa. Voitteko auttaa?", "fi"),
        ("Moikka! Tilaus jäi kesken, mitä teen?", "fi"),
        ("Dzień dobry, nie działa płatność w sklepie. Proszę o pomoc.", "pl"),
        ("Witam, mam problem z fakturą", "pl"),
        ("Hello, the payment page does not work for us. Can you help?", "en"),
        ("Kassa", ""),  # one word says too little
        ("Re: TK-1001", ""),
        ("Kiitos!", ""),
        ("", ""),
    ],
)
def test_the_language_of_a_strangers_mail_is_guessed_or_left_open(text, language):
    assert guess_language(text) == language
