from django.urls import reverse

from tiketti.accounts.tests.factories import UserFactory


def test_the_person_page_in_the_admin_shows_the_incident_mail_choice(client, main_user):
    client.force_login(UserFactory(admin=True))
    page = client.get(reverse("admin:accounts_user_change", args=[main_user.pk])).content.decode()
    assert 'name="receives_incident_notices"' in page
