"""The demo help center as data: the Markdown files hold exactly what the Python module
held, article for article and language for language."""

from dataclasses import asdict

from tiketti.knowledge import demo_content
from tiketti.knowledge.demo import read_demo_content


def test_the_files_hold_the_same_articles_and_texts_as_the_module():
    content = read_demo_content()
    assert [asdict(article) for article in content.articles] == [
        asdict(article) for article in demo_content.ARTICLES
    ]


def test_the_files_hold_the_same_sections_as_the_module():
    content = read_demo_content()
    expected = [
        (slug, en, fi, pl, descriptions) for slug, en, fi, pl, descriptions in demo_content.SECTIONS
    ]
    loaded = [
        (
            section.slug,
            section.name["en"],
            section.name["fi"],
            section.name["pl"],
            (section.description["en"], section.description["fi"], section.description["pl"]),
        )
        for section in content.sections
    ]
    assert loaded == expected
