"""The benchmark's goals and its report (bench/RESULTS.md), from bench/run.py's figures."""

import math
import os
from datetime import datetime

# The goals, on this 2-core machine with 2 gunicorn workers and 16 connections: each
# page or API answer keeps up with /sante/ (its throughput measured in the same run,
# just before), answers fast, runs as many queries at any size; every export answers
# at the largest size; nothing the map loads weighs more than MAP_KB compressed.
RATIO = {10: 0.5}  # the smallest directory
RATIO_LARGE = 0.3  # any directory larger than 100 associations
P99_MS = 100
MAP_KB = 100


def ratio_goal(size):
    return RATIO.get(size, 0.5 if size <= 100 else RATIO_LARGE)


def show(milliseconds):
    """A latency; a dash when no request finished during the run, « échec » if it failed."""
    if milliseconds is None:
        return "—"
    return "échec" if math.isinf(milliseconds) else f"{milliseconds:.1f}"


def kb(size):
    return f"{size / 1024:.1f}"


def answers(page):
    """A visitor gets the file: each request alone answered (within gunicorn's 30 s), and
    none failed under load (a file of megabytes may take longer than a short run)."""
    figures = page["load"]
    return page["status"] == 200 and math.isfinite(page["alone"]) and figures["errors"] == 0


def keeps_up(page, size):
    figures = page["load"]
    return (
        page["ratio"] >= ratio_goal(size)
        and figures["p99"] is not None
        and figures["p99"] < P99_MS
        and figures["errors"] == 0
    )


def misses_goal(page, size):
    return not answers(page) if page["kind"] == "export" else not keeps_up(page, size)


def goal_mark(page, size):
    return "❌" if misses_goal(page, size) else "✅"


def verdicts(results):
    """The goals, each with the figures that meet or miss it."""
    sizes = sorted(results["sizes"])
    smallest, largest = sizes[0], sizes[-1]
    checks = []
    for size in sizes:
        pages = [p for p in results["sizes"][size] if p["kind"] != "export"]
        slow = [f"{p['label']} {p['ratio']:.2f}" for p in pages if p["ratio"] < ratio_goal(size)]
        checks.append(
            (
                not slow,
                f"{size} associations : chaque page et réponse d’API à ≥ {ratio_goal(size)} "
                f"du débit de /sante/" + (f" ; manqué par {', '.join(slow)}" if slow else ""),
            )
        )
        late = [
            f"{p['label']} {show(p['load']['p99'])} ms"
            for p in pages
            if p["load"]["p99"] is None or p["load"]["p99"] >= P99_MS
        ]
        checks.append(
            (
                not late,
                f"{size} associations : p99 < {P99_MS} ms à 16 connexions"
                + (f" ; dépassé par {', '.join(late)}" if late else ""),
            )
        )
    exports = [p for p in results["sizes"][largest] if p["kind"] == "export"]
    failing = [p["label"] for p in exports if not answers(p)]
    checks.append(
        (
            not failing,
            f"{largest} associations : la brochure et les exports complets répondent "
            "(200 à chaque requête seule, aucune erreur sous la charge)"
            + (f" ; ne répondent pas : {', '.join(failing)}" if failing else ""),
        )
    )
    maps = [p for p in results["sizes"][largest] if p["kind"] == "map"]
    for page in maps:
        data = page.get("data_gzip", 0)
        checks.append(
            (
                data <= MAP_KB * 1024 and page["gzip"] <= MAP_KB * 1024,
                f"{largest} associations : ce que la carte charge ≤ {MAP_KB} Ko compressés "
                f"(page {kb(page['gzip'])} Ko, GeoJSON de sa vue {kb(data)} Ko)",
            )
        )
    reference = {p["label"]: p["queries"] for p in results["sizes"][smallest]}
    changed = [
        f"{p['label']} {reference[p['label']]} → {p['queries']}"
        for p in results["sizes"][largest]
        if reference.get(p["label"], p["queries"]) != p["queries"]
    ]
    checks.append(
        (
            not changed,
            f"requêtes SQL identiques à {smallest} et {largest} associations"
            + (f" : {', '.join(changed)}" if changed else ""),
        )
    )
    return checks


KINDS = {"page": "page", "api": "API", "map": "page + GeoJSON", "export": "export"}


