"""Synthetic directory for the benchmark: the brochure plus made-up associations.

    DATABASE_URL=… .venv/bin/python bench/generate.py --total 10000

Adds associations until the directory holds `--total` of them, each as complete as
the brochure's: vocabularies, mentor profiles, particular publics, one to three
places in the Métropole lilloise, contacts, sometimes facts to check. Deterministic
(`--seed`). Uses bulk_create: 10,000 associations take a few seconds.
"""

import argparse
import os
import random
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from associations.models import (  # noqa: E402
    AcceptedMentorProfile,
    Association,
    AssociationAudience,
    Audience,
    Contact,
    Level,
    Location,
    MentorProfile,
    Need,
    PartnerType,
    ReviewItem,
    Venue,
)

# Communes of the Métropole européenne de Lille: name, postcode, latitude, longitude.
COMMUNES = [
    ("Roubaix", "59100", 50.6901, 3.1817),
    ("Tourcoing", "59200", 50.7239, 3.1612),
    ("Lille", "59000", 50.6292, 3.0573),
    ("Villeneuve-d’Ascq", "59650", 50.6233, 3.1450),
    ("Wattrelos", "59150", 50.7019, 3.2150),
    ("Croix", "59170", 50.6781, 3.1500),
    ("Hem", "59510", 50.6553, 3.1881),
    ("Lys-lez-Lannoy", "59390", 50.6700, 3.2150),
    ("Mons-en-Barœul", "59370", 50.6417, 3.1100),
    ("Lambersart", "59130", 50.6500, 3.0250),
    ("Wasquehal", "59290", 50.6700, 3.1300),
    ("Marcq-en-Barœul", "59700", 50.6711, 3.0972),
    ("Loos", "59120", 50.6128, 3.0144),
    ("Armentières", "59280", 50.6881, 2.8811),
    ("Seclin", "59113", 50.5486, 3.0292),
]
STREETS = [
    "rue de l’Épeule",
    "boulevard de Belfort",
    "rue Pierre de Roubaix",
    "avenue Jean Lebas",
    "rue du Grand Chemin",
    "place de la Liberté",
    "rue de Lannoy",
    "boulevard Gambetta",
    "rue Jules Guesde",
    "rue de la Gare",
]
PLACE_KINDS = [
    "Centre social",
    "Collège",
    "Lycée",
    "Médiathèque",
    "Maison de quartier",
    "Local de l’association",
    "Mission locale",
    "Espace jeunes",
]
NAME_PARTS = (
    ["Tremplin", "Passerelle", "Boussole", "Envol", "Déclic", "Horizon", "Relais", "Élan"],
    ["Avenir", "Réussite", "Jeunesse", "Talents", "Savoirs", "Métiers", "Quartiers", "Rêves"],
)
SENTENCES = [
    "Des mentors bénévoles accompagnent des jeunes une à deux heures par semaine.",
    "L’association forme ses mentors et suit chaque binôme tout au long de l’année.",
    "Les rencontres ont lieu près de chez le jeune, dans un lieu qu’il connaît.",
    "Le mentor aide à reprendre confiance, à s’organiser et à découvrir des métiers.",
    "Chaque binôme se fixe des objectifs avec l’équipe et fait le point chaque trimestre.",
    "Des sorties culturelles et des visites d’entreprises complètent l’accompagnement.",
]
SECTIONS = [choice for choice, _ in ReviewItem.Section.choices]


def paragraphs(rng, count):
    return "\n\n".join(" ".join(rng.sample(SENTENCES, 3)) for _ in range(count))


