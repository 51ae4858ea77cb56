from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from tiketti.accounts.tests.factories import UserFactory
from tiketti.knowledge.models import SearchDocument
from tiketti.knowledge.services import log_search


def test_admin_edits_articles_with_a_rendered_preview(client, password_article):
    client.force_login(UserFactory(admin=True))
    assert client.get(reverse("admin:knowledge_article_changelist")).status_code == 200
    page = client.get(reverse("admin:knowledge_article_change", args=[password_article.pk]))
    assert page.status_code == 200
    assert '<div class="article-preview">' in page.content.decode()


def test_agents_see_only_the_help_center_in_the_admin(client, agent):
    client.force_login(agent)
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:knowledge_article_changelist") in index
    assert reverse("admin:accounts_user_changelist") not in index


def test_reindex_command_rebuilds_the_index(password_article):
    SearchDocument.objects.all().delete()
    out = StringIO()
    call_command("knowledge", "reindex", stdout=out)
    assert out.getvalue().strip() == "indexed 3 documents"
    assert SearchDocument.objects.count() == 3


def test_unanswered_command_lists_searches_that_found_nothing(db):
    log_search(text="lahjakortti", language="fi", source="help_center", result_count=0)
    out = StringIO()
    call_command("knowledge", "unanswered", "--days", "7", stdout=out)
    assert out.getvalue() == "1\tfi\tlahjakortti\n"
