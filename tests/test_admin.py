import json
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from associations.models import Association, Contact, Location, ReviewItem

from .factories import AssociationFactory, ContactFactory, LocationFactory, ReviewItemFactory
from .helpers import change_url, form_data, page_text, plain

pytestmark = pytest.mark.django_db


class TestStaffGroupAccess:
    def test_staff_member_sees_the_directory_models(self, staff_client):
        response = staff_client.get(reverse("admin:index"))
        assert response.status_code == 200
        assert reverse("admin:associations_association_changelist") in response.content.decode()

    def test_staff_member_cannot_open_users_or_groups(self, staff_client):
        assert staff_client.get(reverse("admin:auth_user_changelist")).status_code == 403
        assert staff_client.get(reverse("admin:auth_group_changelist")).status_code == 403
        index = staff_client.get(reverse("admin:index")).content.decode()
        assert reverse("admin:auth_user_changelist") not in index

    def test_staff_member_cannot_delete_an_association(self, staff_client):
        association = AssociationFactory()
        url = reverse("admin:associations_association_delete", args=[association.pk])
        assert staff_client.get(url).status_code == 403
        assert staff_client.post(url, {"post": "yes"}).status_code == 403
        assert Association.objects.filter(pk=association.pk).exists()

    def test_a_visitor_is_sent_to_the_login_page(self, client):
        response = client.get(reverse("admin:associations_association_changelist"))
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


class TestEditingAnAssociation:
    def test_staff_member_edits_an_association_and_its_contacts(self, staff_client, stored):
        association = AssociationFactory(roubaix_capacity=30)
        contact = ContactFactory(association=association, phone="0636152643")
        response = staff_client.get(change_url(association))
        assert response.status_code == 200
        data = form_data(response)
        data["roubaix_capacity"] = "45"
        data["contacts-0-phone"] = "07 66 26 82 18"
        response = staff_client.post(change_url(association), data)
        assert response.status_code == 302, response.context["errors"] if response.context else ""
        association.refresh_from_db()
        assert association.roubaix_capacity == 45
        assert stored(contact, "phone") == "+33766268218"

    @pytest.mark.parametrize(
        ("typed", "kept", "shown"),
        [
            ("0636152643", "+33636152643", "06 36 15 26 43"),
            ("+32 470 12 34 56", "+32470123456", "+32 470 12 34 56"),
        ],
    )
    def test_staff_see_a_contact_phone_as_it_is_written(
        self, staff_client, stored, typed, kept, shown
    ):
        association = AssociationFactory()
        contact = ContactFactory(association=association, phone=typed)
        assert stored(contact, "phone") == kept
        response = staff_client.get(change_url(association))
        assertInHTML(
            f'<input type="tel" name="contacts-0-phone" value="{shown}" class="vTextField" '
            'autocomplete="tel" maxlength="30" aria-label="Téléphone (contact 1)" '
            'id="id_contacts-0-phone">',
            response.content.decode(),
        )
        # Sent back unchanged, the number stays as it was.
        response = staff_client.post(
            change_url(association), form_data(staff_client.get(change_url(association)))
        )
        assert response.status_code == 302
        assert stored(contact, "phone") == kept

    def test_a_change_is_kept_in_history_with_who_and_what(self, staff_client, staff_member):
        association = AssociationFactory(roubaix_capacity=30)
        data = form_data(staff_client.get(change_url(association)))
        data["roubaix_capacity"] = "31"
        staff_client.post(change_url(association), data)
        entry = LogEntry.objects.get(object_id=str(association.pk))
        assert entry.user == staff_member
        assert "Capacité" in entry.get_change_message()
        history = staff_client.get(
            reverse("admin:associations_association_history", args=[association.pk])
        )
        assert "camille" in history.content.decode()

    def test_invalid_input_is_refused_next_to_the_field_and_kept(self, staff_client):
        association = AssociationFactory(age_min=11, age_max=18)
        data = form_data(staff_client.get(change_url(association)))
        data["age_min"] = "20"
        data["summary_fr"] = "Un résumé tout neuf que la personne vient de taper."
        data["contacts-TOTAL_FORMS"] = "1"
        data["contacts-0-email"] = "pas-un-courriel"
        data["contacts-0-phone"] = "12345"
        response = staff_client.post(change_url(association), data)
        assert response.status_code == 200
        page = response.content.decode()
        assert "L’âge maximum doit être supérieur ou égal à l’âge minimum." in page
        assert (
            "Indiquez un numéro de téléphone français ou belge, par exemple 06 12 34 56 78 "
            "ou +32 470 12 34 56." in page
        )
        assert 'value="12345"' in page
        assert "Un résumé tout neuf que la personne vient de taper." in page
        assert 'value="pas-un-courriel"' in page
        association.refresh_from_db()
        assert association.age_min == 11

    def test_the_change_page_follows_the_brochure(self, staff_client):
        page = staff_client.get(change_url(AssociationFactory())).content.decode()
        headings = [
            "Identité",
            "Chiffres",
            "Public accompagné",
            "Mentors",
            "Modalités d’accompagnement",
            "Partenaires",
            "Contacts",
            "Lieux",
        ]
        found = [" ".join(h.split()) for h in re.findall(r"<h2[^>]*>([^<]*)</h2>", page)]
        positions = [found.index(heading) for heading in headings]
        assert positions == sorted(positions)

    def test_a_place_has_its_map(self, staff_client):
        location = LocationFactory()
        page = staff_client.get(change_url(location.association)).content.decode()
        # The map follows its place's latitude input: the script fills the inputs of the
        # row that holds the map (a new row is a copy of the template row, "__prefix__").
        assert re.search(r'id="id_locations-0-latitude"[^>]*>\s*<div class="location-map"', page)
        assert "data-latitude-input" not in page
        assert "leaflet/leaflet.js" in page

    def test_staff_member_adds_a_place_with_coordinates(self, staff_client):
        association = AssociationFactory()
        data = form_data(staff_client.get(change_url(association)))
        data.update(
            {
                "locations-TOTAL_FORMS": "1",
                "locations-0-label": "Maison des associations",
                "locations-0-address": "24 place de la Liberté",
                "locations-0-postcode": "59100",
                "locations-0-city": "Roubaix",
                "locations-0-latitude": "50.690321",
                "locations-0-longitude": "3.178512",
            }
        )
        response = staff_client.post(change_url(association), data)
        assert response.status_code == 302
        location = Location.objects.get(association=association)
        assert (str(location.latitude), str(location.longitude)) == ("50.690321", "3.178512")
        assert location.is_approximate is False


