"""Data migrations, run on a database that holds rows in their old format."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from associations.models import Association, Collective, Contact, ImpactFigure
from core.french import NBSP
from referrals.models import Referral

BEFORE_E164 = [("associations", "0008_places_taken"), ("referrals", "0003_count_places_taken")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


# Transactional: migrations change the schema. The database is emptied after the test,
# like the browser tests' (pytest-django runs such tests after the others).
@pytest.mark.django_db(transaction=True)
def test_phone_numbers_move_to_e164_and_back(stored):
    old = migrate(BEFORE_E164)
    try:
        association = old.get_model("associations", "Association").objects.create(
            name="Proxité", slug="proxite"
        )
        OldContact = old.get_model("associations", "Contact")
        french = OldContact.objects.create(association=association, phone="0636152643")
        blank = OldContact.objects.create(association=association, email="a@example.org")
        odd = OldContact.objects.create(association=association, phone="3949")
        OldReferral = old.get_model("referrals", "Referral")
        young = {"association": association, "kind": "jeune", "reference": "MR-2222-2222"}
        child = OldReferral.objects.create(
            **young,
            first_name="Yanis",
            age=12,
            phone="0612345678",
            parent_name="Samira",
            parent_contact="0766268218",
            parent_consent=True,
        )
        by_email = OldReferral.objects.create(
            **{**young, "reference": "MR-3333-3333"},
            first_name="Inès",
            age=16,
            email="ines@example.org",
            parent_contact="samira@example.org",
        )

        migrate(latest())
        assert stored(french, "phone") == "+33636152643"
        assert stored(blank, "phone") == ""
        assert stored(odd, "phone") == "3949"  # left as it was
        assert stored(child, "phone") == "+33612345678"
        assert stored(child, "parent_contact") == "+33766268218"
        assert stored(by_email, "phone") == ""
        assert stored(by_email, "parent_contact") == "samira@example.org"
        # What people see is what they saw before.
        assert Contact.objects.get(pk=french.pk).phone_display == "06 36 15 26 43"
        assert Contact.objects.get(pk=french.pk).phone_uri == "tel:+33636152643"
        assert Contact.objects.get(pk=odd.pk).phone_display == "3949"
        assert Referral.objects.get(pk=child.pk).phone_display == "06 12 34 56 78"
        assert Referral.objects.get(pk=child.pk).parent_contact_display == "07 66 26 82 18"

        # Back: French numbers return to ten digits; a Belgian one has no such form.
        belgian = Contact.objects.create(association_id=association.pk, phone="+32470123456")
        migrate(BEFORE_E164)
        assert stored(french, "phone") == "0636152643"
        assert stored(child, "phone") == "0612345678"
        assert stored(child, "parent_contact") == "0766268218"
        assert stored(by_email, "parent_contact") == "samira@example.org"
        assert (stored(blank, "phone"), stored(odd, "phone")) == ("", "3949")
        assert stored(belgian, "phone") == "+32470123456"
    finally:
        migrate(latest())


BEFORE_TIME = [("associations", "0010_contact_email_confirmation")]


@pytest.mark.django_db(transaction=True)
def test_monthly_figures_become_frequency_and_hours_as_people_say_them():
    """The brochure's figures per month, said again: "1 à 2 fois par semaine", "2 h par
    semaine", "1 à 4 fois par mois", "3 h par mois"; and back."""
    old = migrate(BEFORE_TIME)
    try:
        OldAssociation = old.get_model("associations", "Association")
        rows = {
            "la-cle": {"meetings_per_month_min": 4, "meetings_per_month_max": 8},
            "proxite": {"meetings_per_month_min": 1, "meetings_per_month_max": 4},
            "face-mel": {"meetings_per_month_min": 1},
            "afev": {"hours_per_month_min": Decimal("8.7")},
            "anaf": {"hours_per_month_min": Decimal("3")},
            "nothing": {},
        }
        for slug, figures in rows.items():
            OldAssociation.objects.create(name=slug, slug=slug, **figures)

        migrate(latest())
        said = {a.slug: (a.frequency_label, a.time_label) for a in Association.objects.all()}
        assert said == {
            "la-cle": (f"1 à 2{NBSP}fois par semaine", ""),
            "proxite": (f"1 à 4{NBSP}fois par mois", ""),
            "face-mel": (f"au moins 1{NBSP}fois par mois", ""),
            "afev": ("", f"2{NBSP}h par semaine"),
            "anaf": ("", f"3{NBSP}h par mois"),
            "nothing": ("", ""),
        }
        # The exports' figures per month are what they were (a week is 52 / 12 = 4,33).
        afev = Association.objects.get(slug="afev")
        assert afev.hours_per_month_min == Decimal("8.7")

        migrate(BEFORE_TIME)
        figures = {
            a.slug: (a.meetings_per_month_min, a.meetings_per_month_max, a.hours_per_month_min)
            for a in old.get_model("associations", "Association").objects.all()
        }
        assert figures["la-cle"] == (4, 8, None)
        assert figures["proxite"] == (1, 4, None)
        assert figures["afev"] == (None, None, Decimal("8.7"))
        assert figures["anaf"] == (None, None, 3)
    finally:
        migrate(latest())


