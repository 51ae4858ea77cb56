"""A visitor finds the privacy page from the footer and reads it on a laptop or a phone."""

import pytest

from .test_layout import assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_footer_leads_to_the_privacy_page_which_fits_every_width(page, live_server, settings):
    settings.TIKETTI_RETENTION_MONTHS = 24
    page.goto(f"{live_server.url}/help/")
    link = page.locator("footer a", has_text="Tietosuoja")  # the browser speaks Finnish
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/privacy/")
    assert "tyhjennetään 24 kuukauden kuluttua" in page.locator("main").inner_text()
    assert_no_sideways_scroll(page, [f"{live_server.url}/privacy/"])
