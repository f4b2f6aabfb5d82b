"""What the tests read and send as a person would, shared by the test modules.

A test module imports from here, never from another test module: the page's text
as a reader sees it, what a browser sends back from an admin form, the crawler, the
public routes, valid and hostile answers to the questionnaires, a stored request.
"""

import html
import re
import uuid
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from core.french import NBSP
from core.vocabularies import Seeker
from referrals.models import Referral
from referrals.reminders import follow_up

# Accounts, the cache, the queue.

STAFF_GROUP = "Équipe Cité éducative"
PASSWORD = "un-mot-de-passe-solide-2026"


def new_prefix():
    return f"test-{uuid.uuid4().hex}"


def after_commit():
    """Run what the code under test defers to the commit (queuing e-mails), as it would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def run_tasks():
    """What `manage.py db_worker` does, in the test's own transaction: run every task due.

    The real backend's rows and the real worker's `run_task`; only the loop is here, as
    the worker's own closes the database connection (the test's transaction) between
    tasks. Returns how many ran. Tasks planned for later (retries) wait.
    """
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        with transaction.atomic():
            result = DBTaskResult.objects.ready().get_locked()
            if result is None:
                return ran
            result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1


# What a person reads.


def plain(text):
    """Spaces collapsed, no-break spaces (before « : », inside « ») read as spaces."""
    return " ".join(text.replace(NBSP, " ").split())


def page_text(response):
    """The page's visible text, as a reader sees it: scripts and styles dropped, inline
    elements (links, emphasis) joined to their words, entities decoded, spaces folded."""
    page = response.content.decode()
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"</?(a|strong|em|span|abbr|b|i)\b[^>]*>", "", page)
    return plain(html.unescape(re.sub(r"<[^>]+>", " ", page)))


# What a browser sends back.


def form_data(response):
    """What the browser would send back from an admin change form, unchanged."""
    data = {}

    def add(form):
        for bound in form:
            value = bound.value()
            if value is None:
                continue
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(item) for item in value]
            else:
                data[bound.html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    # The optimistic lock's hidden inputs (core.admin_locking.OptimisticLockMixin).
    lock = response.context.get("optimistic_lock")
    if lock:
        data[lock["token_name"]] = lock["token"]
        data[lock["snapshot_name"]] = lock["snapshot"]
    return data


def change_url(association):
    """The association's change page in the admin."""
    return reverse("admin:associations_association_change", args=[association.pk])


# The public site, read from the URL configuration.


# Routes of these namespaces, and these route names, are the public site.
PUBLIC_NAMESPACES = {"associations", "pages", "orientation", "opendata", "referrals"}
PUBLIC_ROUTE_NAMES = {"sitemap", "robots_txt", "health"}
# A value for each URL argument, from the brochure (the `seed` fixture), and where a
# route's argument names something else than an association, its own value.
SAMPLE_KWARGS = {"slug": "afev"}
ROUTE_SAMPLE_KWARGS = {
    "opendata:level_flyer": {"slug": "college"},
    # Personal links: a key that no one signed (tests/test_answers.py and
    # tests/test_fiche_check.py follow real ones).
    "referrals:answer": {"token": "lien-inconnu"},
    "associations:fiche_check": {"token": "lien-inconnu"},
}


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace, pattern


def public_routes():
    """{route name: URL} for every public route, and the names that need a sample argument."""
    routes, missing = {}, []
    for namespace, pattern in _walk(get_resolver().url_patterns):
        if namespace not in PUBLIC_NAMESPACES and (
            namespace or pattern.name not in PUBLIC_ROUTE_NAMES
        ):
            continue
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        samples = {**SAMPLE_KWARGS, **ROUTE_SAMPLE_KWARGS.get(name, {})}
        arguments = list(pattern.pattern.regex.groupindex)
        if any(argument not in samples for argument in arguments):
            missing.append(name)
            continue
        routes[name] = reverse(name, kwargs={argument: samples[argument] for argument in arguments})
    return routes, missing


PUBLIC_ROUTES, ROUTES_WITHOUT_SAMPLE = public_routes()


