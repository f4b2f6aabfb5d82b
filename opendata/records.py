"""One record per association: everything it publishes, as the JSON API gives it.

Every export starts from this record (`association_record`), built from the database in
a fixed number of queries (`exported_associations`): the CSV flattens it
(`csv_export`), data·inclusion translates it (`datainclusion`).
"""

import json
from decimal import Decimal

from django.conf import settings
from django.core.validators import slug_re
from django.utils import timezone

from associations.models import Association
from core.licence import OPEN_DATA_LICENCE
from core.phone import phone_display, phone_uri

LICENCE = OPEN_DATA_LICENCE


def absolute_url(path):
    return settings.SITE_URL + path


def is_slug(value):
    """Whether `value` can be an identifier at all (anything else is not looked up)."""
    return len(value) <= Association._meta.get_field("slug").max_length and bool(
        slug_re.match(value)
    )


def exported_associations():
    """Every association with all it publishes: 10 queries, whatever their number (and
    one for the Collectif, `Collective.objects.load()`, that every record needs)."""
    return Association.objects.with_details()


def _blank_to_none(value):
    return value if value not in ("", None) else None


def _number(value):
    """Decimals as JSON numbers (8.7, not "8.7"); whole values as integers."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _term(term):
    return {"slug": term.slug, "label": term.name}


def open_data_contacts(association):
    """The contacts as open data publishes them: only what staff let it publish.

    A contact with nothing publishable (a named person's address and mobile, by default)
    is left out, name included; an address is said confirmed or not (`email_confirmed`):
    an unconfirmed one may be wrong and does not receive the portal's requests.
    """
    contacts = []
    for contact in association.contacts.all():
        email, phone = contact.open_data_email, contact.open_data_phone
        if not (email or phone):
            continue
        contacts.append(
            {
                "person_name": _blank_to_none(contact.person_name),
                "role": _blank_to_none(contact.role),
                "email": _blank_to_none(email),
                "email_confirmed": contact.email_is_confirmed if email else None,
                # E.164, as dialled from anywhere; `phone_display` as printed in France.
                "phone": _blank_to_none(phone_uri(phone).removeprefix("tel:") or str(phone)),
                "phone_display": _blank_to_none(phone_display(phone)),
            }
        )
    return contacts


def request_email(contacts, collective):
    """Where to write about the association: its first confirmed address that open data
    may publish, else the Collectif's, which passes the message on. Never an address
    that is still to be confirmed: it may be another association's."""
    own = next((c["email"] for c in contacts if c["email"] and c["email_confirmed"]), None)
    return own or _blank_to_none(collective.contact_email)


def association_record(association, collective):
    """Every public field of an association, with its vocabularies, places and contacts.

    `association` comes from `exported_associations()`, `collective` is
    `Collective.objects.load()` (its address stands in for an unconfirmed one). Blank
    values are `None`.
    """
    contacts = open_data_contacts(association)
    email = request_email(contacts, collective)
    return {
        "slug": association.slug,
        "name": association.name,
        "url": absolute_url(association.get_absolute_url()),
        "summary": association.summary,
        "description": association.description,
        "website": _blank_to_none(association.website),
        "logo": absolute_url(association.logo.url) if association.logo else None,
        "programme_created_year": association.programme_created_year,
        "mentored_year": association.mentored_year,
        "mentored_total": association.mentored_total,
        "mentored_metropole": association.mentored_metropole,
        "roubaix_capacity": association.roubaix_capacity,
        "roubaix_capacity_is_minimum": association.roubaix_capacity_is_minimum,
        # Whether it takes new requests, as it or staff said it, and when.
        "intake": _blank_to_none(association.intake),
        "intake_waiting_weeks": association.intake_waiting_weeks,
        "intake_set_on": association.intake_set_on.isoformat()
        if association.intake_set_on
        else None,
        "intake_set_by_association": association.intake_set_by_association,
        "checked_by_association_on": (
            association.checked_by_association_on.isoformat()
            if association.checked_by_association_on
            else None
        ),
        "age_min": association.age_min,
        "age_max": association.age_max,
        "public_description": _blank_to_none(association.public_description),
        "levels": [_term(level) for level in association.levels.all()],
        "levels_from_partners": association.levels_from_partners,
        "needs": [_term(need) for need in association.needs.all()],
        "audiences": [
            {**_term(link.audience), "is_required": link.is_required}
            for link in association.associationaudience_set.all()
        ],
        "eligibility_notes": _blank_to_none(association.eligibility_notes),
        "mentor_description": _blank_to_none(association.mentor_description),
        "mentor_profiles": [
            {
                **_term(accepted.profile),
                "min_age": accepted.min_age,
                "requirements": _blank_to_none(accepted.requirements),
            }
            for accepted in association.acceptedmentorprofile_set.all()
        ],
        "mentor_min_age": association.mentor_min_age,
        "mentor_training": _blank_to_none(association.mentor_training),
        "duration_min_months": _number(association.duration_min_months),
        "duration_max_months": _number(association.duration_max_months),
        "duration_text": _blank_to_none(association.duration_text),
        "meetings_min": association.meetings_min,
        "meetings_max": association.meetings_max,
        "meetings_period": _blank_to_none(association.meetings_period),
        "hours": _number(association.hours),
        "hours_period": _blank_to_none(association.hours_period),
        "meetings_per_month_min": _number(association.meetings_per_month_min),
        "meetings_per_month_max": _number(association.meetings_per_month_max),
        "hours_per_month_min": _number(association.hours_per_month_min),
        "frequency_text": _blank_to_none(association.frequency_text),
        "in_person": association.in_person,
        "remote": association.remote,
        "modality_text": _blank_to_none(association.modality_text),
        "venues": [_term(venue) for venue in association.venues.all()],
        "modalities_details": _blank_to_none(association.modalities_details),
        "partner_types": [_term(partner) for partner in association.partner_types.all()],
        "partners_text": _blank_to_none(association.partners_text),
        "contacts": contacts,
        "request_email": email,
        "request_email_is_collective": email is not None
        and email not in [contact["email"] for contact in contacts],
        "locations": [
            {
                "label": location.label,
                "address": _blank_to_none(location.address),
                "postcode": _blank_to_none(location.postcode),
                "city": _blank_to_none(location.city),
                "latitude": _number(location.latitude),
                "longitude": _number(location.longitude),
                "is_approximate": location.is_approximate,
            }
            for location in association.locations.all()
        ],
        "to_check": [
            {"section": item.section, "label": item.get_section_display(), "note": item.note}
            for item in association.public_review_items
        ],
        # Staff's choice for data·inclusion; empty: derived from the needs (datainclusion).
        "data_inclusion_thematiques": list(association.data_inclusion_thematiques),
        "data_inclusion_networks": list(association.data_inclusion_networks),
        "verified_on": association.verified_on.isoformat() if association.verified_on else None,
        "updated_at": timezone.localtime(association.updated_at).isoformat(),
    }


def verified_on(record):
    """The day the fiche was last checked (ISO): by staff or the association, else its last edit.

    Until associations confirm their fiche themselves (a later issue), the brochure's
    fiches carry the day it was transcribed.
    """
    return record["verified_on"] or record["updated_at"][:10]


VOCABULARY = "liste de {“slug” : identifiant stable, “label” : libellé}"

# What each key of a record holds: the /donnees/ page documents the JSON API with it, and
# a test keeps it equal to the record's keys.
RECORD_FIELDS = [
    ("slug", "Identifiant stable de l’association (celui de l’adresse de sa page)"),
    ("name", "Nom"),
    ("url", "Adresse de sa page sur le portail"),
    ("summary", "Résumé en une phrase"),
    ("description", "Présentation, paragraphes séparés par une ligne vide"),
    ("website", "Site internet"),
    ("logo", "Adresse du logo, s’il a été déposé"),
    ("programme_created_year", "Année de création du programme de mentorat"),
    ("mentored_year", "Année des chiffres de jeunes mentorés"),
    ("mentored_total", "Jeunes mentorés dans l’année (total)"),
    ("mentored_metropole", "Dont dans la Métropole lilloise"),
    ("roubaix_capacity", "Capacité d’accompagnement dans la Cité éducative (jeunes)"),
    ("roubaix_capacity_is_minimum", "true si la capacité est un minimum (« 200 ou plus »)"),
    (
        "intake",
        "Accueil de nouvelles demandes : accueille, liste_attente, ferme (ne prend pas de "
        "demande en ce moment), ou vide si non indiqué",
    ),
    ("intake_waiting_weeks", "Attente indiquée pour une liste d’attente, en semaines (environ)"),
    ("intake_set_on", "Date à laquelle l’accueil a été indiqué (AAAA-MM-JJ)"),
    ("intake_set_by_association", "true si l’association l’a indiqué elle-même"),
    (
        "checked_by_association_on",
        "Dernière vérification de la fiche par l’association elle-même (AAAA-MM-JJ)",
    ),
    ("age_min", "Âge minimum des jeunes"),
    ("age_max", "Âge maximum des jeunes"),
    ("public_description", "À qui s’adresse l’accompagnement, en mots"),
    ("levels", f"Niveaux et situations accompagnés ({VOCABULARY})"),
    (
        "levels_from_partners",
        "true si ces niveaux sont déduits des écoles partenaires, sans être dits par l’association",
    ),
    ("needs", f"Besoins travaillés ({VOCABULARY})"),
    (
        "audiences",
        "Publics particuliers, avec “is_required” : true si réservé, false si prioritaire",
    ),
    ("eligibility_notes", "Autres conditions d’accès"),
    ("mentor_description", "Qui sont les mentors, en mots"),
    ("mentor_profiles", "Profils de mentors acceptés, avec “min_age” et “requirements”"),
    ("mentor_min_age", "Âge minimum des mentors"),
    ("mentor_training", "Formation des mentors"),
    ("duration_min_months", "Durée minimale (mois)"),
    ("duration_max_months", "Durée maximale (mois)"),
    ("duration_text", "Durée, en mots"),
    ("meetings_min", "Rencontres (minimum) par “meetings_period”"),
    ("meetings_max", "Rencontres (maximum) par “meetings_period”"),
    ("meetings_period", "Période des rencontres : “semaine” ou “mois”"),
    ("hours", "Heures demandées au mentor par “hours_period”"),
    ("hours_period", "Période de ces heures : “rencontre”, “semaine” ou “mois”"),
    ("meetings_per_month_min", "Rencontres par mois (minimum)"),
    ("meetings_per_month_max", "Rencontres par mois (maximum)"),
    ("hours_per_month_min", "Heures par mois demandées au mentor (minimum)"),
    ("frequency_text", "Fréquence, en mots"),
    ("in_person", "true si l’accompagnement se fait en présentiel"),
    ("remote", "true si l’accompagnement se fait à distance"),
    ("modality_text", "Modalités, en mots"),
    ("venues", f"Lieux de rencontre ({VOCABULARY})"),
    ("modalities_details", "Autres modalités, une par ligne"),
    ("partner_types", f"Types de partenaires ({VOCABULARY})"),
    ("partners_text", "Partenaires, en mots, un par ligne"),
    (
        "contacts",
        "Contacts publiables en données ouvertes : “person_name”, “role”, “email”, "
        "“email_confirmed” (false : adresse pas encore confirmée auprès de l’association, "
        "qui peut être fausse et ne reçoit pas les demandes ; écrivez plutôt au Collectif), "
        "“phone” (E.164) et “phone_display” (tel qu’on l’écrit). L’adresse ou le portable "
        "d’une personne nommée n’y est que si elle l’a accepté",
    ),
    (
        "request_email",
        "Le courriel où écrire au sujet de l’association : son premier courriel confirmé, "
        "sinon celui du Collectif Mentorat, qui transmet",
    ),
    (
        "request_email_is_collective",
        "true si “request_email” est celui du Collectif (l’association n’a pas encore "
        "d’adresse confirmée)",
    ),
    (
        "locations",
        "Lieux : “label”, “address”, “postcode”, “city”, “latitude”, “longitude” et "
        "“is_approximate” (true tant que l’équipe n’a pas placé le lieu exact)",
    ),
    (
        "to_check",
        "Informations à vérifier auprès de l’association que le public voit : “section”, "
        "“label” (la rubrique) et “note”",
    ),
    (
        "data_inclusion_thematiques",
        "Thématiques data·inclusion choisies par l’équipe ; vide : celles des besoins",
    ),
    ("data_inclusion_networks", "Réseaux porteurs data·inclusion de l’association"),
    (
        "verified_on",
        "Date de la dernière vérification de la fiche par l’équipe ou l’association",
    ),
    ("updated_at", "Date et heure de la dernière modification de la fiche"),
]


def last_update(records):
    return max((record["updated_at"] for record in records), default=None)


def to_json(data):
    """Stable bytes for a JSON body: the ETag is their hash."""
    return json.dumps(data, ensure_ascii=False).encode()


def labels(terms, separator):
    """The labels of a record's vocabulary terms, in one string."""
    return separator.join(term["label"] for term in terms)
