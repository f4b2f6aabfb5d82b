"""What the benchmark was measured on: machine, system, tools and commit."""

import os
import platform
import subprocess
from pathlib import Path

import django


def describe(gunicorn):
    """The machine, the system and the tools the figures were measured with."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "?",
    )
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    os_release = dict(
        line.split("=", 1)
        for line in Path("/etc/os-release").read_text().splitlines()
        if "=" in line
    )
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    gunicorn = subprocess.run([str(gunicorn), "--version"], capture_output=True, text=True)
    return {
        "Processeur": f"{cpu}, {os.cpu_count()} cœurs",
        "Mémoire": f"{memory_kb / 1024 / 1024:.0f} Go",
        "Système": f"{os_release.get('PRETTY_NAME', '?').strip('"')}, noyau {platform.release()}",
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "gunicorn": (gunicorn.stdout or gunicorn.stderr).strip().split()[-1].strip(")"),
        "wrk": (wrk_version.stdout or wrk_version.stderr).split()[1],
    }


def git_commit(root):
    """The commit the figures were measured on."""
    result = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=root, capture_output=True, text=True
    )
    return f"commit {result.stdout.strip()}" if result.returncode == 0 else ""
