"""The demo help center is data (knowledge/demo_articles/): every article in Finnish,
Polish and English, loaded by `demo-data`, its help keys leading to it. The files were
written from the Python module that held the content; a test compared the two, article
for article, before the module was removed (commit "knowledge: The demo help center is
Markdown files …")."""

import shutil

import pytest

from tiketti.accounts.tests.factories import UserFactory
from tiketti.knowledge import services
from tiketti.knowledge.demo import (
    DEMO_DIR,
    DemoContentError,
    load_demo_articles,
    read_demo_content,
)
from tiketti.knowledge.models import Article, ArticleTranslation, Section

ARTICLE_COUNT = 30  # as the module had: 26 articles, 3 FAQ entries, 1 video
SECTION_COUNT = 6


def test_the_content_is_what_the_module_had():
    content = read_demo_content()
    assert len(content.sections) == SECTION_COUNT
    assert len(content.articles) == ARTICLE_COUNT
    kinds = [article.kind for article in content.articles]
    assert (kinds.count("article"), kinds.count("faq"), kinds.count("video")) == (26, 3, 1)
    assert sum(len(article.help_keys) for article in content.articles) == 24
    assert content.articles[0].slug == "changing-your-password"
    assert content.articles[0].fi[0] == "Salasanan vaihto"
    assert content.articles[0].fi[1].startswith("Voit vaihtaa salasanasi aina kun olet")


@pytest.mark.django_db
def test_demo_data_loads_every_article_in_three_languages():
    assert load_demo_articles() == ARTICLE_COUNT
    assert load_demo_articles() == 0  # already there
    assert Section.objects.count() == SECTION_COUNT
    assert Article.objects.published().count() == ARTICLE_COUNT
    for language in ("fi", "pl", "en"):
        translations = ArticleTranslation.objects.filter(language=language)
        assert translations.count() == ARTICLE_COUNT, language
        assert not translations.filter(body_html="").exists()


@pytest.mark.django_db
def test_every_help_key_opens_its_article():
    load_demo_articles()
    staff = UserFactory(agent=True)  # sees the internal article too
    for demo in read_demo_content().articles:
        for key in demo.help_keys:
            article = services.article_for_context(user=staff, key=key)
            assert article is not None and article.slug == demo.slug, key


def broken_copy(tmp_path):
    copy = tmp_path / "demo_articles"
    shutil.copytree(DEMO_DIR, copy)
    return copy


def test_an_article_missing_a_language_is_named(tmp_path):
    copy = broken_copy(tmp_path)
    (copy / "account" / "adding-users.pl.md").unlink()
    with pytest.raises(DemoContentError, match="adding-users: no file in pl"):
        read_demo_content(copy)


def test_files_that_disagree_are_named(tmp_path):
    copy = broken_copy(tmp_path)
    path = copy / "account" / "adding-users.pl.md"
    path.write_text(path.read_text().replace('kind = "article"', 'kind = "faq"'))
    with pytest.raises(DemoContentError, match=r"adding-users\.pl\.md: differs in kind"):
        read_demo_content(copy)


def test_a_file_without_front_matter_is_named(tmp_path):
    copy = broken_copy(tmp_path)
    path = copy / "account" / "adding-users.fi.md"
    path.write_text("Pelkkää tekstiä")
    with pytest.raises(DemoContentError, match=r"adding-users\.fi\.md: must start with"):
        read_demo_content(copy)