class TestChangelist:
    def test_list_shows_capacity_year_and_review_count(self, staff_client):
        association = AssociationFactory(
            name="Afev", roubaix_capacity=200, roubaix_capacity_is_minimum=True
        )
        ReviewItemFactory(association=association)
        ReviewItemFactory(association=association)
        response = staff_client.get(reverse("admin:associations_association_changelist"))
        page = response.content.decode()
        assert "200 jeunes ou plus" in page
        assert "2010" in page
        assert response.context["cl"].result_list[0].open_review_count == 2

    def test_filter_by_review(self, staff_client):
        flagged = AssociationFactory(name="À vérifier")
        ReviewItemFactory(association=flagged)
        AssociationFactory(name="Vérifiée")
        url = reverse("admin:associations_association_changelist")
        assert [
            a.name for a in staff_client.get(url, {"a_verifier": "oui"}).context["cl"].result_list
        ] == ["À vérifier"]
        assert [
            a.name for a in staff_client.get(url, {"a_verifier": "non"}).context["cl"].result_list
        ] == ["Vérifiée"]

    def test_filter_by_modality_and_search(self, staff_client):
        AssociationFactory(name="Présentielle", in_person=True, remote=False)
        AssociationFactory(name="Hybride", in_person=True, remote=True)
        url = reverse("admin:associations_association_changelist")
        remote = staff_client.get(url, {"modalite": "distanciel"}).context["cl"].result_list
        assert [a.name for a in remote] == ["Hybride"]
        found = staff_client.get(url, {"q": "présent"}).context["cl"].result_list
        assert [a.name for a in found] == ["Présentielle"]

    def test_changelist_queries_do_not_grow_with_associations(
        self, staff_client, django_assert_max_num_queries
    ):
        url = reverse("admin:associations_association_changelist")
        for _ in range(30):
            ReviewItemFactory()
        # session, user, groups/permissions, count, full count, page of results, filter choices
        with django_assert_max_num_queries(12):
            staff_client.get(url)

    def test_every_review_item_on_one_page(self, staff_client):
        ReviewItemFactory(note="Courriel à confirmer")
        ReviewItemFactory(note="Adresse inconnue", section=ReviewItem.Section.LOCATIONS)
        page = staff_client.get(
            reverse("admin:associations_reviewitem_changelist")
        ).content.decode()
        assert "Courriel à confirmer" in page and "Adresse inconnue" in page


