"""Load benchmark: the portal with 10, 1,000 and 10,000 associations, served by gunicorn.

    make bench                                   # or: .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --sizes 10 1000 --duration 3 --workers 2

For each size: a fresh PostgreSQL database (BENCH_DATABASE_URL, by default
`mentorat_bench` on 127.0.0.1, dropped and recreated), migrations, the brochure,
synthetic associations (bench/generate.py); queries per request and compressed
page weight (bench/measure.py); then gunicorn with production settings (DEBUG=0,
collected static files, whitenoise) on 127.0.0.1 with 1 and then 2 workers, each
page loaded by wrk at 16 connections. Prints the tables and writes them, with the
machine's description and the profile of any page that misses its target, to
bench/RESULTS.md. Logs go to bench/out/ (not versioned).

Needs PostgreSQL, `wrk` (Debian: apt-get install wrk) and the project's virtualenv.
"""

import argparse
import json
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import machine  # bench/machine.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
PYTHON = sys.executable
GUNICORN = Path(PYTHON).with_name("gunicorn")
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/mentorat_bench"

# The targets, on this 2-core machine with 2 workers.
HTML_P99_MS = 150
SLOWDOWN = 2
PAGE_WEIGHT_KB = 100


def log(message):
    print(message, flush=True)


def django_environment(database_url, port):
    environment = {
        key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="mentorat.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        # Production refuses an http:// SITE_URL; it only writes the links, nothing fetches it.
        SITE_URL=f"https://127.0.0.1:{port}",
        CONN_MAX_AGE="600",
        LOG_LEVEL="INFO",
    )
    return environment


def run(environment, *arguments, capture=False):
    """A step of the benchmark, its own request log silenced (gunicorn's goes to bench/out)."""
    result = subprocess.run(
        [PYTHON, *arguments],
        env={**environment, "LOG_LEVEL": "WARNING"},
        cwd=ROOT,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
    )
    return result.stdout


def recreate_database(database_url):
    import psycopg

    address = urlsplit(database_url)
    name = address.path.lstrip("/")
    maintenance = address._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
        return connection.execute("SHOW server_version").fetchone()[0]