# Valid answers to the questionnaires, and hostile ones.


def young_answers(**answers):
    return {"qui": "parent", "age": "12", "situation": "college", **answers}


def volunteer_answers(**answers):
    return {
        "age": "40",
        "situation": "salarie",
        "rythme": "1-par-semaine",
        "heures": "2",
        "engagement": "annee-scolaire",
        **answers,
    }


# Valid answers, so that hostile values also reach the code behind a valid form.
YOUNG_PERSON = {
    "qui": "parent",
    "age": "14",
    "situation": "college",
    "besoins": "confiance",
    "modalite": "presentiel",
}
VOLUNTEER = {
    "age": "30",
    "situation": "salarie",
    "rythme": "1-par-semaine",
    "heures": "2",
    "heures_par": "rencontre",
    "engagement": "annee-scolaire",
    "modalite": "presentiel",
}


HOSTILE = [
    ({"qui": "moi"}, "qui"),
    ({"qui": ["jeune", "parent"]}, "qui"),
    ({"qui": "parent\x00"}, "qui"),
    ({"qui": "p" * 10_000}, "qui"),
    ({"age": "douze"}, "age"),
    ({"age": "-5"}, "age"),
    ({"age": str(10**100)}, "age"),
    ({"age": "1e3"}, "age"),
    ({"age": "4"}, "age"),
    ({"age": "34"}, "age"),
    ({"age": "1" * 10_000}, "age"),
    ({"age": ["12", "13"]}, "age"),
    ({"age": "12\x00"}, "age"),
    ({"age": "１２\u202e"}, "age"),
    ({"situation": "inconnue"}, "situation"),
    ({"situation": ["college", "lycee"]}, "situation"),
    ({"situation": "college\x00"}, "situation"),
    ({"situation": "x" * 10_000}, "situation"),
    ({"situation": "collège"}, "situation"),
    ({"besoins": ["confiance"] * 300}, "besoins"),
    ({"besoins": ["confiance", "inconnu"]}, "besoins"),
    ({"modalite": "les-deux"}, "modalite"),
    ({"modalite": ["presentiel", "distanciel"]}, "modalite"),
    ({"situations_particulieres": "autre"}, "situations_particulieres"),
    ({"situations_particulieres": ["je-ne-sais-pas", "rep"]}, "situations_particulieres"),
    ({"situations_particulieres": ["je-ne-sais-pas"] * 60}, "situations_particulieres"),
]
VOLUNTEER_HOSTILE = [
    ({"rythme": "tous-les-jours"}, "rythme"),
    ({"rythme": ["1-par-mois", "plus"]}, "rythme"),
    ({"rythme": "plus\x00"}, "rythme"),
    ({"heures": "deux"}, "heures"),
    ({"heures": "0"}, "heures"),
    ({"heures": "-2"}, "heures"),
    ({"heures": "41"}, "heures"),
    ({"heures": "1,25"}, "heures"),
    ({"heures": "NaN"}, "heures"),
    ({"heures": "Infinity"}, "heures"),
    ({"heures": "1e300"}, "heures"),
    ({"heures": "2,5,5"}, "heures"),
    ({"heures": "9" * 10_000}, "heures"),
    ({"heures_par": "mois"}, "heures_par"),
    ({"heures_par": ["semaine", "rencontre"]}, "heures_par"),
    ({"engagement": "toujours"}, "engagement"),
    ({"engagement": "6-mois\x00"}, "engagement"),
    ({"engagement": ["6-mois", "annee-scolaire"]}, "engagement"),
]
PAYLOAD = '<script>alert("mentorat")</script>'


def young_query(changes):
    return {**young_answers(), **changes}


def stored_request(association, **fields):
    return {
        "association": association,
        "kind": Seeker.YOUNG_PERSON,
        "first_name": "Léa",
        "email": "lea@example.org",
        "age": 16,
        **fields,
    }


# A request, as the form sends it.

YOUNG_FORM = reverse("referrals:young", args=["afev"])