class TestStaffConfirmAnAddress:
    def test_ticking_the_box_records_who_and_when(self, staff_client, staff_member):
        association = AssociationFactory()
        contact = ContactFactory(association=association)
        url = reverse("admin:associations_association_change", args=[association.pk])
        page = staff_client.get(url)
        assert "à confirmer : ne reçoit pas les demandes" in page.content.decode()
        data = form_data(page)
        data["contacts-0-email_confirmed"] = "on"
        assert staff_client.post(url, data).status_code == 302
        contact.refresh_from_db()
        assert contact.email_confirmed_by == staff_member and contact.email_is_confirmed
        assert list(Contact.objects.receiving_requests()) == [contact]
        assert "camille, le " in staff_client.get(url).content.decode()
        # A changed address is to be confirmed again.
        data = form_data(staff_client.get(url))
        data["contacts-0-email"] = "nouvelle@example.org"
        assert staff_client.post(url, data).status_code == 302
        contact.refresh_from_db()
        assert contact.email == "nouvelle@example.org" and not contact.email_is_confirmed
        assert contact.email_confirmed_by is None
        # Unticking takes the confirmation back.
        data = form_data(staff_client.get(url))
        data["contacts-0-email_confirmed"] = "on"
        staff_client.post(url, data)
        data = form_data(staff_client.get(url))
        del data["contacts-0-email_confirmed"]
        staff_client.post(url, data)
        contact.refresh_from_db()
        assert not contact.email_is_confirmed


def test_the_collective_cannot_be_added_twice_or_deleted(superuser, client):
    client.force_login(superuser)
    from associations.models import Collective

    Collective.objects.load()
    assert client.get(reverse("admin:associations_collective_add")).status_code == 403
    assert client.get(reverse("admin:associations_collective_delete", args=[1])).status_code == 403


