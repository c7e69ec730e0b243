from __future__ import annotations

import pytest


@pytest.fixture
def phone(browser, live_server):
    """A browser tab the size of a phone; `phone.base_url` is the live server."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.base_url = live_server.url
    yield tab
    context.close()
