"""Reliability: no 5xx under hostile input, no broken link, error pages, health, logs.

The public routes are read from the URL configuration, so that a new page or API
(orientation, open data…) is fuzzed and crawled as soon as it exists.
"""

import json
import logging
import re
from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django.asserts import assertInHTML

from core.http import public_api
from mentorat.middleware import loggable_path
from mentorat.views import server_error
from referrals.models import Referral

from .factories import AssociationFactory
from .helpers import PUBLIC_ROUTES, ROUTES_WITHOUT_SAMPLE, VOLUNTEER, YOUNG_PERSON, crawl

pytestmark = pytest.mark.django_db

PUBLIC_URLS = sorted(set(PUBLIC_ROUTES.values()))
DIRECTORY = {"niveau": "college", "besoin": "confiance", "modalite": "presentiel", "tri": "-places"}
VALID_QUERIES = {
    "orientation:young": YOUNG_PERSON,
    "orientation:api_young": YOUNG_PERSON,
    "orientation:volunteer": VOLUNTEER,
    "orientation:api_volunteer": VOLUNTEER,
    "associations:directory": DIRECTORY,
    "associations:map": DIRECTORY,
    "associations:locations_geojson": DIRECTORY,
}
ROUTES = sorted(PUBLIC_ROUTES.items())
ROUTE_IDS = [name for name, _ in ROUTES]


def test_every_public_route_is_tested():
    """A route whose argument has no sample value would escape the fuzz and crawler tests."""
    assert not ROUTES_WITHOUT_SAMPLE, (
        f"ajoutez un exemple dans SAMPLE_KWARGS pour {ROUTES_WITHOUT_SAMPLE}"
    )
    for name in [
        "associations:home",
        "associations:directory",
        "associations:locations_geojson",
        "health",
    ]:
        assert name in PUBLIC_ROUTES


# Fuzz: random and malicious input to every public view. Requests only read, so one
# database (the `seed` fixture) serves every example; the fixtures are not reset
# between examples on purpose, hence the suppressed health check.
FUZZ = hypothesis_settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Headers and bodies rarely change the path through a view: fewer examples per route.
FUZZ_LIGHT = hypothesis_settings(FUZZ, max_examples=8)
# Unknown paths cost a 404 each: many examples.
FUZZ_PATHS = hypothesis_settings(FUZZ, max_examples=60)

MALICIOUS = [
    "",
    " ",
    "'",
    '"',
    "' OR '1'='1",
    "1; DROP TABLE associations_association; --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "%s%s%s%n",
    "../../../../etc/passwd",
    "..%2f..%2fetc%2fpasswd",
    "\x00",
    "\x00abc",
    "%00",
    "%",
    "%zz",
    "%ff%fe",
    "\u202e\u0645\u0631\u062d\u0628\u0627",
    "👩‍🎓",
    "-1",
    "0",
    "1e309",
    "NaN",
    "Infinity",
    "9" * 40,
    "-" + "9" * 40,
    "1.5",
    "true",
    "null",
    "[]",
    "{}",
    "a" * 5000,
    "college",
    "afev",
    "presentiel",
    "-name",
]
# Parameter names the public forms read, and a few that nothing reads.
PARAMETER_NAMES = [
    "age",
    "situation",
    "besoins",
    "situations_particulieres",
    "heures_par_mois",
    "mois",
    "niveau",
    "besoin",
    "modalite",
    "mentor",
    "tri",
    "page",
    "q",
    "format",
    "profil",
    "lieu",
    "disponibilite",
    "commune",
    "csrfmiddlewaretoken",
    "__proto__",
    "niveau[]",
]

text_values = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=60)
values = st.one_of(st.sampled_from(MALICIOUS), text_values, st.integers().map(str))
names = st.one_of(st.sampled_from(PARAMETER_NAMES), text_values)


def query_strings(valid):
    """Hostile parameters alone, or added to valid answers (repeated names included)."""
    pairs = st.lists(st.tuples(names, values), max_size=6)
    return st.one_of(
        pairs.map(urlencode),
        pairs.map(lambda extra: urlencode(list(valid.items()) + extra)),
        pairs.map(lambda extra: urlencode({**valid, **dict(extra)})),
        raw_query_strings,
    )


