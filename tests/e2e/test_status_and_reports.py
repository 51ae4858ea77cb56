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
