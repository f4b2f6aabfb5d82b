"""`manage.py seed` loads the brochure, and never overwrites staff's work without asking."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from associations.models import Association, Collective, Contact, ReviewItem

from .factories import ContactFactory
from .helpers import form_data, plain

pytestmark = pytest.mark.django_db


def seed(*args, **options):
    """Run the command; what it printed."""
    out = StringIO()
    call_command("seed", *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    seed()


def anaf_contact():
    return Contact.objects.get(association__slug="anaf")


def test_an_empty_directory_is_loaded(db):
    assert "Brochure chargée : 10 associations." in seed()
    assert Association.objects.count() == 10


def test_a_directory_as_the_brochure_left_it_is_loaded_again(seeded, tmp_path):
    assert "Brochure chargée" in seed(backup_dir=tmp_path)
    assert not list(tmp_path.iterdir())  # nothing to lose, no backup


def test_an_empty_collective_record_is_no_one_s_work(db):
    Collective.objects.load()  # the home page, visited before the first seed
    assert "Brochure chargée" in seed()


def test_a_correction_made_in_the_admin_is_never_overwritten(seeded, staff_client):
    contact = anaf_contact()
    url = reverse("admin:associations_association_change", args=[contact.association_id])
    data = form_data(staff_client.get(url))
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-email") and value == "lille@afev.org"
    )
    data[f"contacts-{index}-email"] = "contact@mentorat-apprentissage.fr"
    assert staff_client.post(url, data).status_code == 302
    with pytest.raises(CommandError) as refused:
        seed()
    message = plain(str(refused.value))
    assert refused.value.returncode == 3
    # The one change, named; "mis à jour le" alone is no one's work.
    assert (
        "écraserait ces modifications : - Contact « contact@mentorat-apprentissage.fr » (ANAF) "
        ": courriel Dernière modification"
    ) in message
    assert "Dernière modification dans l’administration : camille, le " in message
    assert "manage.py seed --force" in message
    assert anaf_contact().email == "contact@mentorat-apprentissage.fr"


@pytest.mark.parametrize(
    "change",
    [
        lambda: ReviewItem.objects.filter(association__slug="afev").first().delete(),
        lambda: ContactFactory(association=Association.objects.get(slug="afev")),
        lambda: Association.objects.filter(slug="afev").update(places_adjustment=5),
        lambda: Association.objects.get(slug="afev").levels.clear(),
    ],
    ids=["deleted", "added", "a field the brochure omits", "many-to-many"],
)
def test_any_change_is_refused(seeded, change):
    change()
    with pytest.raises(CommandError, match="L’annuaire a changé"):
        seed()


def test_force_writes_a_backup_first_then_loads(seeded, tmp_path):
    Contact.objects.filter(pk=anaf_contact().pk).update(email="corrige@example.org")
    output = seed(force=True, backup_dir=tmp_path)
    (backup,) = tmp_path.iterdir()
    assert f"Sauvegarde de l’annuaire avant rechargement : {backup}" in output
    assert backup.name.startswith("annuaire-") and backup.suffix == ".json"
    rows = json.loads(backup.read_text(encoding="utf-8"))
    saved = {(row["model"], row["pk"]): row["fields"] for row in rows}
    assert saved[("associations.contact", anaf_contact().pk)]["email"] == "corrige@example.org"
    assert len([key for key in saved if key[0] == "associations.association"]) == 10
    assert anaf_contact().email == "lille@afev.org"
    # The backup loads back what staff had.
    call_command("loaddata", str(backup), verbosity=0)
    assert anaf_contact().email == "corrige@example.org"


def test_places_taken_by_requests_are_not_the_brochure_s(seeded):
    Association.objects.filter(slug="afev").update(places_taken=4)
    seed()
    assert Association.objects.get(slug="afev").places_taken == 4


def test_if_empty_leaves_a_directory_alone(seeded):
    Contact.objects.filter(pk=anaf_contact().pk).update(email="corrige@example.org")
    assert "rien n’a été chargé" in seed(if_empty=True)
    assert anaf_contact().email == "corrige@example.org"
