"""A parent's whole way in Arabic, and in English: from the home page to the
acknowledgement, every step in their language and at its addresses."""

import re
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from referrals.models import Referral

from .helpers import YOUNG_PERSON, after_commit, page_text, request_data, run_tasks

pytestmark = pytest.mark.usefixtures("seed")

# How the association's e-mail, in French, names the family's language.
FRENCH_NAMES = {"ar": "arabe", "en": "anglais"}


def said(text, language):
    """`text` as `language` says it; never the French itself (a missing translation)."""
    with translation.override(language):
        translated = gettext(text)
    assert translated != text, f"« {text} » n’est pas traduit en {language}"
    return translated


def first_link(response, pattern):
    (link, *_) = re.findall(rf'href="({pattern}[^"]*)"', response.content.decode())
    return link.replace("&amp;", "&")


@pytest.mark.parametrize(("language", "bidi"), [("ar", "rtl"), ("en", "ltr")])
def test_a_parent_finds_an_association_and_asks_in_their_language(client, language, bidi):
    home = client.get(f"/{language}/")
    assert f'<html lang="{language}" dir="{bidi}">' in home.content.decode()
    assert said("Un mentor pour chaque jeune de Roubaix", language) in page_text(home)

    questionnaire = client.get(first_link(home, f"/{language}/orientation/jeune/"))
    assert said("Trouver un mentor pour un jeune", language) in page_text(questionnaire)

    answers = {**YOUNG_PERSON, "qui": "jeune", "age": "16", "situation": "lycee"}
    results = client.get(f"/{language}/orientation/jeune/?{urlencode(answers)}")
    assert results.status_code == 200
    assert f'<html lang="{language}" dir="{bidi}">' in results.content.decode()
    form_link = first_link(results, f"/{language}/associations/[a-z-]+/mise-en-relation/")

    form = client.get(form_link)
    assert form.status_code == 200
    slug = form_link.split("/")[3]
    with after_commit():
        sent = client.post(form_link, request_data())
    assert sent.status_code == 302, page_text(sent)
    assert sent["Location"].startswith(f"/{language}/")
    confirmation = client.get(sent["Location"])
    assert said("Votre demande est envoyée", language) in page_text(confirmation)

    referral = Referral.objects.get()
    assert (referral.association.slug, referral.language) == (slug, language)
    run_tasks()
    (family,) = [message for message in mail.outbox if message.to == ["ines@example.org"]]
    with translation.override(language):
        subject = gettext("Votre demande %(reference)s à %(name)s est bien reçue") % {
            "reference": referral.reference,
            "name": referral.association.name,
        }
    assert family.subject == subject
    assert said("Gardez-la : elle permet à l’équipe de retrouver votre demande.", language) in (
        family.body
    )
    assert f"/{language}/donnees-personnelles/" in family.body
    to_association = next(message for message in mail.outbox if message is not family)
    assert f"La famille a écrit en {FRENCH_NAMES[language]}" in to_association.body
