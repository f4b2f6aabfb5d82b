"""The enforced Content Security Policy breaks nothing: no violation on any page type,
and the maps (django-leaflet's inline script, with its nonce) draw their markers."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.helpers import PUBLIC_ROUTES, VOLUNTEER, YOUNG_PERSON

# Every kind of HTML page, by route name, with answers where a page shows results.
# Routes that do not exist (yet) are left out.
PAGE_TYPES = [
    ("associations:home", ""),
    ("associations:directory", ""),
    ("associations:directory", "?niveau=college&tri=-places"),
    ("associations:detail", ""),
    ("associations:map", ""),
    ("associations:map", "?niveau=ecole"),
    ("pages:contact", ""),
    ("pages:legal", ""),
    ("pages:privacy", ""),
    ("pages:accessibility", ""),
    ("orientation:index", ""),
    ("orientation:young", ""),
    ("orientation:young", "?" + urlencode(YOUNG_PERSON)),
    ("orientation:volunteer", ""),
    ("orientation:volunteer", "?" + urlencode(VOLUNTEER)),
    ("opendata:open_data", ""),
    ("opendata:brochure", ""),
    ("opendata:flyers", ""),
    ("opendata:association_flyer", ""),
    ("opendata:level_flyer", ""),
    ("referrals:young", ""),
    ("referrals:volunteer", ""),
]
PAGES = [PUBLIC_ROUTES[name] + query for name, query in PAGE_TYPES if name in PUBLIC_ROUTES]
PAGES.append("/cette-page-n-existe-pas/")

# Recorded by the page itself, before any of its scripts runs.
LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


def watch(page):
    """Violations reported by the console or by `securitypolicyviolation` events."""
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(LISTEN_FOR_VIOLATIONS)

    def violations():
        return console + page.evaluate("window.__cspViolations")

    return violations


def test_no_page_type_violates_the_policy(live_server, page, seed):
    violations = watch(page)
    found = {}
    for path in PAGES:
        response = page.goto(live_server.url + path)
        assert response.status in (200, 404), path
        # Enforced, not merely reported.
        assert "content-security-policy" in response.headers
        assert "content-security-policy-report-only" not in response.headers
        page.wait_for_load_state("networkidle")
        if seen := violations():
            found[path] = seen
        page.evaluate("window.__cspViolations = []")
    assert not found, found
    assert len(PAGES) >= 11


@pytest.mark.parametrize(
    ("path", "map_selector"),
    [
        (reverse("associations:map"), "#carte"),
        (reverse("associations:detail", args=["afev"]), "#carte-association"),
    ],
)
def test_the_maps_draw_their_markers_under_the_policy(live_server, page, seed, path, map_selector):
    violations = watch(page)
    response = page.goto(live_server.url + path)
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    # django-leaflet's inline script runs only because it carries the page's nonce.
    # (Chromium hides the attribute's value from the DOM: read the property.)
    nonce = page.locator("script[nonce]:not([src])").first.evaluate("script => script.nonce")
    assert nonce
    assert f"'nonce-{nonce}'" in policy
    page.wait_for_selector(f"{map_selector}.leaflet-container")
    page.wait_for_selector(f"{map_selector} path.place-marker")
    assert page.locator(f"{map_selector} path.place-marker").count() >= 1
    page.wait_for_load_state("networkidle")
    assert violations() == []


def test_the_watch_sees_a_violation(live_server, context, seed):
    """The check above is not blind: a script without the nonce is reported and blocked."""
    page = context.new_page()  # not the fixture that fails on console errors
    violations = watch(page)
    page.goto(live_server.url + "/")
    page.evaluate(
        """() => {
        const script = document.createElement("script");
        script.textContent = "window.__ran = true";
        document.body.append(script);
    }"""
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__ran") is None
    assert any("script-src" in violation for violation in violations())
    page.close()