def table(pages, size):
    lines = [
        "| page | type | SQL | Ko gzip | seule ms | req/s | /sante/ req/s | ratio "
        "| p50 ms | p99 ms | erreurs | objectif |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |",
    ]
    for page in pages:
        figures = page["load"]
        weight = kb(page["gzip"]) + (f" + {kb(page['data_gzip'])}" if "data_gzip" in page else "")
        lines.append(
            f"| {page['label']} | {KINDS[page['kind']]} | {page['queries']} | {weight} "
            f"| {show(page['alone'])} | {figures['rps']:.1f} | {page['sante']['rps']:.0f} "
            f"| {page['ratio']:.3f} | {show(figures['p50'])} | {show(figures['p99'])} "
            f"| {figures['errors']} | {goal_mark(page, size)} |"
        )
    return "\n".join(lines)


def markdown(results, arguments, description, workers):
    mode = "court (`--short`)" if arguments.short else "complet"
    lines = [
        "# Banc de charge",
        "",
        f"Produit par `bench/run.py` le {datetime.now():%Y-%m-%d à %H:%M}, mode {mode} "
        f"({arguments.duration} s par mesure, 16 connexions, wrk 2 fils, {workers} workers)."
        + (f" Code mesuré : {arguments.code}." if arguments.code else ""),
        "",
        "## Machine",
        "",
        *[f"- {key} : {value}" for key, value in description.items()],
        f"- PostgreSQL : {results['postgresql']}, même machine (127.0.0.1)",
        f"- Cache partagé : {'Redis' if arguments.redis_url else 'mémoire de chaque worker'}",
        "- Le banc de charge (wrk) tourne sur la même machine que gunicorn et PostgreSQL :",
        "  les trois se partagent les cœurs, et d’autres travaux peuvent s’y ajouter",
        "  (charge notée ci-dessous) : les ratios à /sante/ comptent plus que les débits.",
        "",
        "## Méthode",
        "",
        "- Réglages de production : `DEBUG=0`, `SECRET_KEY` et `ALLOWED_HOSTS` donnés, fichiers",
        "  statiques collectés (servis par whitenoise), PostgreSQL, gunicorn (workers",
        "  synchrones) sur 127.0.0.1 ; wrk envoie `X-Forwarded-Proto: https` comme le proxy.",
        "- Données : la brochure, puis des associations synthétiques (`bench/generate.py`),",
        "  chacune avec ses vocabulaires, profils de mentors, 1 à 3 lieux dans la Métropole",
        "  et 1 à 2 contacts ; puis `VACUUM ANALYZE`, puis `manage.py build_directory_cache`",
        "  (les exports et la brochure, construits d’avance comme en production).",
        "- Chaque page : un serveur neuf, quelques visites une à une (chauffe, cache",
        "  compris ; « seule » est la médiane), puis wrk sur `/sante/` et aussitôt sur la",
        "  page, la même durée : le ratio est le débit de la page sur celui de `/sante/`.",
        "  La carte compte une visite comme la page puis le GeoJSON que son script charge.",
        "- SQL : requêtes d’une visite (client de test de Django, `CaptureQueriesContext`).",
        "- Poids : la réponse compressée (gzip 6, comme un proxy) ; pour la carte, + son GeoJSON.",
        "",
        "## Objectifs",
        "",
        f"- Pages et API : ratio ≥ {ratio_goal(10)} à 10 associations, ≥ {RATIO_LARGE} à",
        f"  10 000 ; p99 < {P99_MS} ms ; requêtes SQL constantes.",
        "- Exports (tout l’annuaire d’un coup) et brochure : répondent à 10 000 associations.",
        f"- La carte : rien de ce qu’elle charge au-delà de {MAP_KB} Ko compressés.",
        "",
    ]
    for met, text in verdicts(results):
        lines.append(f"- {'✅' if met else '❌'} {text}")
    for size, pages in sorted(results["sizes"].items()):
        loads = [page["machine_load"] for page in pages]
        lines += [
            "",
            f"## {size} associations",
            "",
            f"Charge de la machine (moyenne sur 1 min) : {results['load'][size]:.1f} avant "
            f"les mesures, de {min(loads):.1f} à {max(loads):.1f} pendant, pour "
            f"{os.cpu_count()} cœurs. Exports et brochure construits d’avance "
            f"(`manage.py build_directory_cache`) en {results['prebuilt'][size]:.0f} s.",
            "",
            table(pages, size),
        ]
    if results["skipped"]:
        lines += ["", "## Pages non mesurées", ""]
        lines += [f"- {label} : {why}" for label, why in results["skipped"].items()]
    if results["profiles"]:
        lines += ["", "## Profils des pages qui manquent leur objectif", ""]
        for title, profile in results["profiles"].items():
            lines += [f"### {title}", "", "```", profile.strip(), "```", ""]
    return "\n".join(lines).rstrip() + "\n"
