"""In-process measures for the benchmark, with the settings of the environment.

    DATABASE_URL=… DEBUG=0 … .venv/bin/python bench/measure.py pages      # JSON on stdout
    DATABASE_URL=… DEBUG=0 … .venv/bin/python bench/measure.py profile URL

`pages`: for each page of PAGES below, its address (or why it is skipped), kind, status,
SQL queries per request (the map's with its GeoJSON's; Django's test client and
CaptureQueriesContext), and bytes transferred: the HTML gzipped as a proxy would,
plus the site's CSS and JS as whitenoise serves them (gzip -9); Leaflet's files are counted apart.
`profile`: where the time of one request goes: cProfile's top functions and the
slowest SQL queries.
"""

import cProfile
import gzip
import io
import json
import os
import pstats
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

YOUNG_PERSON = "qui=parent&age=14&situation=college&besoins=confiance&modalite=presentiel"
VOLUNTEER = (
    "age=30&situation=salarie&rythme=1-par-semaine&heures=2&engagement=annee-scolaire"
    "&modalite=presentiel"
)
# The map's first view, as its script asks for it (static/js/map.js): the places of
# the Métropole's extent (west, south, east, north), where every synthetic place lies.
MAP_VIEW = "bbox=2.80,50.50,3.30,50.80"
# (label, kind, route name, route arguments, query string). A route that does not exist
# (yet) is skipped with a note: add a page here and it is measured and loaded. Kinds:
# "page" (HTML) and "api" answer a visitor and must keep up with /sante/; an "export"
# (every association at once) must answer at any size. "map" is the map page counted
# with the GeoJSON its script loads (MAP_VIEW).
PAGES = [
    ("Accueil", "page", "associations:home", {}, ""),
    ("Annuaire", "page", "associations:directory", {}, ""),
    ("Annuaire filtré", "page", "associations:directory", {}, "niveau=college&page=2"),
    ("Page d’une association", "page", "associations:detail", {"slug": "afev"}, ""),
    ("Carte (avec son GeoJSON)", "map", "associations:map", {}, ""),
    ("Orientation (accueil)", "page", "orientation:index", {}, ""),
    ("Orientation jeune (HTML)", "page", "orientation:young", {}, YOUNG_PERSON),
    ("Orientation bénévole (HTML)", "page", "orientation:volunteer", {}, VOLUNTEER),
    ("Orientation jeune (API)", "api", "orientation:api_young", {}, YOUNG_PERSON),
    ("Orientation bénévole (API)", "api", "orientation:api_volunteer", {}, VOLUNTEER),
    ("Mise en relation (formulaire)", "page", "referrals:young", {"slug": "afev"}, ""),
    ("Données ouvertes (page)", "page", "opendata:open_data", {}, ""),
    ("Contact", "page", "pages:contact", {}, ""),
    ("Flyers (liste)", "page", "opendata:flyers", {}, ""),
    ("Flyer d’une association", "page", "opendata:association_flyer", {"slug": "afev"}, ""),
    ("Flyer d’un niveau", "page", "opendata:level_flyer", {"slug": "college"}, ""),
    ("API : une association", "api", "opendata:association_detail", {"slug": "afev"}, ""),
    ("Lieux de la vue de la carte", "api", "associations:locations_geojson", {}, MAP_VIEW),
    ("Lieux (GeoJSON complet)", "export", "associations:locations_geojson", {}, ""),
    ("API : toutes les associations", "export", "opendata:association_list", {}, ""),
    ("Export CSV", "export", "opendata:associations_csv", {}, ""),
    ("data·inclusion : structures", "export", "opendata:data_inclusion_structures", {}, ""),
    ("data·inclusion : services", "export", "opendata:data_inclusion_services", {}, ""),
    ("Brochure", "export", "opendata:brochure", {}, ""),
    ("Plan du site (sitemap.xml)", "export", "sitemap", {}, ""),
]

ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+\.(?:css|js))"')


def client():
    # As behind the TLS-terminating proxy of production (SECURE_PROXY_SSL_HEADER).
    return Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)  # the test client then closes it
    return response.content


def resolve(route, kwargs, query):
    return reverse(route, kwargs=kwargs) + (f"?{query}" if query else "")


def measure_pages():
    browser = client()
    rows = []
    for label, kind, route, kwargs, query in PAGES:
        try:
            url = resolve(route, kwargs, query)
        except NoReverseMatch:
            rows.append({"label": label, "skipped": f"la route {route} n’existe pas encore"})
            continue
        browser.get(url)  # warm: template and URL caches, database connection
        with CaptureQueriesContext(connection) as queries:
            response = browser.get(url)
        content = body(response)
        row = {
            "label": label,
            "kind": kind,
            "url": url,
            # What one visit loads: the map page, then the GeoJSON of its first view.
            "also": [resolve("associations:locations_geojson", {}, MAP_VIEW)]
            if kind == "map"
            else [],
            "status": response.status_code,
            "queries": len(queries),
            "content_type": response.get("Content-Type", ""),
            "bytes": len(content),
            "gzip": len(gzip.compress(content, 6)),
            "assets": 0,
            "leaflet": 0,
        }
        if "text/html" in row["content_type"]:
            for path in sorted(set(ASSET.findall(content.decode()))):
                size = len(gzip.compress(body(browser.get(path)), 9))
                row["leaflet" if "leaflet" in path else "assets"] += size
        for extra in row["also"]:
            with CaptureQueriesContext(connection) as queries:
                loaded = body(browser.get(extra))
            row["queries"] += len(queries)
            row["data_gzip"] = len(gzip.compress(loaded, 6))
        rows.append(row)
    return rows


def profile(url, repeat=2):
    browser = client()
    browser.get(url)
    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as queries:
        profiler.enable()
        for _ in range(repeat):
            browser.get(url)
        profiler.disable()
    report = [f"{repeat} requêtes de {url}"]
    # Where the time goes (cumulative, below the request's middleware), then where the
    # processor actually spends it (own time).
    for order, title, count in [
        ("cumulative", "temps cumulé", 30),
        ("tottime", "temps propre", 12),
    ]:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order)
        stats.print_stats(count)
        lines = out.getvalue().strip().splitlines()
        table = lines[next(i for i, line in enumerate(lines) if "ncalls" in line) :]
        report += ["", f"Par {title} :", *table]
    slowest = sorted(queries.captured_queries, key=lambda query: -float(query["time"]))[:5]
    total = sum(float(query["time"]) for query in queries.captured_queries)
    report += [
        "",
        f"SQL : {len(queries) // repeat} requêtes par page, {total / repeat * 1000:.0f} ms",
    ]
    report += [f"  {float(q['time']) * 1000:6.1f} ms  {q['sql'][:220]}" for q in slowest]
    return "\n".join(report)


if __name__ == "__main__":
    if sys.argv[1:2] == ["pages"]:
        print(json.dumps(measure_pages()))
    elif sys.argv[1:2] == ["profile"]:
        print(profile(sys.argv[2]))
    else:
        sys.exit(__doc__)