raw_query_strings = st.one_of(
    # Raw, possibly broken, percent-encoding.
    st.lists(st.sampled_from(MALICIOUS + ["&", "=", "&&", "==", "+", ";"]), max_size=8).map(
        lambda parts: "".join(part.replace("#", "") for part in parts)
    ),
    st.binary(max_size=80).map(lambda raw: quote(raw, safe="=&")),
)
# Header values as a WSGI server hands them over: bytes read as latin-1, on one line.
header_values = st.one_of(st.sampled_from(MALICIOUS), text_values, st.binary(max_size=100)).map(
    lambda value: (
        (value if isinstance(value, bytes) else value.encode())
        .decode("latin-1")
        .replace("\r", "")
        .replace("\n", "")
    )
)
HEADER_NAMES = [
    "Accept",
    "Accept-Language",
    "Accept-Encoding",
    "Cookie",
    "If-None-Match",
    "If-Modified-Since",
    "Range",
    "Referer",
    "User-Agent",
    "X-Forwarded-For",
    "X-Forwarded-Proto",
    "X-Partial",
    "X-Requested-With",
    "Content-Type",
]
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND"]
CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "multipart/form-data",
    "application/json",
    "text/plain",
    "application/octet-stream",
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/x-www-form-urlencoded; charset=nonexistent",
]


def assert_no_server_error(response, request_description):
    assert response.status_code < 500, f"{response.status_code} pour {request_description}"


@pytest.mark.parametrize(("name", "url"), ROUTES, ids=ROUTE_IDS)
@FUZZ
@given(data=st.data())
def test_hostile_query_strings_never_cause_a_server_error(client, seed, name, url, data):
    query = data.draw(query_strings(VALID_QUERIES.get(name, {})), label="query")
    response = client.get(f"{url}?{query}")
    assert_no_server_error(response, f"GET {url}?{query}")


@pytest.mark.parametrize("url", PUBLIC_URLS)
@FUZZ_LIGHT
@given(headers=st.dictionaries(st.sampled_from(HEADER_NAMES), header_values, max_size=4))
def test_hostile_headers_never_cause_a_server_error(client, seed, url, headers):
    response = client.get(url, headers=headers)
    assert_no_server_error(response, f"GET {url} {headers!r}")


@pytest.mark.parametrize("url", PUBLIC_URLS)
@FUZZ_LIGHT
@given(
    method=st.sampled_from(METHODS),
    content_type=st.sampled_from(CONTENT_TYPES),
    body=st.one_of(
        st.binary(max_size=300),
        st.lists(st.tuples(names, values), max_size=6).map(lambda pairs: urlencode(pairs).encode()),
        st.sampled_from([b'{"age": "NaN"}', b"[" * 500, b"--xyz\r\n\r\n--xyz--", b"\xff\xfe\x00"]),
    ),
)
def test_hostile_bodies_and_methods_never_cause_a_server_error(
    client, seed, url, method, content_type, body
):
    response = client.generic(method, url, data=body, content_type=content_type)
    assert_no_server_error(response, f"{method} {url} ({content_type}) {body[:80]!r}")


@FUZZ_PATHS
@given(
    path=st.one_of(
        st.binary(min_size=1, max_size=120).map(lambda raw: "/" + quote(raw)),
        st.lists(
            st.sampled_from(MALICIOUS + ["associations", "api", "carte", "static", ".."]),
            max_size=5,
        ).map(lambda parts: "/" + "/".join(quote(part, safe="%") for part in parts)),
        st.sampled_from(PUBLIC_URLS).flatmap(
            lambda url: st.sampled_from(MALICIOUS).map(
                lambda part: url + quote(part, safe="%") + "/"
            )
        ),
    )
)
def test_hostile_paths_never_cause_a_server_error(client, seed, path):
    response = client.get(path)
    assert_no_server_error(response, f"GET {path}")