def request_data(**changes):
    """A young person of 16 at the lycée who asks Afev for a mentor."""
    data = {
        "first_name": "Inès",
        "email": "ines@example.org",
        "phone": "",
        "age": "16",
        "situation": "lycee",
        "message": "Bonjour, je voudrais de l’aide pour mon orientation.",
        "consent": "on",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


# The loop with the associations: the personal link, the daily follow-up.

# The association's personal link in the request e-mail (referrals.answers).
ANSWER_LINK = re.compile(r"https?://[^\s]+/mise-en-relation/reponse/[^\s/]+/")


def path_of(link):
    """The path of an absolute link, for the test client."""
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def _sent(client, url, query, changes):
    """A request sent through the form, its e-mails sent: the request and its e-mails."""
    with after_commit():
        client.post(f"{url}{query}", request_data(**changes))
    run_tasks()
    messages = list(mail.outbox)
    mail.outbox.clear()
    return Referral.objects.get(), messages


def request_with_link(client, url=YOUNG_FORM, query="", **changes):
    """A request sent through the form, its e-mails sent; returns it and the path of the
    association's personal link."""
    referral, messages = _sent(client, url, query, changes)
    (link,) = ANSWER_LINK.findall(messages[0].body)
    return referral, path_of(link)


def sent_request(client, **changes):
    """A young person's request sent after the orientation, its e-mails sent."""
    return _sent(client, YOUNG_FORM, "?qui=jeune&age=16&situation=lycee", changes)[0]


def run_follow_up(now):
    """The daily command at `now`, and the tasks it queues."""
    with after_commit():
        report = follow_up(now=now)
    run_tasks()
    return report


# The crawler: every internal link, stylesheet, script and image.


class LinkParser(HTMLParser):
    """Addresses a browser would follow or load from an HTML page."""

    ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src"}

    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attributes):
        attribute = self.ATTRIBUTES.get(tag)
        for name, value in attributes:
            if name == attribute and value:
                self.links.append(value)


CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
SITEMAP_LOC = re.compile(r"<loc>([^<]+)</loc>")


def internal_path(base, link):
    """The path (and query) of a same-site address, or None for other sites, mail, phone…"""
    link = link.strip()
    if link.startswith(settings.SITE_URL + "/"):
        link = link[len(settings.SITE_URL) :]
    address = urlsplit(urljoin(base, link))
    if address.scheme not in ("", "http") or address.netloc not in ("", "testserver"):
        return None
    if address.path.startswith("/" + settings.ADMIN_PATH):
        return None
    # The language switch: a crawl stays in the language it starts in.
    if address.path.startswith(reverse("choose_language", args=["fr"]).removesuffix("fr/")):
        return None
    return address.path + (f"?{address.query}" if address.query else "")


def crawl(client, start="/", limit=500):
    """{path: response} for every address reachable from `start`, in the order found."""
    seen = {start: None}
    queue = deque([start])
    while queue:
        path = queue.popleft()
        response = client.get(path)
        seen[path] = response
        content_type = response.get("Content-Type", "")
        if response.streaming:
            # Read to the end: the test client then closes the file (and only the file).
            body = b"".join(response.streaming_content).decode(errors="replace")
        else:
            body = response.content.decode(errors="replace")
        if "text/html" in content_type:
            parser = LinkParser()
            parser.feed(body)
            links = parser.links
        elif "text/css" in content_type:
            links = [link for link in CSS_URL.findall(body) if not link.startswith("data:")]
        elif path.startswith(reverse("sitemap")):
            links = SITEMAP_LOC.findall(body)
        else:
            links = []
        for link in links:
            target = internal_path(path, link)
            if target is not None and target not in seen:
                assert len(seen) < limit, f"plus de {limit} adresses : le crawler tourne en rond ?"
                seen[target] = None
                queue.append(target)
    return seen


# In a browser (Playwright).


def tab_to(page, target, limit=80):
    """Press Tab until `target` (a selector or a locator) has the focus."""
    locator = page.locator(target) if isinstance(target, str) else target
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return locator
    raise AssertionError(f"{target} jamais atteint avec la touche Tab")


def log_in(page, live_server, username="camille"):
    """Log in to the admin from its login page, as staff do."""
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
