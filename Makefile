# Two commands for a fresh machine: `make run` (serve the site with the brochure's data)
# and `make test` (the whole test suite). Everything else here is what they build on.

PYTHON ?= python3.13
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install chromium messages translations quality seed clean audit bench readability

# The settings' DEBUG is off unless said: a developer's commands turn it on (an
# explicit DEBUG=0 in the environment still wins). The tests have their own settings.
run seed messages translations quality readability: export DEBUG ?= 1

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs the locked versions; reruns only when the lock file changes.
$(VENV)/.installed: requirements/dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed

# Loads the brochure. If the directory has changed since it was loaded (staff's
# corrections), `manage.py seed` refuses, says what would be lost and exits with code 3;
# from a terminal, this then asks whether to load anyway (after a JSON backup, in
# backups/). Without a terminal it refuses: `manage.py seed --force` is the explicit way.
seed: install
	$(BIN)/python manage.py migrate --noinput
	@$(BIN)/python manage.py seed || { status=$$?; [ $$status -eq 3 ] || exit $$status; \
		if [ ! -t 0 ]; then \
			echo "Pas de terminal pour confirmer : rien n’a été chargé."; exit 3; \
		fi; \
		printf "Recharger la brochure quand même, après une sauvegarde JSON ? [o/N] "; \
		read answer; \
		case "$$answer" in \
			o|O|oui|Oui|OUI) $(BIN)/python manage.py seed --force ;; \
			*) echo "Rien n’a été chargé."; exit 3 ;; \
		esac; }

# The site and the worker that sends the request e-mails (printed here, on the console,
# without EMAIL_HOST); stopping the site (Ctrl+C) stops the worker. The worker does not
# reload when the code changes (its reloader would outlive this recipe): run again.
run: install messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed --if-empty
	@echo ""
	@echo "  Le portail est servi sur http://$(HOST):$(PORT)/"
	@echo "  Administration : http://$(HOST):$(PORT)/admin/"
	@echo "  Pour un compte d’équipe : DEBUG=1 $(BIN)/python manage.py createsuperuser"
	@echo "  (ou ajoutez un compte au groupe « Équipe Cité éducative » depuis l’administration)"
	@echo "  Les courriels des demandes partent par le worker (db_worker), lancé avec le site."
	@echo ""
	@$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Debian's Chromium for the browser tests (Playwright cannot download browsers here),
# and poppler-utils (pdftotext, pdfinfo) to read back the brochure they print to PDF.
chromium:
	@command -v chromium >/dev/null && command -v pdftotext >/dev/null || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium poppler-utils; }

# The interface's translations: each language's locale/<code>/LC_MESSAGES/django.po,
# compiled into the .mo that Django reads (built here, never committed). msgfmt comes
# with GNU gettext, installed from Debian if missing.
messages: install
	@command -v msgfmt >/dev/null || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq gettext; }
	$(BIN)/python manage.py compilemessages --ignore=.venv --verbosity 0

# Gathers the interface's texts marked for translation into each language's .po (new
# ones with an empty translation, to fill in; French's own plurals filled: the project's
# makemessages, core/management/commands). File names only, no line numbers: a change
# elsewhere in a file does not touch the .po.
# French is the texts' own language: its catalogue only gives French's plural rule (0 and 1
# in the singular, « 0 place »), each plural text filled with itself; its other texts stay
# empty (an empty one reads the text itself) and the admin's are left to Django's French.
translations: install
	$(BIN)/python manage.py makemessages --all --add-location file \
		--ignore=.venv --ignore=bench --ignore=tests --ignore=staticfiles

quality: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

# Two processes, one per core: each has its own test database and live server.
test: install chromium messages quality
	$(BIN)/python -m pytest -n 2

# Known vulnerabilities in the locked dependencies (dev.txt holds base.txt and more).
# Asks PyPI's JSON API (or `-s osv`: osv.dev); --strict fails if it cannot ask.
audit: install
	$(BIN)/pip-audit --strict --disable-pip --progress-spinner off -r requirements/dev.txt

# How easy the pages a family goes through are to read (Flesch for French, Kandel–Moles).
readability: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed --if-empty
	$(BIN)/python manage.py readability

# Load benchmark on PostgreSQL with gunicorn and wrk: writes bench/RESULTS.md (README, Production).
# `make bench` is the full run (about half an hour); `make bench BENCH_ARGS=--short`, a few
# minutes. Debian's wrk is installed if missing, as the browser tests' Chromium is.
bench: install
	@command -v wrk >/dev/null || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk; }
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles
