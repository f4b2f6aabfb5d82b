"""Load benchmark: every public page and export, at 10 and 10,000 associations.

    make bench                                   # the full run, for the README
    .venv/bin/python bench/run.py --short        # a few minutes, for a developer
    .venv/bin/python bench/run.py --sizes 10 1000 --duration 3

For each size: a fresh PostgreSQL database (BENCH_DATABASE_URL, by default
`mentorat_bench` on 127.0.0.1, dropped and recreated), migrations, the brochure,
synthetic associations (bench/generate.py), then `VACUUM ANALYZE` (the planner's
statistics, as in production after autovacuum) and `manage.py build_directory_cache`
(the exports and the brochure, built as production does after staff's edits); queries
per request and compressed weight (bench/measure.py); then gunicorn with production
settings (DEBUG=0, collected static files, whitenoise, the shared cache in Redis if
BENCH_REDIS_URL is given) and 2 sync workers on 127.0.0.1. Each page is loaded by wrk at
16 connections right after `/sante/` on the same server (one query through the whole
middleware stack: the site's own ceiling), and reported as a ratio to it, which other
work on the machine affects much less than the raw figures. Writes the tables, the goals
met or missed (bench/report.py) and, in the full run, the profile of the pages that miss
them to bench/RESULTS.md. Logs go to bench/out/ (not versioned).

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
from pathlib import Path
from urllib.parse import urlsplit

import machine  # bench/machine.py, beside this script
import report  # bench/report.py

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
PYTHON = sys.executable
GUNICORN = Path(PYTHON).with_name("gunicorn")
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/mentorat_bench"
WORKERS = 2  # gunicorn's sync workers, one per core of the machine


def log(message):
    print(message, flush=True)


def django_environment(database_url, port, redis_url):
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
        REDIS_URL=redis_url,
        REDIS_KEY_PREFIX="mentorat-bench",
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


def vacuum_analyze(database_url):
    """The planner's statistics for the rows just generated (autovacuum's work, done now)."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


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


def timed_get(url, timeout=40):
    """Milliseconds for one request, or infinity if it fails or takes over `timeout`
    seconds (gunicorn kills a worker after 30 s)."""
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except OSError:
        return math.inf
    return (time.perf_counter() - start) * 1000


