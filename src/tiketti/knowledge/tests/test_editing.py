"""Every staff member writes help articles in the admin; the rest of the admin is not theirs."""

from django.urls import reverse

from tiketti.accounts.tests.factories import UserFactory
from tiketti.knowledge.models import Article, Section


def test_agent_writes_an_article_in_the_admin(client, agent):
    section = Section.objects.create(slug="webshop", name_en="Web shop", name_fi="Verkkokauppa")
    client.force_login(agent)
    assert client.get(reverse("admin:knowledge_article_changelist")).status_code == 200
    add_page = client.get(reverse("admin:knowledge_article_add"))
    assert add_page.status_code == 200
    assert f'<option value="{section.pk}">' in add_page.content.decode()


def test_agent_cannot_open_the_rest_of_the_admin(client, agent):
    client.force_login(agent)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert client.get(reverse("admin:contracts_plan_changelist")).status_code == 403


def test_admin_role_has_every_permission_without_being_superuser(client, db):
    admin = UserFactory(staff_role="admin", is_superuser=False)
    client.force_login(admin)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_customers_cannot_enter_the_admin(client, main_user):
    client.force_login(main_user)
    response = client.get(reverse("admin:knowledge_article_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not Article.objects.exists()