class TestOptimisticLocking:
    """Two staff members open the same fiche; A saves first, then B."""

    def open_twice(self, client, association):
        page = client.get(change_url(association))
        return form_data(page), form_data(page)

    def test_a_stale_save_is_refused_keeps_what_b_typed_and_loses_nothing_of_a(self, staff_client):
        association = AssociationFactory(summary="Ancien résumé.", website="https://old.example/")
        a, b = self.open_twice(staff_client, association)
        a["summary_fr"] = "Le résumé de A."
        assert staff_client.post(change_url(association), a).status_code == 302
        b["website"] = "https://b.example/"
        response = staff_client.post(change_url(association), b)
        assert response.status_code == 200
        text = page_text(response)
        assert "Cette fiche a été enregistrée par quelqu’un d’autre" in text
        assert (
            "Résumé en une phrase (français) : « Le résumé de A. », repris dans votre formulaire"
            in text
        )
        assert "Enregistré par camille le" in text
        form = response.context["adminform"].form
        assert form["website"].value() == "https://b.example/"  # what B typed
        assert form["summary_fr"].value() == "Le résumé de A."  # A's, merged in
        association.refresh_from_db()
        assert (association.summary, association.website) == (
            "Le résumé de A.",
            "https://old.example/",
        )
        # B saves again from the page shown: both changes are kept.
        assert staff_client.post(change_url(association), form_data(response)).status_code == 302
        association.refresh_from_db()
        assert (association.summary, association.website) == (
            "Le résumé de A.",
            "https://b.example/",
        )

    def test_when_both_changed_the_same_field_b_sees_a_value_and_keeps_theirs(self, staff_client):
        association = AssociationFactory(summary="Ancien résumé.")
        a, b = self.open_twice(staff_client, association)
        a["summary_fr"] = "Le résumé de A."
        staff_client.post(change_url(association), a)
        b["summary_fr"] = "Le résumé de B."
        response = staff_client.post(change_url(association), b)
        text = page_text(response)
        assert (
            "Résumé en une phrase (français) : « Le résumé de A. » ; vous l’aviez aussi modifié : "
            "votre saisie est gardée dans le formulaire"
        ) in text
        assert response.context["adminform"].form["summary_fr"].value() == "Le résumé de B."
        association.refresh_from_db()
        assert association.summary == "Le résumé de A."

    def test_a_contact_changed_meanwhile_is_merged_and_kept(self, staff_client):
        association = AssociationFactory()
        contact = ContactFactory(association=association, email="ancien@example.org")
        a, b = self.open_twice(staff_client, association)
        a["contacts-0-email"] = "nouveau@example.org"
        staff_client.post(change_url(association), a)
        b["roubaix_capacity"] = "12"
        response = staff_client.post(change_url(association), b)
        assert "Contact 1 — Courriel : « nouveau@example.org »" in page_text(response)
        staff_client.post(change_url(association), form_data(response))
        contact.refresh_from_db()
        association.refresh_from_db()
        assert (contact.email, association.roubaix_capacity) == ("nouveau@example.org", 12)

    def test_a_contact_added_meanwhile_is_listed_and_kept(self, staff_client):
        association = AssociationFactory()
        a, b = self.open_twice(staff_client, association)
        a.update(
            {
                "contacts-TOTAL_FORMS": "1",
                "contacts-0-email": "ajout@example.org",
                "contacts-0-position": "0",
            }
        )
        assert staff_client.post(change_url(association), a).status_code == 302
        b["summary_fr"] = "Un autre résumé."
        response = staff_client.post(change_url(association), b)
        assert "Contact « ajout@example.org » : ajouté entre-temps" in page_text(response)
        staff_client.post(change_url(association), form_data(response))
        assert list(association.contacts.values_list("email", flat=True)) == ["ajout@example.org"]

    def test_a_form_without_its_token_is_refused(self, staff_client):
        association = AssociationFactory(summary="Ancien résumé.")
        data = form_data(staff_client.get(change_url(association)))
        del data["_lock_token"], data["_lock_snapshot"]
        data["summary_fr"] = "Sans jeton."
        response = staff_client.post(change_url(association), data)
        assert response.status_code == 200
        assert "quelqu’un d’autre" in page_text(response)
        association.refresh_from_db()
        assert association.summary == "Ancien résumé."

    def test_a_place_saved_on_its_own_page_makes_the_fiche_s_open_forms_stale(self, staff_client):
        location = LocationFactory(label="Ancien nom")
        association = location.association
        b = form_data(staff_client.get(change_url(association)))
        url = reverse("admin:associations_location_change", args=[location.pk])
        place = form_data(staff_client.get(url))
        place["label"] = "Nouveau nom"
        assert staff_client.post(url, place).status_code == 302
        b["summary_fr"] = "Un résumé."
        response = staff_client.post(change_url(association), b)
        assert "Lieu 1 — Nom du lieu : « Nouveau nom », repris dans votre formulaire" in (
            page_text(response)
        )
        location.refresh_from_db()
        assert location.label == "Nouveau nom"


