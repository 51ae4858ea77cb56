"""Incidents and reports in a real browser: the portal's incident banner, the public
status page without login (and without cookies), the reports page's charts on demo data."""

import pytest

from tiketti.accounts.models import User
from tiketti.operations.demo import DEMO_PASSWORD, load_demo_data
from tiketti.status import services
from tiketti.status.models import Incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    load_demo_data()
    return User.objects.get(email="admin@tiketti.example")


def log_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.locator("main input[name=username]").fill(email)
    page.locator("main input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")


def test_portal_shows_the_open_incident_in_finnish(page, live_server, demo):
    maija = (
        User.objects.filter(organisation__isnull=False, customer_role="main_user")
        .order_by("pk")
        .first()
    )
    assert maija.language == "fi"
    log_in(page, live_server.url, maija.email)
    page.goto(f"{live_server.url}/requests/")
    banner = page.get_by_test_id("incident-banner")
    banner.wait_for()
    assert "Lähetystarrojen tulostus on hidasta" in banner.inner_text()
    assert "Korttimaksut" not in banner.inner_text()  # resolved last week


def test_status_page_renders_without_login_or_cookies(page, live_server, demo):
    page.goto(f"{live_server.url}/status/?lang=pl")
    open_incident = page.get_by_test_id("incident").first
    open_incident.wait_for()
    assert "Drukowanie etykiet wysyłkowych działa wolno" in open_incident.inner_text()
    assert "Płatności kartą nie działały" in page.content()
    assert page.context.cookies() == []
    services.post_update(
        incident=Incident.objects.open().get(),
        author=demo,
        state="resolved",
        texts={"en": "Fixed.", "pl": "Naprawione."},
    )
    page.reload()
    page.get_by_test_id("all-ok").wait_for()


def test_reports_page_draws_its_charts_from_demo_data(page, live_server, demo):
    log_in(page, live_server.url, "lead@tiketti.example")
    page.goto(f"{live_server.url}/desk/reports/")
    channels = page.get_by_test_id("report-volume_channel")
    channels.wait_for()
    rows = channels.locator("tbody tr").count()
    assert rows > 0
    assert channels.locator("svg rect.bar").count() == rows
    assert page.get_by_test_id("report-backlog_age").locator("svg rect.bar").count() == 5
    assert page.get_by_test_id("report-volume_hour_of_week").locator("rect.cell").count() == 168
    with page.expect_download() as download:
        page.get_by_test_id("csv-link").click()
    assert download.value.suggested_filename == "tiketti-report.csv"


def test_affected_main_user_is_mailed_in_finnish_and_a_rating_click_counts_once(
    page, live_server, demo
):
    from tiketti.mail.models import OutgoingEmail
    from tiketti.satisfaction.models import Survey
    from tiketti.tickets import services as ticket_services
    from tiketti.tickets.intake import IntakeRequest, submit_request

    maija = User.objects.get(email="maija.virtanen@aurora.example")
    services.open_incident(
        author=demo,
        titles={"en": "Login fails", "fi": "Kirjautuminen ei onnistu"},
        texts={"en": "Investigating.", "fi": "Selvitämme."},
        organisation_ids=[maija.organisation_id],
    )
    notice = OutgoingEmail.objects.get(template="incident-started", to=maija.email)
    assert notice.language == "fi" and "Kirjautuminen ei onnistu" in notice.subject
    ticket = submit_request(
        IntakeRequest(channel="portal", requester=maija, subject="Kirjautuminen", body_text="?")
    ).ticket
    agent = User.objects.get(email="agent@tiketti.example")
    ticket_services.post_message(
        ticket=ticket, author=agent, body_text="Korjattu.", channel="portal", new_status="solved"
    )
    survey_mail = OutgoingEmail.objects.get(template="satisfaction-survey", ticket=ticket)
    good = next(line for line in survey_mail.body_text.splitlines() if line.startswith("Hyvä:"))
    link = live_server.url + "/rate/" + good.split("/rate/", 1)[1].strip()
    page.goto(link)
    page.get_by_test_id("rated").wait_for()
    assert "Kiitos palautteestasi" in page.content()
    page.goto(link)
    page.get_by_test_id("rated").wait_for()
    assert Survey.objects.filter(ticket=ticket, rating="good").count() == 1
