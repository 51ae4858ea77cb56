"""In a real browser, the site's pages break none of its own Content Security Policy: no
style or script is refused (htmx's indicator styles included, which it would otherwise
insert as an inline <style>)."""

import pytest

from tiketti.accounts.tests.factories import UserFactory
from tiketti.tickets.intake import IntakeRequest, submit_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Salasana-2026!"
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def log_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.locator("main input[name=username]").fill(email)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def violations_on(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.cspViolations")


def test_staff_and_customer_pages_break_no_policy(page, live_server, main_user):
    main_user.set_password(PASSWORD)
    main_user.save()
    agent = UserFactory(agent=True, password=PASSWORD, language="en")
    ticket = submit_request(
        IntakeRequest(channel="portal", requester=main_user, subject="Kassa", body_text="Hei")
    ).ticket
    page.add_init_script(RECORD_VIOLATIONS)
    base = live_server.url

    log_in(page, base, agent.email)
    assert violations_on(page, f"{base}/desk/") == []
    assert violations_on(page, f"{base}/desk/tickets/{ticket.number}/") == []
    page.context.clear_cookies()

    log_in(page, base, main_user.email)
    assert violations_on(page, f"{base}/requests/new/") == []
    assert violations_on(page, f"{base}/requests/{ticket.number}/") == []
    assert violations_on(page, f"{base}/help/") == []
