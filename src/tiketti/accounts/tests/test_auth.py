import re

from django.core import mail
from django.urls import reverse

from tiketti.accounts.models import User


def test_login_by_email_in_any_letter_case(client, main_user):
    response = client.post(
        reverse("accounts:login"), {"username": "MAIJA@Aurora.example", "password": "secret-pass"}
    )
    assert response.status_code == 302
    assert client.get(reverse("portal:ticket-list")).status_code == 200


def test_wrong_password_shows_an_error(client, main_user):
    response = client.post(
        reverse("accounts:login"), {"username": main_user.email, "password": "wrong"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_agents_land_in_the_desk_and_customers_in_the_portal(client, agent, main_user):
    client.force_login(agent)
    assert client.get("/")["Location"] == reverse("desk:queue")
    client.force_login(main_user)
    assert client.get("/")["Location"] == reverse("portal:ticket-list")


def test_password_reset_mail_sets_a_new_password(
    client, main_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password-reset"), {"email": main_user.email})
    [sent] = mail.outbox
    assert sent.to == [main_user.email]
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", sent.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Uusi-salasana-2026", "new_password2": "Uusi-salasana-2026"},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=main_user.pk).check_password("Uusi-salasana-2026")


def test_password_reset_for_unknown_address_reveals_nothing(client, db):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_expired_reset_link_says_so(client, main_user):
    response = client.get("/accounts/password-reset/MQ/set-password/", follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is False


def test_passwords_are_hashed_with_argon2_in_production(settings):
    from tiketti import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_login_page_shows_the_product_name_not_the_host(client, db, settings):
    settings.TIKETTI_SITE_NAME = "Aurora Support"
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<a class="brand" href="/">Aurora Support</a>' in page