class TestLineEndings:
    def test_texts_sent_back_with_crlf_are_not_changes(self, staff_client):
        """A browser sends a textarea's line breaks as \\r\\n: only the e-mail changed."""
        association = AssociationFactory(
            description="Premier paragraphe.\n\nSecond paragraphe.",
            partners_text="Ville de Roubaix\nÉducation nationale",
        )
        ContactFactory(association=association, email="lille@afev.org")
        ReviewItemFactory(association=association, note="Le courriel\nsemble faux.")
        data = form_data(staff_client.get(change_url(association)))
        for name, value in data.items():
            if isinstance(value, str) and "\n" in value:
                data[name] = value.replace("\n", "\r\n")
        assert "\r\n" in data["description_fr"] and "\r\n" in data["review_items-0-note"]
        data["contacts-0-email"] = "contact@anaf.example"
        assert staff_client.post(change_url(association), data).status_code == 302
        entry = LogEntry.objects.get(object_id=str(association.pk))
        assert plain(entry.get_change_message()) == (
            "Modification de Courriel pour l'objet contact « contact@anaf.example »."
        )
        association.refresh_from_db()
        assert association.description == "Premier paragraphe.\n\nSecond paragraphe."

    def test_a_changed_text_is_saved_with_lf(self, staff_client):
        association = AssociationFactory()
        data = form_data(staff_client.get(change_url(association)))
        data["description_fr"] = "Un.\r\n\r\nDeux."
        staff_client.post(change_url(association), data)
        association.refresh_from_db()
        assert association.description == "Un.\n\nDeux."


class TestFrenchWording:
    def test_titles_buttons_and_messages_have_their_articles(self, staff_client):
        association = AssociationFactory(name="Afev")
        changelist = staff_client.get(reverse("admin:associations_association_changelist"))
        assertInHTML("<h1>Choisissez l’association à modifier</h1>", changelist.content.decode())
        assert "Ajouter une association" in page_text(changelist)
        add = staff_client.get(reverse("admin:associations_association_add"))
        assertInHTML("<h1>Ajouter une association</h1>", add.content.decode())
        change = staff_client.get(change_url(association))
        page = change.content.decode()
        assertInHTML("<h1>Modifier l’association</h1>", page)
        assert "Modification de" not in page and "objet" not in page_text(change)
        assert 'value="Enregistrer et ajouter une autre association"' in page
        inline_buttons = {
            inline.formset.prefix: json.loads(inline.inline_formset_data())["options"]["addText"]
            for inline in change.context["inline_admin_formsets"]
        }
        assert inline_buttons["contacts"] == "Ajouter un contact"
        assert inline_buttons["locations"] == "Ajouter un lieu"
        assert inline_buttons["review_items"] == "Ajouter une information à vérifier"
        response = staff_client.post(change_url(association), form_data(change), follow=True)
        assert "L’association « Afev » a été modifiée." in page_text(response)

    @pytest.mark.parametrize(
        ("model", "title"),
        [
            ("level", "Choisissez le niveau ou la situation à modifier"),
            ("need", "Choisissez le besoin à modifier"),
            ("venue", "Choisissez le lieu de rencontre à modifier"),
            ("reviewitem", "Choisissez l’information à vérifier à modifier"),
            ("location", "Choisissez le lieu à modifier"),
        ],
    )
    def test_every_list_staff_use(self, staff_client, model, title):
        response = staff_client.get(reverse(f"admin:associations_{model}_changelist"))
        assertInHTML(f"<h1>{title}</h1>", response.content.decode())

    def test_inline_inputs_name_their_row(self, staff_client):
        association = AssociationFactory()
        ContactFactory.create_batch(2, association=association)
        page = staff_client.get(change_url(association)).content.decode()
        assert 'aria-label="Courriel (contact 2)"' in page
        assert 'aria-label="Supprimer le contact 2"' in page
        # The template row's number is written when it is added (inline-rows.js).
        assert 'aria-label="Courriel (contact __num__)"' in page

    def test_login_page_has_a_heading(self, client):
        page = client.get(reverse("admin:login")).content.decode()
        assertInHTML("<h1>Connexion à l’administration</h1>", page)