class Gunicorn:
    """gunicorn serving the site; stopped (at once: SIGINT) by the PID of its pid file."""

    def __init__(self, environment, workers, port):
        self.environment, self.workers, self.port = environment, workers, port
        self.pid_file = OUT / f"gunicorn-{port}.pid"
        self.log_file = OUT / f"gunicorn-{workers}-workers.log"

    def __enter__(self):
        if port_in_use(self.port):
            raise RuntimeError(
                f"le port {self.port} est déjà pris : choisissez-en un autre (--port)"
            )
        self.pid_file.unlink(missing_ok=True)
        self.log = self.log_file.open("a")
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "mentorat.wsgi",
                f"--workers={self.workers}",
                f"--bind=127.0.0.1:{self.port}",
                f"--pid={self.pid_file}",
            ],
            env=self.environment,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        try:
            self.wait_until_ready()
        except BaseException:  # never leave a server behind, even on Ctrl-C
            self.__exit__()
            raise
        return self

    def wait_until_ready(self, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/sante/", timeout=10):
                    if self.pid_file.exists():
                        return
            except OSError:  # not listening yet, or too slow to answer
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn ne répond pas : voir {self.log_file}")

    def __exit__(self, *exception):
        if self.process.poll() is None:
            pid = int(self.pid_file.read_text()) if self.pid_file.exists() else self.process.pid
            os.kill(pid, signal.SIGINT)
            self.process.wait(timeout=30)
        self.log.close()


def port_in_use(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def timed_get(url):
    """Milliseconds for one request, or infinity if it fails (gunicorn kills a worker
    after 30 s)."""
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
    except OSError:
        return math.inf
    return (time.perf_counter() - start) * 1000


def show(milliseconds):
    """A latency; a dash when no request finished during the run, « échec » if it failed."""
    if milliseconds is None:
        return "—"
    return "échec" if math.isinf(milliseconds) else f"{milliseconds:.1f}"


def wrk(url, duration, connections=16):
    command = [
        "wrk",
        "--threads=2",
        f"--connections={connections}",
        f"--duration={duration}s",
        "--timeout=30s",
        f"--script={BENCH / 'report.lua'}",
        "--header=X-Forwarded-Proto: https",
        url,
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    [line] = [line for line in output.splitlines() if line.startswith("JSON ")]
    figures = json.loads(line.removeprefix("JSON "))
    seconds = figures["duration_us"] / 1e6
    finished = figures["requests"] > 0
    return {
        "rps": figures["requests"] / seconds,
        # No request finished during the run: each took longer than the run itself.
        "p50": figures["p50_us"] / 1000 if finished else None,
        "p99": figures["p99_us"] / 1000 if finished else None,
        "errors": sum(figures[key] for key in ["status", "connect", "read", "write", "timeout"]),
        "requests": figures["requests"],
    }


def benchmark(arguments):
    OUT.mkdir(exist_ok=True)
    environment = django_environment(arguments.database_url, arguments.port)
    log("== collectstatic")
    run(environment, "manage.py", "collectstatic", "--noinput", "--clear")
    results = {"sizes": {}, "profiles": {}, "skipped": {}, "load": {}}
    for size in arguments.sizes:
        log(f"== {size} associations")
        # Other work on the machine skews the figures: say how busy it was.
        results["load"][size] = os.getloadavg()[0]
        results["postgresql"] = recreate_database(arguments.database_url)
        run(environment, "manage.py", "migrate", "--noinput")
        run(environment, "manage.py", "loaddata", "brochure")
        run(environment, "bench/generate.py", f"--total={size}")
        pages = json.loads(run(environment, "bench/measure.py", "pages", capture=True))
        for page in pages:
            if "skipped" in page:
                results["skipped"][page["label"]] = page["skipped"]
            elif page["status"] != 200:
                raise RuntimeError(f"{page['url']} répond {page['status']}")
        pages = [page for page in pages if "skipped" not in page]
        for workers in arguments.workers:
            for page in pages:
                # A fresh server for each page: a sync worker finishes the requests wrk
                # leaves behind, which would otherwise delay the next page's.
                with Gunicorn(environment, workers, arguments.port):
                    url = f"http://127.0.0.1:{arguments.port}{page['url']}"
                    # Warms every worker, one request at a time: the median is the
                    # latency of a request alone, without contention.
                    alone = sorted(timed_get(url) for _ in range(workers + 2))
                    page.setdefault("alone", alone[len(alone) // 2])
                    page[f"{workers}w"] = figures = wrk(url, arguments.duration)
                    log(
                        f"  {workers} worker(s)  {page['label']:<30} {figures['rps']:8.1f} req/s"
                        f"  p50 {show(figures['p50'])} ms  p99 {show(figures['p99'])} ms"
                        f"  erreurs {figures['errors']}  seule {show(page['alone'])} ms"
                        f"  requêtes SQL {page['queries']}"
                    )
        results["sizes"][size] = pages
        for page in pages:
            if is_html(page) and misses_latency(results, size, page, max(arguments.workers)):
                log(f"  profil : {page['label']}")
                results["profiles"][f"{page['label']}, {size} associations"] = run(
                    environment, "bench/measure.py", "profile", page["url"], capture=True
                )
    return results


def is_html(page):
    return "text/html" in page["content_type"]


def latency(page, workers):
    return page.get(f"{workers}w")


def reference(results, label):
    smallest = min(results["sizes"])
    return next((page for page in results["sizes"][smallest] if page["label"] == label), None)


def too_slow(figures):
    return figures["p99"] is None or figures["p99"] >= HTML_P99_MS


def misses_latency(results, size, page, workers):
    figures = latency(page, workers)
    if figures is None:
        return False
    if too_slow(figures):
        return True
    base = reference(results, page["label"])
    return base is not None and page["alone"] > SLOWDOWN * base["alone"]


def kb(size):
    return f"{size / 1024:.1f}"


def table(pages, workers):
    head = "| page | SQL | réponse (Ko gzip) | CSS+JS (Ko gzip) | total (Ko) | seule ms |"
    rule = "| --- | ---: | ---: | ---: | ---: | ---: |"
    for count in workers:
        head += f" {count}w req/s | {count}w p50 ms | {count}w p99 ms | {count}w erreurs |"
        rule += " ---: | ---: | ---: | ---: |"
    lines = [head, rule]
    for page in pages:
        line = (
            f"| {page['label']} | {page['queries']} | {kb(page['gzip'])} | {kb(page['assets'])} "
            f"| {kb(page['gzip'] + page['assets'])} | {show(page['alone'])} |"
        )
        for count in workers:
            figures = latency(page, count)
            line += (
                f" {figures['rps']:.1f} | {show(figures['p50'])} | {show(figures['p99'])} "
                f"| {figures['errors']} |"
            )
        lines.append(line)
    return "\n".join(lines)


def verdicts(results, workers):
    """The issue's targets, each with the figures that meet or miss it."""
    sizes = sorted(results["sizes"])
    smallest, largest = sizes[0], sizes[-1]
    top = max(workers)
    checks = []
    errors = sum(
        latency(page, count)["errors"]
        for pages in results["sizes"].values()
        for page in pages
        for count in workers
    )
    checks.append((errors == 0, f"0 erreur : {errors} erreur(s) en tout"))
    slow = [
        f"{page['label']} {show(latency(page, top)['p99'])} ms"
        for page in results["sizes"][largest]
        if is_html(page) and too_slow(latency(page, top))
    ]
    checks.append(
        (
            not slow,
            f"p99 des pages HTML < {HTML_P99_MS} ms à {largest} associations ({top} workers)"
            + (f" : dépassé par {', '.join(slow)}" if slow else ""),
        )
    )
    for label in ["Annuaire", "Orientation jeune (HTML)", "Orientation bénévole (HTML)"]:
        base = reference(results, label)
        page = next((p for p in results["sizes"][largest] if p["label"] == label), None)
        if base is None or page is None:
            continue
        ratio = page["alone"] / base["alone"]
        checks.append(
            (
                ratio <= SLOWDOWN,
                f"{label} : une requête seule ×{ratio:.1f} de {smallest} à {largest} "
                f"associations ({show(base['alone'])} → {show(page['alone'])} ms, "
                f"cible ≤ ×{SLOWDOWN})",
            )
        )
    changed = [
        f"{page['label']} {reference(results, page['label'])['queries']} → {page['queries']}"
        for page in results["sizes"][largest]
        if reference(results, page["label"])["queries"] != page["queries"]
    ]
    checks.append(
        (
            not changed,
            f"requêtes SQL identiques à {smallest} et {largest} associations"
            + (f" : {', '.join(changed)}" if changed else ""),
        )
    )
    heavy = [
        f"{page['label']} {kb(page['gzip'] + page['assets'])} Ko"
        for pages in results["sizes"].values()
        for page in pages
        if is_html(page) and page["gzip"] + page["assets"] > PAGE_WEIGHT_KB * 1024
    ]
    heaviest = max(
        (page for page in results["sizes"][largest] if is_html(page)),
        key=lambda page: page["gzip"] + page["assets"],
    )
    checks.append(
        (
            not heavy,
            f"HTML + CSS + JS < {PAGE_WEIGHT_KB} Ko compressés, Leaflet à part"
            + (
                f" : dépassé par {', '.join(heavy)}"
                if heavy
                else f" (la plus lourde : {heaviest['label']}, "
                f"{kb(heaviest['gzip'] + heaviest['assets'])} Ko)"
            ),
        )
    )
    directory = [
        next(page for page in results["sizes"][size] if page["label"] == "Annuaire")
        for size in (smallest, largest)
    ]
    growth = directory[1]["gzip"] / directory[0]["gzip"]
    checks.append(
        (
            growth < 3,
            f"annuaire paginé : {kb(directory[0]['gzip'])} Ko à {smallest} associations, "
            f"{kb(directory[1]['gzip'])} Ko à {largest}",
        )
    )
    if len(workers) > 1:
        gains = [
            latency(page, max(workers))["rps"] / latency(page, min(workers))["rps"]
            for page in results["sizes"][largest]
            if latency(page, min(workers))["rps"]
        ] or [0]
        checks.append(
            (
                None,
                f"de {min(workers)} à {max(workers)} workers à {largest} associations : débit "
                f"×{min(gains):.2f} à ×{max(gains):.2f} selon la page",
            )
        )
    return checks


def report(results, arguments, description):
    workers = arguments.workers
    lines = [
        "# Banc de charge",
        "",
        f"Produit par `bench/run.py` le {datetime.now():%Y-%m-%d à %H:%M} "
        f"(`--duration {arguments.duration}`, 16 connexions, wrk 2 fils)."
        + (f" Code mesuré : {arguments.code}." if arguments.code else ""),
        "",
        "## Machine",
        "",
        *[f"- {key} : {value}" for key, value in description.items()],
        f"- PostgreSQL : {results['postgresql']}, même machine (127.0.0.1)",
        "- Le banc de charge (wrk) tourne sur la même machine que gunicorn et PostgreSQL :",
        "  les trois se partagent les cœurs.",
        "",
        "## Méthode",
        "",
        "- Réglages de production : `DEBUG=0`, `SECRET_KEY` et `ALLOWED_HOSTS` donnés, fichiers",
        "  statiques collectés (noms hachés, servis par whitenoise), PostgreSQL, gunicorn",
        "  (workers synchrones) sur 127.0.0.1 ; wrk envoie `X-Forwarded-Proto: https` comme le",
        "  proxy TLS de production.",
        "- Données : la brochure, puis des associations synthétiques (`bench/generate.py`),",
        "  chacune avec ses vocabulaires, profils de mentors, 1 à 3 lieux dans la Métropole",
        "  et 1 à 2 contacts.",
        "- SQL : requêtes d’une requête HTTP (client de test de Django, `CaptureQueriesContext`).",
        "- Poids : la réponse compressée (gzip 6, comme un proxy), plus les CSS et JS du site",
        "  référencés par la page (gzip 9, comme whitenoise) ; Leaflet et les tuiles à part.",
        "- Chaque page : quelques requêtes une à une (chauffe ; « seule » est la médiane, la",
        "  latence sans concurrence), puis wrk à 16 connexions pendant la durée indiquée ;",
        "  « — » : aucune réponse n’est arrivée pendant la mesure.",
        "",
        "## Objectifs",
        "",
    ]
    for met, text in verdicts(results, workers):
        mark = "—" if met is None else ("✅" if met else "❌")
        lines.append(f"- {mark} {text}")
    for size, pages in sorted(results["sizes"].items()):
        lines += [
            "",
            f"## {size} associations",
            "",
            f"Charge de la machine avant les mesures (moyenne sur 1 min) : "
            f"{results['load'][size]:.1f} pour {os.cpu_count()} cœurs.",
            "",
            table(pages, workers),
        ]
    if results["skipped"]:
        lines += ["", "## Pages non mesurées", ""]
        lines += [f"- {label} : {why}" for label, why in results["skipped"].items()]
    if results["profiles"]:
        lines += ["", "## Profils des pages qui manquent leur objectif", ""]
        for title, profile in results["profiles"].items():
            lines += [f"### {title}", "", "```", profile.strip(), "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1000, 10000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--duration", type=int, default=5, help="secondes de charge par page")
    parser.add_argument("--port", type=int, default=0, help="par défaut, un port libre")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    )
    parser.add_argument("--output", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--code", default=machine.git_commit(ROOT), help="la version mesurée")
    arguments = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk est introuvable : apt-get install wrk")
    if urlsplit(arguments.database_url).scheme not in {"postgres", "postgresql"}:
        sys.exit("le banc de charge demande PostgreSQL (--database-url postgres://…)")
    arguments.port = arguments.port or free_port()
    arguments.sizes.sort()
    arguments.workers.sort()
    results = benchmark(arguments)
    text = report(results, arguments, machine.describe(GUNICORN))
    arguments.output.write_text(text)
    print()
    print(text)


if __name__ == "__main__":
    main()
