"""The two questionnaires as FilterSets: GET parameters in, ranked associations out.

The FilterSet reads and checks the answers (the choices come from the
vocabularies, so staff can add terms) and annotates every association with
the hard criteria it meets and its score; `outcome()` ranks them in SQL and
explains the results of the page shown.
"""

import django_filters
from django import forms
from django.utils.functional import cached_property

from associations.models import Association, Audience, Level, MentorProfile, Need
from core.forms import ScreenedForm
from core.vocabularies import Modality

from .questionnaires import Volunteer, YoungPerson


def choice_errors(missing):
    # Django's own messages repeat the value sent; these never do.
    return {
        "required": missing,
        "invalid_choice": "Ce choix n’existe pas\u00a0: choisissez dans la liste.",
        "invalid_pk_value": "Ce choix n’existe pas\u00a0: choisissez dans la liste.",
        "invalid_list": "Choisissez dans la liste.",
    }


def number_errors(missing, out_of_range):
    return {
        "required": missing,
        "invalid": out_of_range,
        "min_value": out_of_range,
        "max_value": out_of_range,
        "step_size": out_of_range,
    }


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


def number_question(label, help_text, low, high, *, missing, out_of_range):
    return IntegerFilter(
        label=label,
        help_text=help_text,
        min_value=low,
        max_value=high,
        required=True,
        error_messages=number_errors(missing, out_of_range),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def one_choice(label, queryset, *, missing):
    return django_filters.ModelChoiceFilter(
        label=label,
        queryset=queryset,
        to_field_name="slug",
        required=True,
        widget=forms.RadioSelect,
        error_messages=choice_errors(missing),
    )


def several_choices(label, queryset, help_text=""):
    return django_filters.ModelMultipleChoiceFilter(
        label=label,
        help_text=help_text,
        queryset=queryset,
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        error_messages=choice_errors(""),
    )


def modality_question(help_text):
    return django_filters.ChoiceFilter(
        label="Comment préférez-vous vous rencontrer\u00a0?",
        help_text=help_text,
        choices=Modality.choices,
        empty_label="Peu importe",
        initial="",
        widget=forms.RadioSelect,
        error_messages=choice_errors(""),
    )


class QuestionnaireFilterSet(django_filters.FilterSet):
    """A questionnaire's form; subclasses give `questionnaire`, the valid answers to match."""

    class Meta:
        model = Association
        fields: list[str] = []
        form = ScreenedForm

    @classmethod
    def answers(cls, query):
        """The query if it answers at least one question, else None: the form is not sent yet."""
        return query if any(name in query for name in cls.base_filters) else None

    def filter_queryset(self, queryset):
        # Annotate, do not filter: the outcome says which criterion leaves an association out.
        return self.questionnaire.annotate(queryset)

    def outcome(self, page=1):
        """One page of the ranked matches, or why there are none: once the form is valid."""
        return self.questionnaire.evaluate(self.qs, page=page)


class YoungPersonFilterSet(QuestionnaireFilterSet):
    age = number_question(
        "Quel âge a le jeune\u00a0?",
        "Le jeune, c’est vous ou votre enfant. De 5 à 30\u00a0ans.",
        5,
        30,
        missing="Indiquez l’âge du jeune.",
        out_of_range="Indiquez un âge en chiffres, de 5 à 30\u00a0ans.",
    )
    situation = one_choice(
        "Où en est le jeune\u00a0?",
        Level.objects.all(),
        missing="Choisissez la classe ou la situation du jeune.",
    )
    besoins = several_choices(
        "De quoi le jeune a-t-il besoin\u00a0?",
        Need.objects.all(),
        help_text="Cochez tout ce qui compte pour lui ou pour elle. Vous pouvez ne rien cocher.",
    )
    modalite = modality_question(
        "En présentiel, on se voit en vrai. À distance, on se parle par téléphone ou en visio."
    )
    situations_particulieres = several_choices(
        "Le jeune est-il dans une de ces situations\u00a0?",
        Audience.objects.all(),
        help_text="Facultatif. Certaines associations sont réservées à ces jeunes, "
        "ou les accueillent en priorité.",
    )

    @cached_property
    def questionnaire(self):
        answers = self.form.cleaned_data
        return YoungPerson(
            age=answers["age"],
            level=answers["situation"],
            needs=answers["besoins"],
            modality=answers["modalite"],
            audiences=answers["situations_particulieres"],
        )


class VolunteerFilterSet(QuestionnaireFilterSet):
    age = number_question(
        "Quel âge avez-vous\u00a0?",
        "De 14 à 100\u00a0ans.",
        14,
        100,
        missing="Indiquez votre âge.",
        out_of_range="Indiquez un âge en chiffres, de 14 à 100\u00a0ans.",
    )
    situation = one_choice(
        "Quelle est votre situation\u00a0?",
        MentorProfile.objects.all(),
        missing="Choisissez votre situation.",
    )
    heures_par_mois = number_question(
        "Combien d’heures par mois pouvez-vous donner\u00a0?",
        "En heures, de 1 à 200. Deux heures par semaine, c’est environ 9\u00a0heures par mois.",
        1,
        200,
        missing="Indiquez combien d’heures par mois vous pouvez donner.",
        out_of_range="Indiquez un nombre d’heures en chiffres, de 1 à 200.",
    )
    mois = number_question(
        "Pendant combien de mois pouvez-vous vous engager\u00a0?",
        "En mois, de 1 à 120. Une année scolaire, c’est environ 9\u00a0mois.",
        1,
        120,
        missing="Indiquez pendant combien de mois vous pouvez vous engager.",
        out_of_range="Indiquez un nombre de mois en chiffres, de 1 à 120.",
    )
    modalite = modality_question(
        "En présentiel, vous voyez le jeune en vrai. À distance, vous lui parlez par téléphone "
        "ou en visio."
    )

    @cached_property
    def questionnaire(self):
        answers = self.form.cleaned_data
        return Volunteer(
            age=answers["age"],
            profile=answers["situation"],
            hours=answers["heures_par_mois"],
            months=answers["mois"],
            modality=answers["modalite"],
        )
