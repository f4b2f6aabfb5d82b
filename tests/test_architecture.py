"""The shape of the code: apps import downwards only, and one writer per piece of state."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from associations.models import Association
from referrals.models import Referral, Status

from .factories import AssociationFactory

ROOT = Path(settings.BASE_DIR)
# From the ground floor up: each package may import only those before it.
LAYERS = ["core", "associations", "orientation", "referrals", "opendata", "mentorat"]


def imported_packages(package):
    """The project packages that `package`'s modules import (migrations and tests aside)."""
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found.update(name.split(".")[0] for name in names if name.split(".")[0] in LAYERS)
    return found - {package}


@pytest.mark.parametrize("package", [p for p in LAYERS if (ROOT / p).is_dir()])
def test_a_package_imports_only_the_layers_below_it(package):
    below = set(LAYERS[: LAYERS.index(package)])
    assert imported_packages(package) <= below


def test_the_ground_floor_imports_no_app():
    assert imported_packages("core") == set()


def test_a_test_module_imports_no_other_test_module():
    """What tests share lives in tests/helpers.py (fixtures in conftest.py)."""
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                last = node.module.split(".")[-1]
                if last.startswith("test_") or last == "conftest":
                    found.append(f"{path.relative_to(ROOT)}: {node.module}")
    assert found == []


class TestStatusHasOneWriter:
    def test_change_status_records_who_and_when(self, db, django_user_model):
        association = AssociationFactory(roubaix_capacity=3)
        referral = Referral.objects.create(
            kind="jeune",
            association=association,
            first_name="Inès",
            email="ines@example.org",
            age=16,
        )
        camille = django_user_model.objects.create_user("camille")
        assert referral.change_status(Status.TAKEN, by=camille) is True
        assert referral.change_status(Status.TAKEN, by=camille) is False  # nothing new
        history = list(
            referral.status_changes.values_list("previous_status", "status", "changed_by")
        )
        assert history == [("", Status.NEW, None), (Status.NEW, Status.TAKEN, camille.pk)]
        referral.refresh_from_db()
        assert referral.answered_at is not None and referral.closed_at is None

    def test_saving_never_changes_the_status(self, db):
        referral = Referral.objects.create(
            kind="jeune", association=AssociationFactory(), first_name="Inès", phone="0612345678"
        )
        referral.staff_note = "Appelée."
        referral.save()
        assert referral.status_changes.count() == 1

    def test_places_taken_follow_the_requests_and_a_stale_form_cannot_undo_them(self, db):
        association = AssociationFactory(roubaix_capacity=1)
        stale = Association.objects.get(pk=association.pk)  # a form opened before
        referral = Referral.objects.create(
            kind="jeune", association=association, first_name="Inès", phone="0612345678"
        )
        referral.change_status(Status.TAKEN)
        assert Association.objects.with_places().get(pk=association.pk).has_waiting_list
        stale.summary = "Un résumé corrigé."
        stale.save()
        fresh = Association.objects.with_places().get(pk=association.pk)
        assert (fresh.summary, fresh.places_taken, fresh.has_waiting_list) == (
            "Un résumé corrigé.",
            1,
            True,
        )
        referral.change_status(Status.CLOSED)
        assert Association.objects.get(pk=association.pk).places_taken == 0


def test_no_module_is_over_500_lines():
    """A newcomer reads a module in one sitting: tests and migrations aside."""
    too_long = {}
    for package in [*LAYERS, "bench"]:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > 500:
                too_long[str(path.relative_to(ROOT))] = lines
    assert too_long == {}