def build_association(rng, number):
    first, second = rng.choice(NAME_PARTS[0]), rng.choice(NAME_PARTS[1])
    name = f"{first} {second} {number:05d}"
    age_min = rng.randint(5, 18)
    total = rng.randint(20, 3000)
    in_person = rng.random() < 0.85
    duration_min = Decimal(rng.choice(["1.5", "3", "6", "9"]))
    return Association(
        name=name,
        slug=slugify(name)[:60],
        summary=f"{first} {second} : " + rng.choice(SENTENCES)[:200],
        description=paragraphs(rng, 3),
        website=f"https://{slugify(first)}-{slugify(second)}-{number}.example.org/",
        programme_created_year=rng.randint(1990, 2024),
        mentored_year=2024,
        mentored_total=total,
        mentored_metropole=rng.randint(0, total),
        roubaix_capacity=rng.randint(5, 300),
        roubaix_capacity_is_minimum=rng.random() < 0.2,
        age_min=age_min,
        age_max=rng.randint(age_min, 30),
        public_description="Des jeunes de Roubaix et de la Métropole.",
        eligibility_notes=rng.choice(["", "Habiter un quartier prioritaire."]),
        mentor_description="Des bénévoles de tous horizons, formés par l’association.",
        mentor_min_age=rng.choice([None, 16, 18]),
        mentor_training="Une formation de deux heures avant la première rencontre.",
        duration_min_months=duration_min,
        duration_max_months=rng.choice([None, duration_min + 6]),
        duration_text="Une année scolaire",
        meetings_min=1,
        meetings_max=2,
        meetings_period="semaine",
        hours=Decimal(rng.choice(["1", "2", "3"])),
        hours_period=rng.choice(["rencontre", "semaine", "mois"]),
        frequency_text="Une à deux rencontres par semaine",
        in_person=in_person,
        remote=not in_person or rng.random() < 0.4,
        modality_text="",
        modalities_details="Rencontres en dehors des heures de cours\nSuivi par un salarié",
        partners_text="Collèges de Roubaix\nCentres sociaux",
        show_review_items_publicly=rng.random() < 0.3,
    )


@transaction.atomic
def generate(total, seed=2026):
    rng = random.Random(seed)
    existing = Association.objects.count()
    if existing >= total:
        return 0
    vocabularies = {
        model: list(model.objects.all())
        for model in [Level, Need, Audience, MentorProfile, Venue, PartnerType]
    }
    start = (Association.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    associations = Association.objects.bulk_create(
        [build_association(rng, start + n) for n in range(total - existing)], batch_size=1000
    )
    links = {"levels": [], "needs": [], "venues": [], "partner_types": []}
    models_by_link = {"levels": Level, "needs": Need, "venues": Venue, "partner_types": PartnerType}
    profiles, audiences, locations, contacts, review_items = [], [], [], [], []
    for association in associations:
        for link, model in models_by_link.items():
            through = getattr(Association, link).through
            field = f"{model._meta.model_name}_id"
            for term in rng.sample(
                vocabularies[model], rng.randint(1, min(4, len(vocabularies[model])))
            ):
                links[link].append(through(association_id=association.pk, **{field: term.pk}))
        for profile in rng.sample(vocabularies[MentorProfile], rng.randint(1, 4)):
            profiles.append(
                AcceptedMentorProfile(
                    association=association, profile=profile, min_age=rng.choice([None, 18])
                )
            )
        if rng.random() < 0.25:
            audiences.append(
                AssociationAudience(
                    association=association,
                    audience=rng.choice(vocabularies[Audience]),
                    is_required=rng.random() < 0.3,
                )
            )
        for _ in range(rng.randint(1, 3)):
            city, postcode, latitude, longitude = rng.choice(COMMUNES)
            locations.append(
                Location(
                    association=association,
                    label=f"{rng.choice(PLACE_KINDS)} de {city}",
                    address=f"{rng.randint(1, 250)} {rng.choice(STREETS)}",
                    postcode=postcode,
                    city=city,
                    latitude=Decimal(f"{latitude + rng.uniform(-0.02, 0.02):.6f}"),
                    longitude=Decimal(f"{longitude + rng.uniform(-0.03, 0.03):.6f}"),
                    is_approximate=rng.random() < 0.3,
                )
            )
        for position in range(rng.randint(1, 2)):
            contacts.append(
                Contact(
                    association=association,
                    person_name=rng.choice(["Camille", "Yasmine", "Karim", "Léa", "Mehdi"]),
                    role="Coordination du mentorat",
                    email=f"contact{position}@{association.slug}.example.org",
                    phone=f"03{rng.randint(0, 99_999_999):08d}",
                    position=position,
                )
            )
        if rng.random() < 0.1:
            review_items.append(
                ReviewItem(
                    association=association,
                    section=rng.choice(SECTIONS),
                    note="Chiffre à confirmer avec l’association.",
                )
            )
    for link, rows in links.items():
        getattr(Association, link).through.objects.bulk_create(rows, batch_size=5000)
    for model, rows in [
        (AcceptedMentorProfile, profiles),
        (AssociationAudience, audiences),
        (Location, locations),
        (Contact, contacts),
        (ReviewItem, review_items),
    ]:
        model.objects.bulk_create(rows, batch_size=5000)
    return len(associations)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total", type=int, required=True, help="associations in the end")
    parser.add_argument("--seed", type=int, default=2026)
    arguments = parser.parse_args()
    added = generate(arguments.total, arguments.seed)
    print(f"{added} associations ajoutées, {Association.objects.count()} au total.")


if __name__ == "__main__":
    main()
