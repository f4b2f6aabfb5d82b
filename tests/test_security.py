"""Security: production settings, headers and CSP, staff logins, least privilege."""

import json
import logging
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from core.http import client_ip_address

from .helpers import PASSWORD, PUBLIC_ROUTES, STAFF_GROUP, YOUNG_FORM, request_data

pytestmark = pytest.mark.django_db


# Production is DEBUG off plus these two variables, and nothing else.
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "example.org",
    "DATABASE_URL": "sqlite://:memory:",
    "SITE_URL": "https://example.org",
}


def run_with(env, *arguments):
    """Run `manage.py` or Python code in a fresh process with these environment variables."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "ADMIN_PATH",
            "DATABASE_URL",
            "SITE_URL",
            # Set for the test process only (Playwright), refused by check --deploy.
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    return subprocess.run(
        [sys.executable, *arguments],
        env={**environ, "DJANGO_SETTINGS_MODULE": "mentorat.settings", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


class TestProductionSettings:
    def test_debug_is_off_unless_asked_for(self):
        show_debug = "import django; django.setup(); from django.conf import settings; "
        show_debug += "print(settings.DEBUG)"
        without_debug = {key: value for key, value in PRODUCTION_ENV.items() if key != "DEBUG"}
        result = run_with(without_debug, "-c", show_debug)
        assert result.stdout.strip() == "False", result.stderr
        # …and so a forgotten SECRET_KEY stops the start-up, as in production.
        del without_debug["SECRET_KEY"]
        result = run_with(without_debug, "-c", show_debug)
        assert result.returncode != 0 and "SECRET_KEY est obligatoire" in result.stderr

    def test_check_deploy_is_clean(self):
        result = run_with(
            PRODUCTION_ENV, "manage.py", "check", "--deploy", "--fail-level", "WARNING"
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "System check identified no issues" in result.stdout

    def test_a_short_secret_key_is_reported(self):
        result = run_with(
            {**PRODUCTION_ENV, "SECRET_KEY": "trop-courte"},
            *["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        )
        assert result.returncode != 0
        assert "security.W009" in result.stderr + result.stdout

    def test_production_refuses_to_start_without_a_secret_key(self):
        result = run_with({**PRODUCTION_ENV, "SECRET_KEY": ""}, "manage.py", "check")
        assert result.returncode != 0
        assert "SECRET_KEY est obligatoire" in result.stderr

    @pytest.mark.parametrize(
        "site_url",
        [None, "", "http://example.org", "example.org", "https://", "https://example.org/site"],
    )
    def test_production_refuses_to_start_without_its_https_address(self, site_url):
        """Every QR code and exported link is written with SITE_URL: not localhost, not http."""
        env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SITE_URL"}
        if site_url is not None:
            env["SITE_URL"] = site_url
        result = run_with(env, "manage.py", "check")
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
        assert "SITE_URL" in result.stderr

    def test_check_deploy_reports_a_site_url_that_is_not_https(self):
        """With DEBUG on, the site starts, and `check --deploy` says what production refuses."""
        result = run_with(
            {**PRODUCTION_ENV, "DEBUG": "1", "SITE_URL": "http://localhost:8000"},
            *["manage.py", "check", "--deploy"],
        )
        assert result.returncode != 0
        assert "core.E001" in result.stderr + result.stdout
        assert "SITE_URL doit être l’adresse publique du site, en https://" in result.stderr

    def test_https_is_required_but_the_health_check_may_use_http(self):
        probe = """