XSS = '"><script>alert("xss")</script>'


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_input_is_never_echoed_unescaped(client, seed, url):
    query = urlencode([(name, XSS) for name in PARAMETER_NAMES])
    response = client.get(f"{url}?{query}", headers={"X-Partial": XSS, "Referer": XSS})
    assert XSS.encode() not in response.content


# Crawler: every internal link, stylesheet, script and image, from the home page.


# Pages that must be reachable by links (forms lead to the others: the fuzz covers them).
CRAWLED_ROUTES = [
    "associations:home",
    "associations:directory",
    "associations:detail",
    "associations:map",
    "pages:contact",
    "pages:legal",
    "pages:privacy",
    "pages:accessibility",
    "sitemap",
]


def test_every_internal_link_and_static_file_works(client, seed):
    pages = crawl(client)
    broken = {
        path: response.status_code
        for path, response in pages.items()
        if response.status_code >= 400
    }
    assert not broken, f"liens cassés : {broken}"
    # The crawl reached every kind of page, and the files they load.
    paths = set(pages)
    for name in CRAWLED_ROUTES:
        assert PUBLIC_ROUTES[name] in paths, f"{name} n’est lié depuis aucune page"
    assert {f"/associations/{slug}/" for slug in ["afev", "anaf"]} <= paths
    assert any(path.startswith(settings.STATIC_URL) and path.endswith(".css") for path in paths)
    assert any(path.startswith(settings.STATIC_URL) and path.endswith(".js") for path in paths)


# Error pages.


def test_unknown_page_is_a_french_404_in_the_site_layout(client, seed):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Cette page n’existe pas" in response.content.decode()
    assert 'class="site-header"' in response.content.decode()


def test_unknown_host_is_a_french_400(client, seed):
    response = client.get("/", headers={"host": "pirate.example"})
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="fr" dir="ltr">' in page
    assert "Cette demande n’a pas pu être comprise" in page


def test_forbidden_admin_page_is_a_french_403(staff_client):
    response = staff_client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 403
    page = response.content.decode()
    assertInHTML("<h1>Accès refusé</h1>", page)
    assert 'class="site-header"' in page


def test_expired_form_is_a_french_403(staff_member):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("admin:login"), {"username": "camille", "password": "x"})
    assert response.status_code == 403
    assertInHTML("<h1>Formulaire expiré</h1>", response.content.decode())


class DatabaseDown:
    """Makes every query fail as if the database server had gone, and counts them."""

    def __init__(self):
        self.attempts = 0

    def __call__(self, execute, sql, params, many, context):
        self.attempts += 1
        raise OperationalError("la base de données ne répond pas (simulé)")


def test_500_page_renders_with_the_database_down(db):
    request = RequestFactory().get("/")
    down = DatabaseDown()
    with connection.execute_wrapper(down), CaptureQueriesContext(connection) as queries:
        response = server_error(request)
    assert response.status_code == 500
    assert down.attempts == 0 and len(queries) == 0
    page = response.content.decode()
    assert '<html lang="fr" dir="ltr">' in page
    assertInHTML("<h1>Le site rencontre un problème</h1>", page)
    assert "/static/css/site.css" in page


def test_a_page_that_fails_on_the_database_shows_the_french_500(db, caplog):
    client = Client(raise_request_exception=False)
    down = DatabaseDown()
    with connection.execute_wrapper(down), caplog.at_level(logging.INFO):
        response = client.get("/?niveau=college")
    assert response.status_code == 500
    assert down.attempts >= 1
    assertInHTML("<h1>Le site rencontre un problème</h1>", response.content.decode())
    # One line for the request, one for the error with its traceback; no query string.
    request_lines = [r for r in caplog.records if r.name == "mentorat.requests"]
    assert [r.getMessage().rsplit(" ", 1)[0] for r in request_lines] == ["GET / 500"]
    errors = [r for r in caplog.records if r.name == "django.request"]
    assert len(errors) == 1 and errors[0].exc_info is not None
    assert "college" not in caplog.text


