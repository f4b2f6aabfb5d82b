"""A request in Arabic or English (issue 17): the form at /ar/… and /en/…, its errors and
its confirmation in that language, and every message to the family in the language of
the request, whatever the worker's; the association's e-mail stays French and says in
which language the family wrote."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation

from associations.models import Association, Contact
from core import sms
from core.french import long_date
from referrals import family
from referrals.follow_up import EXPIRY_DAYS
from referrals.models import Referral

from .helpers import (
    ANSWER_LINK,
    HOSTILE,
    PAYLOAD,
    after_commit,
    page_text,
    path_of,
    request_data,
    run_follow_up,
    run_tasks,
    stored_request,
)

pytestmark = pytest.mark.django_db

ARABIC_LETTERS = re.compile(r"[\u0600-\u06ff]")
ANSWERS = "?qui=jeune&age=16&situation=lycee"
LANGUAGE_SENTENCE = (
    "La famille a écrit en {} : répondez-lui en français simple, ou dans sa langue si vous "
    "le pouvez."
)


@pytest.fixture
def seed(seed):
    Contact.objects.filter(association__slug="afev").update(email_confirmed_at=timezone.now())


@pytest.fixture
def texts(settings):
    settings.SMS_BACKEND = "core.sms.LocmemBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def form_url(language, slug="afev"):
    with translation.override(language):
        return reverse("referrals:young", args=[slug])


def send(client, in_language, query=ANSWERS, **changes):
    """The form sent at its address in `language`, its e-mails sent: the request, and the
    e-mails (association's first) and the response."""
    with after_commit():
        response = client.post(form_url(in_language) + query, request_data(**changes))
    assert response.status_code == 302, page_text(response)
    run_tasks()
    messages = list(mail.outbox)
    mail.outbox.clear()
    return Referral.objects.get(), messages, response


def answer(client, messages, **data):
    (link,) = ANSWER_LINK.findall(messages[0].body)
    with after_commit():
        client.post(path_of(link), data)
    run_tasks()


class TestTheFormInArabic:
    def test_the_form_speaks_arabic_right_to_left(self, client, seed):
        response = client.get(form_url("ar"))
        assert response.status_code == 200
        html = response.content.decode()
        assert '<html lang="ar" dir="rtl">' in html
        text = page_text(response)
        assert "التواصل مع Afev" in text  # the heading
        assert "الاسم الأول للشاب" in text  # the first name's label
        assert "أرسل طلبي" in text  # the button
        assert "Envoyer ma demande" not in text
        assert "Prénom du jeune" not in text

    def test_a_valid_request_is_stored_in_arabic_and_confirmed_in_arabic(self, client, seed):
        referral, messages, response = send(client, "ar")
        assert referral.language == "ar"
        assert response["Location"].startswith("/ar/")
        confirmation = client.get(response["Location"])
        text = page_text(confirmation)
        assert "تم إرسال طلبك" in text
        assert referral.reference in text
        assert 'dir="rtl"' in confirmation.content.decode()

    def test_the_acknowledgement_is_arabic_with_arabic_links(self, client, seed):
        referral, messages, _ = send(client, "ar")
        to_association, acknowledgement = messages
        assert acknowledgement.to == ["ines@example.org"]
        assert acknowledgement.subject == f"وصلنا طلبك {referral.reference} إلى Afev"
        body = acknowledgement.body
        assert body.startswith("مرحبًا Inès،")
        assert "وصلنا طلبك للتواصل مع Afev." in body
        assert f"رقم طلبك: {referral.reference}" in body
        assert re.search(r"كل شيء مشروح هنا: https?://\S+/ar/donnees-personnelles/$", body, re.M)
        assert re.search(r"^https?://\S+/ar/$", body, re.M)  # the signature's site
        assert "Bonjour" not in body and "Votre demande" not in body

    def test_the_association_s_email_stays_french_and_names_the_language(self, client, seed):
        referral, messages, _ = send(client, "ar")
        to_association = messages[0]
        assert to_association.subject.startswith(f"Mise en relation {referral.reference} : ")
        assert LANGUAGE_SENTENCE.format("arabe") in to_association.body
        assert "Bonjour," in to_association.body
        assert not ARABIC_LETTERS.search(to_association.body)
        # Its personal link is the French page.
        (link,) = ANSWER_LINK.findall(to_association.body)
        assert "/ar/" not in link
        # Its answer page says it too, in French.
        answer_page = page_text(client.get(path_of(link)))
        assert (
            "Langue de la demande arabe (répondez en français simple, ou dans cette langue si "
            "vous le pouvez)" in answer_page
        )

    def test_a_forged_language_field_is_ignored(self, client, seed):
        referral, messages, _ = send(client, "ar", language="en")
        assert referral.language == "ar"
        Referral.objects.all().delete()
        referral, messages, _ = send(client, "fr", language="xx")
        assert referral.language == "fr"

    def test_the_database_refuses_a_language_outside_the_site_s(self, seed):
        afev = Association.objects.get(slug="afev")
        with pytest.raises(IntegrityError), transaction.atomic():
            Referral.objects.create(**stored_request(afev, language="de"))


class TestAVolunteerInArabic:
    def test_the_volunteer_s_request_names_the_person_s_language(self, client, seed):
        with translation.override("ar"):
            url = reverse("referrals:volunteer", args=["afev"])
        refused = client.post(url, request_data(age="30", situation="salarie", message=""))
        # Afev's conditions, said in Arabic.
        assert "Afev تستقبل هؤلاء المرشدين: " in page_text(refused)
        with after_commit():
            response = client.post(url, request_data(age="20", situation="etudiant", message=""))
        assert response.status_code == 302, page_text(response)
        run_tasks()
        to_association, acknowledgement = mail.outbox
        assert Referral.objects.get().language == "ar"
        assert (
            "La personne a écrit en arabe : répondez-lui en français simple, ou dans sa langue "
            "si vous le pouvez." in to_association.body
        )
        assert (
            "تتصل بك الجمعية بالبريد الإلكتروني أو بالهاتف، للتعارف ولتعرض عليك مهمة المرشد."
            in (acknowledgement.body)
        )


class TestEnglish:
    def test_the_form_the_confirmation_and_the_acknowledgement_in_english(self, client, seed):
        page = page_text(client.get(form_url("en")))
        assert "Be put in touch with Afev" in page
        assert "The young person’s first name" in page
        referral, (to_association, acknowledgement), response = send(client, "en")
        assert referral.language == "en"
        assert "Your request has been sent" in page_text(client.get(response["Location"]))
        assert acknowledgement.subject == (
            f"Your request {referral.reference} to Afev has been received"
        )
        assert acknowledgement.body.startswith("Hello Inès,")
        assert "We have received your request to be put in touch with Afev." in (
            acknowledgement.body
        )
        assert re.search(r"https?://\S+/en/donnees-personnelles/", acknowledgement.body)
        assert LANGUAGE_SENTENCE.format("anglais") in to_association.body

    def test_taken_in_charge_in_english_with_an_english_date(self, client, seed):
        referral, messages, _ = send(client, "en")
        answer(client, messages, answer="prise-en-charge")
        (to_family,) = mail.outbox
        assert to_family.subject == f"Your request {referral.reference}: Afev will contact you"
        day = timezone.localdate() + timedelta(days=family.CONTACT_DAYS)
        with translation.override("en"):
            said = formats.date_format(day, "j F Y")  # « 8 December 2026 »
        assert f"Afev will contact you before {said}, by email or phone." in to_family.body


class TestTheFamilyMessagesInArabic:
    def test_a_declined_request_proposes_other_associations_at_their_arabic_forms(
        self, client, seed
    ):
        referral, messages, _ = send(client, "ar")
        answer(client, messages, answer="ne-peut-pas", decline_reason="complet")
        (to_family,) = mail.outbox
        assert to_family.subject == f"طلبك {referral.reference}: لا تستطيع Afev قبوله"
        body = to_family.body
        assert "لا تستطيع Afev الاستجابة لطلب التواصل: كل أماكنها مشغولة في الوقت الحالي." in body
        assert "جمعيات أخرى تناسب أجوبتك." in body
        links = re.findall(r"^- (.+): https?://\S+?(/\S+)$", body, re.M)
        assert links
        for name, link in links:
            assert name != "Afev"
            assert link.startswith("/ar/associations/")
            assert link.endswith("/mise-en-relation/?qui=jeune&age=16&situation=lycee&suite=1")
        # The link opens the other association's form, in Arabic.
        other = client.get(links[0][1])
        assert other.status_code == 200
        assert "أرسل طلبي" in page_text(other)

    def test_taken_in_charge_with_arabic_month_names_and_western_digits(self, client, seed):
        referral, messages, _ = send(client, "ar")
        day = timezone.localdate() + timedelta(days=3)
        answer(client, messages, answer="prise-en-charge", first_meeting_on=day.isoformat())
        body = mail.outbox[0].body
        with translation.override("ar"):
            said = formats.date_format(day, "j F Y")
        assert f"أول موعد مقرر يوم {said}." in body
        assert re.fullmatch(r"\d{1,2} [\u0600-\u06ff]+ \d{4}", said)  # 4 ديسمبر 2026
        assert not re.search(r"[\u0660-\u0669]", body)  # no Arabic-Indic digits

    def test_an_expired_request_is_told_in_arabic(self, client, seed):
        referral, messages, _ = send(client, "ar")
        run_follow_up(timezone.now() + timedelta(days=EXPIRY_DAYS, minutes=1))
        to_family = next(m for m in mail.outbox if m.to == ["ines@example.org"])
        assert to_family.subject == f"طلبك {referral.reference}: لا رد من Afev"
        assert f"لم ترد Afev على طلب التواصل خلال {EXPIRY_DAYS} يومًا." in to_family.body

    def test_a_phone_only_family_gets_its_acknowledgement_text_in_arabic(self, client, seed, texts):
        referral, messages, _ = send(client, "ar", email="", phone="06 12 34 56 78")
        ((to, body),) = [(text.to, text.body) for text in texts]
        assert to == "+33612345678"
        assert body == (
            f"Mentorat Roubaix: تم تسجيل طلبك {referral.reference} إلى Afev. سنخبرك بالرد."
        )

    def test_a_phone_only_family_is_texted_the_refusal_in_arabic_with_arabic_results(
        self, client, seed, texts
    ):
        referral, messages, _ = send(client, "ar", email="", phone="06 12 34 56 78")
        answer(client, messages, answer="ne-peut-pas", decline_reason="complet")
        refusal = texts[-1].body
        assert refusal.startswith(
            f"Mentorat Roubaix: لا تستطيع Afev قبول طلبك {referral.reference}."
        )
        assert re.search(r"https?://\S+/ar/orientation/jeune/\?qui=jeune&age=16", refusal)


class TestTheWorkersLanguageChangesNothing:
    def test_a_french_request_keeps_french_messages(self, client, seed):
        with after_commit():
            client.post(form_url("fr") + ANSWERS, request_data())
        with translation.override("ar"):  # the worker's own language
            run_tasks()
        to_association, acknowledgement = mail.outbox
        assert acknowledgement.subject.endswith("à Afev est bien reçue")
        assert acknowledgement.body.startswith("Bonjour Inès,")
        assert not ARABIC_LETTERS.search(acknowledgement.body)
        assert "/ar/" not in acknowledgement.body
        assert "a écrit en" not in to_association.body
        mail.outbox.clear()
        (link,) = ANSWER_LINK.findall(to_association.body)
        with after_commit():
            client.post(path_of(link), {"answer": "prise-en-charge"})
        with translation.override("en"):
            run_tasks()
        by = long_date(timezone.localdate() + timedelta(days=family.CONTACT_DAYS))
        assert f"Afev vous contactera avant le {by}" in mail.outbox[0].body

    def test_an_arabic_request_stays_arabic_in_a_french_worker(self, client, seed):
        with after_commit():
            client.post(form_url("ar") + ANSWERS, request_data())
        with translation.override("en"):
            run_tasks()
        to_association, acknowledgement = mail.outbox
        assert acknowledgement.body.startswith("مرحبًا Inès،")
        assert LANGUAGE_SENTENCE.format("arabe") in to_association.body


HOSTILE_FIELDS = {"age", "situation"}  # the questionnaire's questions the form asks too


class TestHostileValuesInArabic:
    @pytest.mark.parametrize(
        ("changes", "field"),
        [(changes, field) for changes, field in HOSTILE if field in HOSTILE_FIELDS]
        + [
            ({"first_name": "In\x00ès"}, "first_name"),
            ({"first_name": "A" * 5000}, "first_name"),
            ({"first_name": ["Inès", "Marc"]}, "first_name"),
            ({"message": PAYLOAD * 200}, "message"),
            ({"email": "pas-une-adresse"}, "email"),
            ({"parent_contact": "x" * 300}, "parent_contact"),
            ({"consent": ""}, "consent"),
        ],
    )
    def test_an_arabic_message_never_a_500(self, client, seed, changes, field):
        response = client.post(form_url("ar"), request_data(**changes))
        assert response.status_code == 200
        assert not Referral.objects.exists()
        errors = response.context["form"].errors[field]
        assert all(ARABIC_LETTERS.search(str(error)) for error in errors), errors
        html = response.content.decode()
        assert f'id="id_{field}_error"' in html
        assert PAYLOAD not in html
        assert re.search(r"<title>خطأ: ", html)
        assert re.search(r"\d+ نقط\S* يجب", page_text(response))  # the summary

    def test_too_many_requests_are_refused_in_arabic(self, client, seed, settings):
        settings.REFERRAL_RATE_LIMIT = 1
        assert client.post(form_url("ar"), request_data()).status_code == 302
        response = client.post(form_url("ar"), request_data(message="الثانية."))
        assert response.status_code == 429
        assert "أُرسلت طلبات كثيرة جدًا من هذا الاتصال: حاول مرة أخرى بعد ساعة" in (
            page_text(response)
        )
        assert "الثانية." in response.content.decode()  # kept, to send later

    def test_under_15_the_parent_s_fields_are_asked_in_arabic(self, client, seed):
        response = client.post(form_url("ar"), request_data(age="12", situation="college"))
        errors = response.context["form"].errors
        assert errors["parent_name"] == ["قبل سن 15 سنة، اكتب اسم أحد الوالدين."]
        assert response.content.decode().count("<title>خطأ:") == 1


class TestTheAdmin:
    def test_staff_see_the_language_and_filter_by_it(self, client, staff_client, seed):
        referral, messages, _ = send(client, "ar", email="", phone="06 12 34 56 78")
        answer(client, messages, answer="prise-en-charge")  # no SMS provider: to call
        changelist = reverse("admin:referrals_referral_changelist")
        to_call = staff_client.get(changelist + "?a-appeler=oui")
        assert referral.reference in page_text(to_call)
        assert re.search(r"Langue de la demande .*\barabe\b", page_text(to_call))
        in_arabic = staff_client.get(changelist + "?langue=ar")
        assert referral.reference in page_text(in_arabic)
        in_english = staff_client.get(changelist + "?langue=en")
        assert referral.reference not in page_text(in_english)
        change = staff_client.get(reverse("admin:referrals_referral_change", args=[referral.pk]))
        assert "Langue de la demande : arabe" in page_text(change)
        assert "arabe" in page_text(change)