BEFORE_PUBLISHABLE = [("associations", "0014_opendata_verification_and_data_inclusion")]


@pytest.mark.django_db(transaction=True)
def test_existing_contacts_get_the_publication_rule():
    """Generic addresses and landlines are publishable in open data; a named person's
    address or a mobile number is not, until staff tick it."""
    old = migrate(BEFORE_PUBLISHABLE)
    try:
        association = old.get_model("associations", "Association").objects.create(
            name="Proxité", slug="proxite"
        )
        OldContact = old.get_model("associations", "Contact")
        for email, phone, person_name in [
            ("lille@afev.org", "+33320000000", ""),
            ("s.hannou@proxite.com", "+33636152643", ""),
            ("contact@proxite.com", "+33320000001", "Camille Dupont"),
            ("", "+33320000002", ""),
        ]:
            OldContact.objects.create(
                association=association, email=email, phone=phone, person_name=person_name
            )

        migrate(latest())
        published = {
            c.email or c.phone_display: (c.email_publishable, c.phone_publishable)
            for c in Contact.objects.all()
        }
        assert published == {
            "lille@afev.org": (True, True),
            "s.hannou@proxite.com": (False, False),
            "contact@proxite.com": (False, False),
            "03 20 00 00 02": (False, True),
        }
    finally:
        migrate(latest())


@pytest.mark.django_db
def test_the_point_median_becomes_words_screen_readers_read():
    """The brochure's sentences are rewritten; a text staff rewrote is left alone."""
    wording = importlib.import_module(
        "associations.migrations.0016_inclusive_wording_without_point_median"
    )
    collective = Collective.objects.load()
    collective.mentoring_definition = "En fonction de l’âge du/de la mentor·é, les objectifs…"
    collective.save()
    brochure = ImpactFigure.objects.create(
        collective=collective, percentage=84, label=wording.FIGURE_LABELS[0][0]
    )
    rewritten = ImpactFigure.objects.create(
        collective=collective, percentage=72, label="des jeunes mentoré·e·s, selon l’équipe"
    )
    wording.forwards(django_apps, None)
    collective.refresh_from_db()
    assert collective.mentoring_definition == "En fonction de l’âge du jeune, les objectifs…"
    brochure.refresh_from_db()
    assert brochure.label == (
        "des jeunes qui ont un mentor ont plus confiance dans la suite de leur parcours"
    )
    rewritten.refresh_from_db()
    assert rewritten.label == "des jeunes mentoré·e·s, selon l’équipe"
    wording.backwards(django_apps, None)
    brochure.refresh_from_db()
    assert brochure.label == wording.FIGURE_LABELS[0][0]


def test_the_brochure_has_no_point_median():
    assert "·" not in (settings.BASE_DIR / "fixtures" / "brochure.json").read_text()