class TestErrorSummary:
    def test_errors_are_listed_at_the_top_with_links_to_their_fields(self, staff_client):
        association = AssociationFactory(age_min=11, age_max=18)
        ContactFactory(association=association)
        data = form_data(staff_client.get(change_url(association)))
        data["age_min"] = "20"
        data["contacts-0-email"] = "pas-un-courriel"
        response = staff_client.post(change_url(association), data)
        page = response.content.decode()
        summary = page[page.index('class="module error-summary"') :]
        summary = summary[: summary.index("</section>")]
        assert "Les 2 erreurs à corriger" in summary
        assert 'href="#id_age_max"' in summary
        assert 'href="#id_contacts-0-email"' in summary
        assert "Contact 1 — Courriel" in summary
        assert page.index("error-summary") < page.index('id="id_name"')

    def test_a_row_error_links_to_its_row(self, staff_client):
        association = AssociationFactory()
        data = form_data(staff_client.get(change_url(association)))
        data.update({"contacts-TOTAL_FORMS": "1", "contacts-0-person_name": "Sans moyen"})
        response = staff_client.post(change_url(association), data)
        assert 'href="#contacts-0"' in response.content.decode()
        assert "Indiquez au moins un courriel ou un téléphone." in page_text(response)


HOSTILE = [
    "modalite=%00",
    "a_verifier=%C2%B2",
    "courriel=%00",
    "courriel=oui",
    "verification=%00",
    "verification=jamais",
    "o=abc",
    "o=99",
    "p=abc",
    "p=0",
    "inconnu=1",
    "levels__id__exact=abc",
    "levels__id__exact=1%00",
    "slug__exact=%00",
    "name__regex=.*",
    "contacts__email=x",
    "q=%00",
]


class TestHostileFilterValues:
    @pytest.mark.parametrize("query", HOSTILE)
    @pytest.mark.parametrize("model", ["association", "level", "reviewitem", "location"])
    def test_ignored_with_a_message_never_an_error(self, staff_client, model, query):
        AssociationFactory()
        url = reverse(f"admin:associations_{model}_changelist")
        response = staff_client.get(f"{url}?{query}", follow=True)
        assert response.status_code == 200
        assert response.request["PATH_INFO"] == url
        shown = [str(message) for message in response.context["messages"]]
        assert shown, f"aucun message pour {query}"
        assert "e=1" not in response.request.get("QUERY_STRING", "")

    def test_messages_say_what_was_ignored(self, staff_client):
        url = reverse("admin:associations_association_changelist")

        def messages_for(query):
            response = staff_client.get(f"{url}?{query}", follow=True)
            return [plain(str(message)) for message in response.context["messages"]]

        assert messages_for("inconnu=1&autre=2") == [
            "Les filtres « inconnu » et « autre » n’existent pas sur cette liste : "
            "ils sont ignorés."
        ]
        assert messages_for("modalite=%00") == [
            "Le filtre « modalite » avait une valeur non valable : il est ignoré."
        ]
        assert messages_for("a_verifier=%C2%B2") == [
            "Le filtre « à vérifier » n’a pas de choix « ² » : il a été ignoré."
        ]
        assert messages_for("o=abc") == ["Le tri demandé (« abc ») n’existe pas : il est ignoré."]
        assert messages_for("levels__id__exact=abc") == [
            "Un des filtres de l’adresse n’a pas pu être appliqué (valeur non valable) : "
            "la liste est affichée sans filtre."
        ]

    def test_a_page_past_the_last_shows_the_list(self, staff_client):
        url = reverse("admin:associations_association_changelist")
        assert staff_client.get(f"{url}?p=999", follow=True).status_code == 200

    def test_good_filters_are_kept_next_to_an_ignored_one(self, staff_client):
        AssociationFactory(name="À distance", in_person=False, remote=True)
        AssociationFactory(name="Sur place")
        url = reverse("admin:associations_association_changelist")
        response = staff_client.get(f"{url}?modalite=distanciel&inconnu=1", follow=True)
        assert [a.name for a in response.context["cl"].result_list] == ["À distance"]
        assert response.request["QUERY_STRING"] == "modalite=distanciel"

    def test_usual_filters_sorting_and_pages_go_through_untouched(self, staff_client):
        url = reverse("admin:associations_association_changelist")
        for query in ["o=2.-1", "p=1", "q=afev", "levels__id__exact=1", "_facets=1", "e=1"]:
            response = staff_client.get(f"{url}?{query}")
            assert response.status_code == 200, query
            assert not list(response.context["messages"]), query
