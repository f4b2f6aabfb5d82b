"""Real-browser tests: Playwright drives Debian's Chromium against Django's live server."""

import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread


class SerialWSGIServer(WSGIServer):
    """The live server, one request at a time (as Django's own LiveServerSingleThread).

    With SQLite, the test database is in memory: one connection, that a threaded
    server's threads share. Two requests at once (the map asks for its places and its
    list together) misuse it ("bad parameter or other API misuse"), and a page can get
    the other request's rows. Served in the server's thread, which already uses the
    shared connections (LiveServerThread.run).
    """

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = SerialWSGIServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# No network here but loopback: keep Chromium from calling home at every start.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(autouse=True)
def _migration_data(migration_data):
    """The live server runs in another thread: browser tests commit their data.

    (Django's serialized_rollback cannot help: Playwright's event loop gives the test
    another connection object than the one that saved the data.)
    """


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def page(page):
    """A page that fails the test on any JavaScript error or console error."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            # Failed loads are reported below with their address; tiles cannot load here.
            if message.type == "error" and "Failed to load resource" not in message.text
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}")
            # Sub-resources only: a test that opens a page checks that page's own status.
            if response.status >= 400
            and response.url.startswith("http://localhost")
            and response.request.resource_type != "document"
            else None
        ),
    )
    yield page
    assert not errors, f"erreurs dans la console : {errors}"


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core on the page and fail on any serious or critical violation."""

    def check(page):
        violations = axe.run(page).response["violations"]
        blocking = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in violations
            if v["impact"] in BLOCKING_IMPACTS
        ]
        assert not blocking, "\n".join(blocking)

    return check