def test_an_error_while_rendering_the_500_page_still_answers(db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("gabarit illisible")

    monkeypatch.setattr("mentorat.views.loader.get_template", broken)
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Le site rencontre un problème" in response.content.decode()


# Health.


def test_health_reports_the_database_and_the_queue_in_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {
        "status": "ok",
        "database": "ok",
        "queue": "ok",
        "pending_emails": 0,
        "oldest_pending_email_seconds": 0,
    }
    assert "no-cache" in response["Cache-Control"]


def test_health_says_when_emails_wait_too_long(client):
    """A stopped worker leaves the site up (200) but the queue late, for monitoring."""
    association = AssociationFactory()
    Referral.objects.create(
        association=association,
        kind="jeune",
        first_name="Inès",
        email="ines@example.org",
        age=16,
        created_at=timezone.now() - timedelta(minutes=20),
    )
    Referral.objects.create(
        association=association, kind="jeune", first_name="Léa", email="lea@example.org", age=16
    )
    response = client.get(reverse("health"))
    assert response.status_code == 200
    health = json.loads(response.content)
    assert (health["status"], health["queue"], health["pending_emails"]) == (
        "ok",
        "en retard",
        2,
    )
    assert 20 * 60 <= health["oldest_pending_email_seconds"] < 21 * 60


def test_health_reports_a_database_failure(client):
    with connection.execute_wrapper(DatabaseDown()):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "indisponible", "database": "indisponible"}


def test_health_answers_head_and_refuses_post(client):
    assert client.head(reverse("health")).status_code == 200
    assert client.post(reverse("health")).status_code == 405


# Logs.


def request_lines(caplog):
    return [record for record in caplog.records if record.name == "mentorat.requests"]


def test_one_line_per_request_without_the_query_string(client, seed, caplog):
    with caplog.at_level(logging.INFO):
        client.get("/associations/?niveau=college&besoin=confiance", REMOTE_ADDR="203.0.113.7")
    [line] = request_lines(caplog)
    assert line.levelno == logging.INFO
    assert re.fullmatch(r"GET /associations/ 200 \d+ms", line.getMessage())
    for private in ["college", "confiance", "?", "203.0.113.7"]:
        assert private not in caplog.text


def test_client_errors_are_logged_as_warnings(client, seed, caplog):
    with caplog.at_level(logging.INFO):
        client.get("/nulle-part/")
    [line] = request_lines(caplog)
    assert line.levelno == logging.WARNING
    assert line.getMessage().startswith("GET /nulle-part/ 404 ")
    # Django's own "Not Found" warning would repeat the line.
    assert not [r for r in caplog.records if r.name == "django.request"]


def test_a_path_cannot_forge_log_lines(client, seed, caplog):
    with caplog.at_level(logging.INFO):
        client.get("/x%0AERROR%20fausse%20ligne%0D/" + "a" * 500)
    [line] = request_lines(caplog)
    message = line.getMessage()
    assert "\n" not in message and "\r" not in message
    assert "\\nERROR" in message
    assert len(message) < 260


def test_loggable_path_keeps_ordinary_paths():
    assert loggable_path("/associations/afev/") == "/associations/afev/"
    assert loggable_path("/é t\x1b/") == "/é%20t\\x1b/"


# Conditional GET for data views (mentorat.http.conditional_content).


@public_api
def sample_data_view(request):
    from django.http import JsonResponse

    return JsonResponse({"lieux": [1, 2, 3]})


def test_conditional_content_answers_304_when_nothing_changed():
    factory = RequestFactory()
    first = sample_data_view(factory.get("/api/"))
    assert first.status_code == 200
    assert first["ETag"] and "no-cache" in first["Cache-Control"]
    again = sample_data_view(factory.get("/api/", headers={"if-none-match": first["ETag"]}))
    assert again.status_code == 304 and again.content == b""
    changed = sample_data_view(factory.get("/api/", headers={"if-none-match": '"autre"'}))
    assert changed.status_code == 200
    assert sample_data_view(factory.post("/api/")).has_header("ETag") is False