def wrk(base, paths, duration, connections=16):
    """wrk's figures for `paths` requested in turn; `rps` counts visits (all the paths)."""
    command = [
        "wrk",
        "--threads=2",
        f"--connections={connections}",
        f"--duration={duration}s",
        "--timeout=30s",
        f"--script={BENCH / 'report.lua'}",
        "--header=X-Forwarded-Proto: https",
        base + paths[0],
        "--",
        *paths,
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    [line] = [line for line in output.splitlines() if line.startswith("JSON ")]
    figures = json.loads(line.removeprefix("JSON "))
    seconds = figures["duration_us"] / 1e6
    finished = figures["requests"] > 0
    return {
        "rps": figures["requests"] / len(paths) / seconds,
        # No request finished during the run: each took longer than the run itself.
        "p50": figures["p50_us"] / 1000 if finished else None,
        "p99": figures["p99_us"] / 1000 if finished else None,
        "errors": sum(figures[key] for key in ["status", "connect", "read", "write", "timeout"]),
        "requests": figures["requests"],
    }


def prepare(environment, arguments, size):
    """A fresh database with `size` associations, its statistics, an empty cache."""
    version = recreate_database(arguments.database_url)
    run(environment, "manage.py", "migrate", "--noinput")
    run(environment, "manage.py", "loaddata", "brochure")
    run(environment, "bench/generate.py", f"--total={size}")
    vacuum_analyze(arguments.database_url)
    # The shared cache may hold the answers of the previous size.
    run(
        environment,
        "manage.py",
        "shell",
        "-c",
        "from django.core.cache import cache; cache.clear()",
    )
    # What production builds after staff's edits (README, Production): the exports and
    # the brochure, whose first build would outlast gunicorn's timeout on a large directory.
    started = time.monotonic()
    run(environment, "manage.py", "build_directory_cache")
    return version, time.monotonic() - started


def load(environment, arguments, page):
    """The page under wrk, right after /sante/ on the same fresh server: a sync worker
    finishes the requests wrk leaves behind, which would otherwise delay the next page."""
    base = f"http://127.0.0.1:{arguments.port}"
    paths = [page["url"], *page["also"]]
    with Gunicorn(environment, WORKERS, arguments.port):
        # Warms every worker (and the cache), one request at a time: the median is the
        # latency of a visit alone, without contention. A page that fails once is not
        # tried again (at 30 s a request, the warm-up would take minutes).
        alone = []
        for _ in range(WORKERS + 1):
            alone.append(sum(timed_get(base + path) for path in paths))
            if math.isinf(alone[-1]):
                break
        page["alone"] = sorted(alone)[len(alone) // 2]
        page["sante"] = wrk(base, ["/sante/"], arguments.duration)
        page["load"] = wrk(base, paths, arguments.duration)
        page["ratio"] = page["load"]["rps"] / page["sante"]["rps"]
        page["machine_load"] = os.getloadavg()[0]


def benchmark(arguments):
    OUT.mkdir(exist_ok=True)
    environment = django_environment(arguments.database_url, arguments.port, arguments.redis_url)
    log("== collectstatic")
    run(environment, "manage.py", "collectstatic", "--noinput", "--clear")
    results = {"sizes": {}, "profiles": {}, "skipped": {}, "load": {}, "prebuilt": {}}
    for size in arguments.sizes:
        log(f"== {size} associations")
        results["postgresql"], results["prebuilt"][size] = prepare(environment, arguments, size)
        log(f"  exports et brochure construits en {results['prebuilt'][size]:.0f} s")
        # Other work on the machine skews the figures: say how busy it was.
        results["load"][size] = os.getloadavg()[0]
        pages = json.loads(run(environment, "bench/measure.py", "pages", capture=True))
        for page in pages:
            if "skipped" in page:
                results["skipped"][page["label"]] = page["skipped"]
        pages = [page for page in pages if "skipped" not in page]
        for page in pages:
            load(environment, arguments, page)
            figures = page["load"]
            log(
                f"  {page['label']:<32} {figures['rps']:8.1f} req/s  /sante/ "
                f"{page['sante']['rps']:7.1f}  ratio {page['ratio']:.3f}  "
                f"p99 {report.show(figures['p99'])} ms  erreurs {figures['errors']}  "
                f"seule {report.show(page['alone'])} ms  SQL {page['queries']}  "
                f"statut {page['status']}"
            )
        results["sizes"][size] = pages
        if arguments.short:
            continue
        for page in pages:
            if report.misses_goal(page, size) and page["kind"] != "export":
                log(f"  profil : {page['label']}")
                results["profiles"][f"{page['label']}, {size} associations"] = run(
                    environment, "bench/measure.py", "profile", page["url"], capture=True
                )
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 10000])
    parser.add_argument(
        "--short", action="store_true", help="2 s par mesure, sans profils : quelques minutes"
    )
    parser.add_argument("--duration", type=int, help="secondes de charge par mesure (8, ou 2)")
    parser.add_argument("--port", type=int, default=0, help="par défaut, un port libre")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", ""),
        help="le cache partagé, comme en production (par défaut : la mémoire de chaque worker)",
    )
    parser.add_argument("--output", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--code", default=machine.git_commit(ROOT), help="la version mesurée")
    arguments = parser.parse_args()
    arguments.duration = arguments.duration or (2 if arguments.short else 8)
    if not shutil.which("wrk"):
        sys.exit("wrk est introuvable : apt-get install wrk")
    if urlsplit(arguments.database_url).scheme not in {"postgres", "postgresql"}:
        sys.exit("le banc de charge demande PostgreSQL (--database-url postgres://…)")
    arguments.port = arguments.port or free_port()
    arguments.sizes.sort()
    results = benchmark(arguments)
    text = report.markdown(results, arguments, machine.describe(GUNICORN), WORKERS)
    arguments.output.write_text(text)
    print()
    print(text)


if __name__ == "__main__":
    main()
