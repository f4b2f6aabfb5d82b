from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from associations.models import Association, Collective, Contact
from core.phone import INVALID_PHONE_NUMBER, phone_display, phone_uri

from .factories import AssociationFactory, ContactFactory, LocationFactory

pytestmark = pytest.mark.django_db


def error_fields(instance):
    with pytest.raises(ValidationError) as raised:
        instance.full_clean()
    return set(raised.value.message_dict)


class TestAssociationRules:
    def test_a_valid_association_passes(self):
        AssociationFactory().full_clean()

    def test_age_min_above_age_max_is_refused_by_validation(self):
        association = AssociationFactory.build(age_min=18, age_max=11)
        assert "age_max" in error_fields(association)

    def test_age_min_above_age_max_is_refused_by_the_database(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            AssociationFactory(age_min=18, age_max=11)

    def test_open_age_bounds_are_allowed(self):
        AssociationFactory(age_min=14, age_max=None).full_clean()

    def test_absurd_ages_are_refused(self):
        assert "age_max" in error_fields(AssociationFactory.build(age_min=5, age_max=250))

    def test_negative_counts_are_refused_by_the_database(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            AssociationFactory(roubaix_capacity=-1)

    def test_metropole_count_cannot_exceed_total(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            AssociationFactory(mentored_total=10, mentored_metropole=11)

    def test_a_year_in_the_future_is_refused(self):
        next_year = timezone.localdate().year + 1
        association = AssociationFactory.build(programme_created_year=next_year)
        assert "programme_created_year" in error_fields(association)

    def test_this_year_is_accepted(self):
        AssociationFactory.build(programme_created_year=timezone.localdate().year).full_clean()

    def test_a_mentoring_programme_from_1850_is_refused(self):
        association = AssociationFactory.build(programme_created_year=1850)
        assert "programme_created_year" in error_fields(association)

    def test_an_association_needs_a_modality(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            AssociationFactory(in_person=False, remote=False)

    def test_duration_min_above_max_is_refused(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            AssociationFactory(duration_min_months=Decimal("12"), duration_max_months=Decimal("6"))

    @pytest.mark.parametrize(
        "time",
        [
            {"meetings_min": 2, "meetings_max": 1, "meetings_period": "mois"},
            {"meetings_min": 1, "meetings_period": ""},  # "1 fois", but per what?
            {"hours": Decimal("2"), "hours_period": ""},
        ],
    )
    def test_a_frequency_or_hours_without_their_period_are_refused(self, time):
        with pytest.raises(IntegrityError), transaction.atomic():
            AssociationFactory(**time)

    def test_an_invalid_website_is_refused(self):
        association = AssociationFactory.build(website="javascript:alert(1)")
        assert "website" in error_fields(association)

    def test_updated_at_follows_each_save(self):
        association = AssociationFactory()
        before = association.updated_at
        association.summary = "Un autre résumé."
        association.save()
        association.refresh_from_db()
        assert association.updated_at > before

    @pytest.mark.parametrize(
        ("age_min", "age_max", "label"),
        [
            (5, 18, "5 à 18\u00a0ans"),
            (14, None, "à partir de 14\u00a0ans"),
            (None, 25, "jusqu’à 25\u00a0ans"),
            (None, None, ""),
        ],
    )
    def test_age_range_label(self, age_min, age_max, label):
        assert AssociationFactory.build(age_min=age_min, age_max=age_max).age_range_label == label

    def test_capacity_label_says_when_it_is_a_floor(self):
        association = AssociationFactory.build(
            roubaix_capacity=200, roubaix_capacity_is_minimum=True
        )
        assert association.capacity_label == "200 jeunes ou plus"

    def test_website_label_drops_scheme_and_www(self):
        assert (
            AssociationFactory.build(website="http://www.face-mel.fr/").website_label
            == "face-mel.fr"
        )

    def test_totals_add_up_capacities(self):
        AssociationFactory(roubaix_capacity=90)
        AssociationFactory(roubaix_capacity=12)
        assert Association.objects.totals() == {
            "associations": 2,
            "capacity": 102,
            "capacity_is_minimum": False,
            "capacity_label": "102\u00a0places",
        }
        # An unknown capacity, or one that is a floor, makes the total a floor.
        AssociationFactory(roubaix_capacity=None)
        assert Association.objects.totals()["capacity_label"] == "au moins 102\u00a0places"
        assert Association.objects.filter(roubaix_capacity=90).totals()["capacity_label"] == (
            "90\u00a0places"
        )
        AssociationFactory(roubaix_capacity=1, roubaix_capacity_is_minimum=True)
        assert Association.objects.filter(roubaix_capacity=1).totals()["capacity_label"] == (
            "au moins 1\u00a0place"
        )

    def test_review_count_counts_open_items(self):
        association = AssociationFactory()
        association.review_items.create(section="contacts", note="À confirmer.")
        association.review_items.create(section="lieux", note="Adresse inconnue.")
        AssociationFactory()
        counts = dict(
            Association.objects.with_open_review_count().values_list("pk", "open_review_count")
        )
        assert counts[association.pk] == 2
        assert list(Association.objects.needing_review()) == [association]


class TestContactRules:
    @pytest.mark.parametrize(
        "typed",
        [
            "06 36 15 26 43",
            "0636152643",
            "06.36.15.26.43",
            "06-36-15-26-43",
            "06/36/15/26/43",
            " 06 36 15 26 43 ",
            "06\u00a036\u00a015\u00a026\u00a043",  # pasted from a web page
            "+33 6 36 15 26 43",
            "+33 (0)6 36 15 26 43",
            "+330636152643",
            "0033636152643",
            "+33636152643",
        ],
    )
    def test_french_numbers_are_stored_in_e164_and_shown_as_written_in_france(self, typed, stored):
        contact = ContactFactory(phone=typed)
        contact.full_clean()
        assert stored(contact, "phone") == "+33636152643"
        contact.refresh_from_db()
        assert contact.phone_display == "06 36 15 26 43"
        assert contact.phone_uri == "tel:+33636152643"

    @pytest.mark.parametrize("typed", ["+32 470 12 34 56", "0032 470 12 34 56", "+32470123456"])
    def test_belgian_numbers_are_accepted_and_shown_in_international_format(self, typed, stored):
        contact = ContactFactory(phone=typed)
        contact.full_clean()
        assert stored(contact, "phone") == "+32470123456"
        contact.refresh_from_db()
        assert contact.phone_display == "+32 470 12 34 56"
        assert contact.phone_uri == "tel:+32470123456"

    def test_a_number_without_country_code_is_french(self, stored):
        # Belgians write their mobiles "0470 12 34 56": in France, that is a Lyon number.
        contact = ContactFactory(phone="0470 12 34 56")
        assert stored(contact, "phone") == "+33470123456"
        assert contact.phone_display == "04 70 12 34 56"

    @pytest.mark.parametrize(
        "typed",
        [
            "0800 12 34 56",  # free
            "08 10 12 34 56",  # shared cost
            "0892 68 01 01",  # premium rate: accepted before, still accepted
            "09 51 23 45 67",  # internet boxes
        ],
    )
    def test_non_geographic_french_numbers_are_accepted_as_before(self, typed):
        ContactFactory(phone=typed).full_clean()

    @pytest.mark.parametrize(
        "typed",
        [
            "12345",
            "3949",  # a short number
            "112",
            "06 36 15 26 4",  # a digit missing
            "06 36 15 26 43 0",  # one too many
            "+33 6 36 15 26 43 0",
            "1" * 30,
            "0036152643",
            "abcdefghij",
            "06 12 34 5A BC",  # a phone keypad would dial 06 12 34 52 22
            "06 12 34 56 78 poste 12",
            "06 36 15 26 43 #",
            "+44 20 7946 0958",  # valid, but British
            "+1 212 555 2368",  # valid, but American
            "0044 20 7946 0958",
            "+262 262 12 34 56",  # La Réunion: another country code
        ],
    )
    def test_other_numbers_are_refused_with_a_french_message(self, typed):
        contact = ContactFactory.build(phone=typed)
        with pytest.raises(ValidationError) as raised:
            contact.full_clean()
        # A value longer than the column (20 characters) is also told so.
        assert INVALID_PHONE_NUMBER in raised.value.message_dict["phone"]
        assert "français ou belge, par exemple 06 12 34 56 78" in INVALID_PHONE_NUMBER

    def test_an_invalid_email_is_refused(self):
        assert "email" in error_fields(ContactFactory.build(email="pas-un-courriel"))

    def test_a_contact_needs_an_email_or_a_phone(self, stored):
        association = AssociationFactory()
        with pytest.raises(ValidationError) as raised:
            Contact(association=association, email="", phone="").full_clean()
        assert raised.value.messages == ["Indiquez au moins un courriel ou un téléphone."]
        with pytest.raises(IntegrityError), transaction.atomic():
            ContactFactory(email="", phone="")
        Contact(association=association, email="", phone="06 36 15 26 43").full_clean()
        assert stored(ContactFactory(phone=""), "phone") == ""  # blank is "", never NULL

    def test_helpers_show_what_they_do_not_recognise_as_it_is(self):
        assert phone_display("") == phone_display(None) == ""
        assert phone_display("12") == "12"
        assert phone_uri("12") == phone_uri("") == ""


class TestLocationRules:
    def test_coordinates_out_of_range_are_refused(self):
        location = LocationFactory.build(latitude=Decimal("91"), longitude=Decimal("181"))
        assert {"latitude", "longitude"} <= error_fields(location)

    def test_coordinates_out_of_range_are_refused_by_the_database(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            LocationFactory(latitude=Decimal("-95"))

    def test_a_point_needs_both_coordinates(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            LocationFactory(latitude=Decimal("50.69"), longitude=None)

    def test_full_address(self):
        location = LocationFactory.build(address="24 place de la Liberté", postcode="59100")
        assert location.full_address == "24 place de la Liberté, 59100 Roubaix"


def test_the_collective_is_a_single_record():
    assert Collective.objects.load().pk == 1
    assert Collective.objects.load().pk == 1
    assert Collective.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Collective.objects.create(pk=2)


def test_contact_str_prefers_the_person():
    assert str(Contact(person_name="Jérôme", email="j@example.org")) == "Jérôme"
    assert str(Contact(phone="0636152643")) == "06 36 15 26 43"