import json, django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)  # /sante/ reads the e-mail queue
client = Client(HTTP_HOST="example.org")
home = client.get("/associations/?niveau=college")
health = client.get("/sante/")
secure = client.get("/sante/", secure=True)
print(json.dumps({
    "home": [home.status_code, home.get("Location")],
    "health": health.status_code,
    "hsts": secure.get("Strict-Transport-Security"),
    "session_cookie_secure": django.conf.settings.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": django.conf.settings.CSRF_COOKIE_SECURE,
}))
"""
        result = run_with(PRODUCTION_ENV, "-c", probe)
        assert result.returncode == 0, result.stderr
        facts = json.loads(result.stdout.strip().splitlines()[-1])
        assert facts["home"] == [301, "https://example.org/associations/?niveau=college"]
        assert facts["health"] == 200
        assert facts["hsts"] == "max-age=31536000; includeSubDomains; preload"
        assert facts["session_cookie_secure"] and facts["csrf_cookie_secure"]

    def test_several_processes_share_one_cache_in_redis(self):
        probe = (
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.CACHES['default']['BACKEND'])"
        )
        result = run_with({**PRODUCTION_ENV, "REDIS_URL": "redis://127.0.0.1:6379/0"}, "-c", probe)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().splitlines()[-1].endswith("redis.RedisCache")
        result = run_with({**PRODUCTION_ENV, "REDIS_URL": ""}, "-c", probe)
        assert result.stdout.strip().splitlines()[-1].endswith("locmem.LocMemCache")

    @pytest.mark.parametrize("value", ["10.0.0.1/8", "10.0.0.0/33", "proxy.interne", "10.0.0"])
    def test_a_bad_trusted_proxy_stops_the_site_at_start_up(self, value):
        result = run_with(
            {**PRODUCTION_ENV, "TRUSTED_PROXIES": f"127.0.0.1,{value}"},
            "-c",
            ("import django; django.setup()"),
        )
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
        assert f"TRUSTED_PROXIES : « {value} » n’est ni une adresse ni un réseau IP" in (
            result.stderr
        )

    def test_the_admin_path_comes_from_the_environment(self):
        probe = (
            "import django; django.setup(); "
            "from django.urls import reverse; print(reverse('admin:index'))"
        )
        result = run_with({"DEBUG": "1", "ADMIN_PATH": "gestion-4f2a"}, "-c", probe)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().splitlines()[-1] == "/gestion-4f2a/"


# Headers and Content Security Policy, on every public answer, in development too.


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {
        directive.split()[0]: directive.split()[1:]
        for directive in policy.split(";")
        if directive.strip()
    }


class ScriptsAndStyles(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline_scripts, self.inline_styles, self.handlers = [], [], []

    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        # Data blocks (json_script) are not run: CSP does not apply to them.
        executable = attributes.get("type", "text/javascript") in {"text/javascript", "module"}
        if tag == "script" and "src" not in attributes and executable:
            self.inline_scripts.append(attributes.get("nonce"))
        if tag == "style" or "style" in attributes:
            self.inline_styles.append(tag)
        self.handlers += [name for name in attributes if name.startswith("on")]


@pytest.mark.parametrize("url", sorted(set(PUBLIC_ROUTES.values())))
def test_every_public_answer_carries_the_security_headers(client, seed, url):
    response = client.get(url)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    for feature in ["camera=()", "microphone=()", "geolocation=()", "payment=()"]:
        assert feature in response["Permissions-Policy"]


@pytest.mark.parametrize("url", sorted(set(PUBLIC_ROUTES.values())))
def test_every_html_page_runs_only_scripts_carrying_its_nonce(client, seed, url):
    response = client.get(url)
    if "text/html" not in response["Content-Type"]:
        pytest.skip("pas une page HTML")
    # Django adds the nonce to the policy only for pages that use it.
    nonces = [s for s in csp_directives(response)["script-src"] if s.startswith("'nonce-")]
    page = ScriptsAndStyles()
    page.feed(response.content.decode())
    assert all([f"'nonce-{found}'"] == nonces for found in page.inline_scripts), page.inline_scripts
    assert not page.inline_styles, "style-src 'self' refuse les styles en ligne"
    assert not page.handlers, "les attributs on… sont des scripts en ligne"


def test_the_policy_allows_no_inline_code_and_only_the_tile_server(client, seed):
    directives = csp_directives(client.get("/carte/"))
    assert directives["script-src"][0] == "'self'"
    assert re.fullmatch(r"'nonce-[\w+/=-]+'", directives["script-src"][1])
    assert len(directives["script-src"]) == 2
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    sources = {source for values in directives.values() for source in values}
    assert (
        not {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "http:", "https:"}
        & sources
    )
    external = {source for source in sources if "://" in source}
    assert external == {settings.TILE_ORIGIN}
    assert settings.TILE_URL.startswith(settings.TILE_ORIGIN + "/")


def test_each_request_gets_its_own_nonce(client, seed):
    first, second = (csp_directives(client.get("/carte/"))["script-src"][1] for _ in range(2))
    assert first != second


def test_static_files_are_not_sniffed(client):
    response = client.get(settings.STATIC_URL + "css/site.css")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Permissions-Policy" in response
    b"".join(response.streaming_content)  # read to the end: the test client closes the file


# Staff logins: lockout after repeated failures (django-axes).

LOGIN_URL = reverse("admin:login")


def log_in(client, password, username="camille", address="192.0.2.10"):
    return client.post(
        LOGIN_URL,
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def is_logged_in(client):
    return "_auth_user_id" in client.session


class TestLoginLockout:
    def test_five_failures_lock_the_account_even_with_the_right_password(
        self, client, staff_member
    ):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            response = log_in(client, "mauvais-mot-de-passe")
            assert response.status_code == 200
            assert "Veuillez compléter correctement les champs" in response.content.decode()
        response = log_in(client, "mauvais-mot-de-passe")
        assert response.status_code == 429
        page = response.content.decode()
        assertInHTML("<h1>Connexion bloquée</h1>", page)
        assert "bloqué pendant 30 minutes" in page
        response = log_in(client, PASSWORD)
        assert response.status_code == 429
        assert not is_logged_in(client)

    def test_the_account_stays_locked_from_another_address(self, client, staff_member):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            log_in(client, "mauvais-mot-de-passe")
        assert log_in(client, PASSWORD, address="198.51.100.20").status_code == 429

    def test_an_address_trying_many_accounts_is_locked(self, client, staff_member):
        for number in range(settings.AXES_FAILURE_LIMIT):
            log_in(client, "mauvais-mot-de-passe", username=f"inconnu{number}")
        assert log_in(client, PASSWORD).status_code == 429
        assert not is_logged_in(client)

    def test_fewer_failures_then_success_logs_in_and_starts_afresh(self, client, staff_member):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            log_in(client, "mauvais-mot-de-passe")
        assert log_in(client, PASSWORD).status_code == 302
        assert is_logged_in(client)
        client.logout()
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert log_in(client, "mauvais-mot-de-passe").status_code == 200

    def test_the_limit_is_a_setting(self, client, staff_member, settings):
        settings.AXES_FAILURE_LIMIT = 2
        log_in(client, "mauvais-mot-de-passe")
        assert log_in(client, "mauvais-mot-de-passe").status_code == 429

    def test_logs_name_neither_the_account_nor_the_address(self, client, staff_member, caplog):
        with caplog.at_level(logging.DEBUG):
            for _ in range(settings.AXES_FAILURE_LIMIT):
                log_in(client, "mauvais-mot-de-passe")
        assert "Locking out" in caplog.text
        for private in ["camille", "192.0.2.10", "mauvais-mot-de-passe"]:
            assert private not in caplog.text


class TestClientAddress:
    def test_without_a_trusted_proxy_the_address_is_the_connections(self, settings):
        settings.TRUSTED_PROXIES = []
        request = RequestFactory().get(
            "/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="10.0.0.1"
        )
        assert client_ip_address(request) == "192.0.2.1"

    def test_a_forwarded_header_from_an_untrusted_address_is_ignored(self, settings):
        """A visitor who writes X-Forwarded-For themselves gains nothing by it."""
        settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
        request = RequestFactory().get(
            "/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="192.0.2.77, 10.0.0.2"
        )
        assert client_ip_address(request) == "198.51.100.9"

    def test_behind_trusted_proxies_the_right_most_untrusted_address_is_the_visitor(self, settings):
        settings.TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
        # The visitor wrote 6.6.6.6; the load balancer saw 192.0.2.1; nginx saw the balancer.
        request = RequestFactory().get(
            "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.1, 10.0.0.2"
        )
        assert client_ip_address(request) == "192.0.2.1"

    def test_ipv6_ports_and_garbage(self, settings):
        settings.TRUSTED_PROXIES = ["10.0.0.0/8", "::1"]
        factory = RequestFactory()
        cases = [
            ("::1", "2001:db8::7", "2001:db8::7"),
            ("10.0.0.3", "[2001:db8::7]:4711", "2001:db8::7"),
            ("10.0.0.3", "192.0.2.1:443", "192.0.2.1"),
            ("10.0.0.3", "", "10.0.0.3"),  # the proxy itself, or no header
            ("10.0.0.3", "pas-une-adresse, 10.0.0.4", "10.0.0.4"),
            ("10.0.0.3", "10.0.0.5", "10.0.0.5"),  # from inside the trusted network
        ]
        for remote, forwarded, expected in cases:
            request = factory.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
            assert client_ip_address(request) == expected, (remote, forwarded)

    def test_a_rotating_forwarded_header_neither_escapes_the_rate_limit_nor_axes(
        self, client, seed, settings, staff_member
    ):
        """Without trusted proxies, a new X-Forwarded-For each time is the same visitor."""

        settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
        statuses = [
            client.post(
                YOUNG_FORM, request_data(), HTTP_X_FORWARDED_FOR=f"192.0.2.{index}"
            ).status_code
            for index in range(settings.REFERRAL_RATE_LIMIT + 2)
        ]
        assert statuses == [302] * settings.REFERRAL_RATE_LIMIT + [429, 429]
        # Failed logins on other accounts, each with a new header, from one address…
        for index in range(settings.AXES_FAILURE_LIMIT):
            client.post(
                LOGIN_URL,
                {"username": f"inconnu{index}", "password": "devine"},
                REMOTE_ADDR="192.0.2.10",
                HTTP_X_FORWARDED_FOR=f"198.51.100.{index}",
            )
        # … lock that address out, whatever the next header says.
        locked = client.post(
            LOGIN_URL,
            {"username": "camille", "password": PASSWORD},
            REMOTE_ADDR="192.0.2.10",
            HTTP_X_FORWARDED_FOR="203.0.113.1",
        )
        assert locked.status_code == 429 and not is_logged_in(client)

    def test_a_trusted_proxys_forwarded_address_is_each_visitors_own(self, client, seed, settings):

        settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's address
        statuses = [
            client.post(
                YOUNG_FORM, request_data(), HTTP_X_FORWARDED_FOR=f"192.0.2.{index}"
            ).status_code
            for index in range(settings.REFERRAL_RATE_LIMIT + 2)
        ]
        assert statuses == [302] * (settings.REFERRAL_RATE_LIMIT + 2)


# Passwords and sessions.


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Court-2026!", "password_too_short"),
        ("839201746352", "password_entirely_numeric"),
        ("qwerty123456", "password_too_common"),
        ("Camille@2026", "password_too_similar"),
    ],
)
def test_weak_passwords_are_refused(staff_member, password, code):
    with pytest.raises(ValidationError) as error:
        validate_password(password, user=staff_member)
    assert code in {item.code for item in error.value.error_list}


def test_a_strong_password_is_accepted(staff_member):
    validate_password(PASSWORD, user=staff_member)


def test_a_staff_session_ends_with_the_browser_or_the_working_day(client, staff_member):
    response = log_in(client, PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() <= 8 * 60 * 60


# Least privilege: the Cité éducative team reaches the models it was given, no other.

REGISTERED_MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)
FORBIDDEN_TO_THE_TEAM = [
    "auth.User",
    "auth.Group",
    "auth.Permission",
    "admin.LogEntry",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "sessions.Session",
]


def changelist_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def team_permissions():
    group = Group.objects.get(name=STAFF_GROUP)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
def test_the_team_reaches_a_changelist_only_with_its_permission(staff_client, model):
    permissions = team_permissions()
    app_label, model_name = model._meta.app_label, model._meta.model_name
    allowed = any(
        (app_label, f"{action}_{model_name}") in permissions for action in ["view", "change"]
    )
    response = staff_client.get(changelist_url(model))
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
def test_a_superuser_reaches_every_changelist(client, superuser, seed, model):
    client.force_login(superuser)
    assert client.get(changelist_url(model)).status_code == 200


def test_the_team_is_given_no_account_security_or_history_permission(staff_member):
    given = {app_label for app_label, _ in team_permissions()}
    assert "associations" in given
    assert not given & {"auth", "admin", "axes", "sessions", "contenttypes"}
    assert not staff_member.is_superuser
    for label in FORBIDDEN_TO_THE_TEAM:
        app_label, model_name = label.lower().split(".")
        for action in ["add", "change", "delete", "view"]:
            assert not staff_member.has_perm(f"{app_label}.{action}_{model_name}"), label
    assert not staff_member.has_perm("associations.delete_association")


def test_the_team_cannot_make_itself_superuser(staff_client, staff_member):
    url = reverse("admin:auth_user_change", args=[staff_member.pk])
    assert staff_client.get(url).status_code == 403
    response = staff_client.post(
        url, {"username": "camille", "is_superuser": "on", "is_staff": "on"}
    )
    assert response.status_code == 403
    staff_member.refresh_from_db()
    assert not staff_member.is_superuser
    group = Group.objects.get(name=STAFF_GROUP)
    assert staff_client.get(reverse("admin:auth_group_change", args=[group.pk])).status_code == 403


def test_the_admin_is_not_indexed_nor_named(client):
    """robots.txt is public: naming the admin's path there would publish it."""
    robots = client.get("/robots.txt").content.decode()
    assert settings.ADMIN_PATH.strip("/") not in robots
    assert "admin" not in robots.lower()
    # Its login page tells search engines to leave it out; nothing public links to it.
    login = client.get(reverse("admin:login")).content.decode()
    assertInHTML('<meta name="robots" content="NONE,NOARCHIVE">', login)
