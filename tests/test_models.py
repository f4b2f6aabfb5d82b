from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from associations.models import Association, Collective, Contact
from associations.phone import format_phone_number, normalize_phone_number, phone_number_uri

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
        AssociationFactory(roubaix_capacity=None)
        assert Association.objects.totals() == {"associations": 3, "capacity": 102}

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
            "+33 6 36 15 26 43",
            "+33 (0)6 36 15 26 43",
            "0033636152643",
        ],
    )
    def test_french_formats_are_stored_as_ten_digits(self, typed):
        contact = ContactFactory(phone=typed)
        contact.full_clean()
        contact.refresh_from_db()
        assert contact.phone == "0636152643"
        assert contact.phone_display == "06 36 15 26 43"
        assert contact.phone_uri == "tel:+33636152643"

    @pytest.mark.parametrize(
        "typed", ["12345", "06 36 15 26 4", "0036152643", "abcdefghij", "+44 20 7946 0958"]
    )
    def test_other_numbers_are_refused_with_a_french_message(self, typed):
        contact = ContactFactory.build(phone=typed)
        with pytest.raises(ValidationError) as raised:
            contact.full_clean()
        assert "numéro français à 10 chiffres" in raised.value.message_dict["phone"][0]

    def test_an_invalid_email_is_refused(self):
        assert "email" in error_fields(ContactFactory.build(email="pas-un-courriel"))

    def test_a_contact_needs_an_email_or_a_phone(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            ContactFactory(email="", phone="")

    def test_helpers_leave_unrecognised_values_alone(self):
        assert normalize_phone_number("  ") == ""
        assert format_phone_number("12") == "12"
        assert phone_number_uri("12") == ""


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
