"""Which contact details open data publishes unless staff decide otherwise: the rule.

Open data goes out under Licence Ouverte: anyone may copy it, forever. An association's
generic address (contact@, lille@, mentorat.lille@…) is there to be written to; a named
person's address or a mobile number is personal data, published only once staff have
asked the person and ticked it in the admin. The public page shows them either way.

The migration that added the boxes, the brochure's loader and every new contact apply
this rule (`Contact.apply_publication_rule`); staff's choice prevails afterwards.
"""

import re

import phonenumbers

from core.phone import parse_phone_number

# Words of an address that names a role, a service or a place, not a person.
ROLE_WORDS = frozenset(
    [
        "accueil",
        "admin",
        "administration",
        "antenne",
        "asso",
        "association",
        "benevolat",
        "benevoles",
        "bonjour",
        "bureau",
        "communication",
        "contact",
        "contacts",
        "coordination",
        "direction",
        "equipe",
        "hello",
        "info",
        "infos",
        "inscription",
        "inscriptions",
        "jeunes",
        "lille",
        "mel",
        "mentor",
        "mentorat",
        "mentors",
        "mentoring",
        "metropole",
        "nord",
        "permanence",
        "programme",
        "projet",
        "projets",
        "roubaix",
        "secretariat",
        "service",
        "territoire",
    ]
)
MIN_ORGANISATION_WORD = 3
MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.PAGER}


def _made_of_role_words(word):
    """ "lillemetropole" is "lille" + "metropole"; "jerome" is no such word."""
    if not word:
        return True
    return any(
        word.startswith(role) and _made_of_role_words(word[len(role) :]) for role in ROLE_WORDS
    )


def is_generic_address(email):
    """An address of the association rather than of a person.

    Every word of the part before "@" names a role or a place (`mentorat.lille@`), or the
    organisation itself as its domain spells it (`lacle@associationlacle.org`, `face.` at
    fondationface.org). `laurie-anne.gauche@`, `s.hannou@` and `jdupont@` are not.
    """
    local, _, domain = email.lower().partition("@")
    organisation = domain.split(".")[0].replace("-", "")
    words = [word for word in re.split(r"[._+\-\d]+", local) if word]
    return bool(words) and all(
        _made_of_role_words(word) or (len(word) >= MIN_ORGANISATION_WORD and word in organisation)
        for word in words
    )


def is_mobile(phone):
    number = parse_phone_number(str(phone or ""))
    return number is not None and phonenumbers.number_type(number) in MOBILE_TYPES


def email_publishable_by_default(email, person_name):
    return bool(email) and not person_name and is_generic_address(email)


def phone_publishable_by_default(phone, person_name):
    """An association's landline; never a mobile, which someone carries."""
    phone = str(phone or "")
    return bool(phone) and not person_name and not is_mobile(phone)
