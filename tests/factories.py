"""Factories for tests: an association that passes every model rule, with its children."""

from decimal import Decimal

import factory
from django.utils import timezone

from associations.models import Association, Contact, Location, ReviewItem


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Association {n:05d}")
    slug = factory.Sequence(lambda n: f"association-{n:05d}")
    summary = "Des mentors bénévoles accompagnent des jeunes de Roubaix."
    description = "Une association de mentorat.\n\nElle accompagne des jeunes."
    website = "https://example.org/"
    programme_created_year = 2010
    mentored_year = 2022
    mentored_total = 100
    mentored_metropole = 20
    roubaix_capacity = 10
    age_min = 11
    age_max = 18
    duration_min_months = Decimal("6")
    hours = Decimal("4")
    hours_period = "mois"
    in_person = True
    remote = False

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        if create and extracted:
            self.levels.set(extracted)

    @factory.post_generation
    def needs(self, create, extracted, **kwargs):
        if create and extracted:
            self.needs.set(extracted)

    @factory.post_generation
    def mentor_profiles(self, create, extracted, **kwargs):
        if create and extracted:
            self.mentor_profiles.set(extracted)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    class Params:
        # An address staff confirmed with the association: it receives the requests.
        confirmed = factory.Trait(email_confirmed_at=factory.LazyFunction(timezone.now))

    association = factory.SubFactory(AssociationFactory)
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    phone = "0320000000"


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    association = factory.SubFactory(AssociationFactory)
    label = factory.Sequence(lambda n: f"Lieu {n}")
    address = "24 place de la Liberté"
    postcode = "59100"
    city = "Roubaix"
    latitude = Decimal("50.690000")
    longitude = Decimal("3.180000")
    is_approximate = True


class ReviewItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewItem

    association = factory.SubFactory(AssociationFactory)
    section = ReviewItem.Section.CONTACTS
    note = "Le courriel semble être celui d’une autre association."


def edit(instance, **values):
    """What staff do in the admin: change some fields and save (the signals follow)."""
    for name, value in values.items():
        setattr(instance, name, value)
    instance.save()
    return instance
