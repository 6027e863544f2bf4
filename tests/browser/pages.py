"""What browser tests share about the page (static/js/page.js)."""

IDLE = "() => document.body.classList.contains('ready') && !document.body.classList.contains('updating')"


def settled_url(page) -> str:
    """Return the address bar once the page is idle: it is written just after a drawing is on screen (a test that
    saw the new drawing may otherwise read the address of the state before)."""
    page.wait_for_function(IDLE)
    return page.url
