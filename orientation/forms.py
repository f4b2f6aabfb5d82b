"""The two questionnaires' forms: GET parameters in, a questionnaire to match out.

The field names are the public parameters of the pages and of the API (`qui`, `age`,
`situation`, `besoins`, `rythme`…), declared here once: the request form, the
statistics and the links read them from these forms. The choices come from the
vocabularies, so staff can add terms. Hostile values are refused by core.forms before
any field reads them; the messages never repeat what was sent. The young person's
questions address whoever answers (orientation.wording), and accept the ages the
directory's associations state (AssociationQuerySet.young_age_bounds). The words are
translated when shown (lazily: the forms are built once, at import); the staff's short
labels and a request's message stay French (the statistics, the association's mailbox).
"""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from associations.models import Association, Audience, Level, MentorProfile, Need
from core.forms import ScreenedForm
from core.french import NBSP, age_range, join_words, listing, number, sentence
from core.languages import FRENCH
from core.vocabularies import AGES, Commitment, HoursPer, Modality, Respondent, Rhythm, Seeker

from .questionnaires import Volunteer, YoungPerson
from .wording import ADDRESSES, YOU, address

HOURS = (Decimal("0.5"), Decimal("40"))  # a volunteer's hours, per meeting or per week
NOT_IN_THE_LIST = gettext_lazy("Ce choix n’existe pas : choisissez dans la liste.")


def between(bounds):
    """(0.5, 40) → "de 0,5 à 40"."""
    low, high = bounds
    return _("de %(low)s à %(high)s") % {"low": number(low), "high": number(high)}


def choice_errors(missing):
    # Django's own messages repeat the value sent; these never do.
    return {
        "required": missing,
        "invalid_choice": NOT_IN_THE_LIST,
        "invalid_pk_value": NOT_IN_THE_LIST,
        "invalid_list": gettext_lazy("Choisissez dans la liste."),
    }


NUMBER_ERRORS = ["invalid", "min_value", "max_value", "step_size"]
DECIMAL_ERRORS = ["max_digits", "max_decimal_places", "max_whole_digits"]


def number_errors(missing, out_of_range):
    return {"required": missing, **dict.fromkeys(NUMBER_ERRORS + DECIMAL_ERRORS, out_of_range)}


# Each question has a short label too: its name in the staff's statistics tables.


def number_question(label, help_text, bounds, *, missing, out_of_range, short_label):
    low, high = bounds
    field = forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=low,
        max_value=high,
        error_messages=number_errors(missing, out_of_range),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    field.short_label = short_label
    return field


def ages_help(bounds):
    """(14, 100) → "De 14 à 100 ans."."""
    return f"{capfirst(age_range(*bounds))}."


def ages_error(bounds):
    return _("Indiquez un âge en chiffres, %(ages)s.") % {"ages": age_range(*bounds)}


def age_question(label, bounds, *, missing, help_text=""):
    """An age within `bounds`, which the messages say (in the language of the page)."""
    return number_question(
        label,
        help_text or lazy(ages_help, str)(bounds),
        bounds,
        missing=missing,
        out_of_range=lazy(ages_error, str)(bounds),
        short_label="Âge",
    )


def young_ages_help(bounds):
    """The brochure's words on the ages of mentoring, and how far the directory goes."""
    low, high = AGES[Seeker.YOUNG_PERSON]
    ages = age_range(low, high)
    wider = [_("dès %(low)s ans") % {"low": bounds[0]}] if bounds[0] < low else []
    wider += [_("jusqu’à %(high)s ans") % {"high": bounds[1]}] if bounds[1] > high else []
    if wider:
        return _(
            "Le mentorat s’adresse aux jeunes %(ages)s ; certaines associations "
            "accompagnent %(wider)s."
        ) % {"ages": ages, "wider": join_words(wider)}
    return _("Le mentorat s’adresse aux jeunes %(ages)s.") % {"ages": ages}


def one_of(label, choices, *, missing, short_label, help_text="", required=True):
    """One answer among fixed choices (core.vocabularies), as radio buttons."""
    field = forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=choices,
        required=required,
        widget=forms.RadioSelect,
        error_messages=choice_errors(missing),
    )
    field.short_label = short_label
    return field


@dataclass(frozen=True)
class Unknown:
    """The "Je ne sais pas" of a question whose other answers are vocabulary terms."""

    slug: str = "je-ne-sais-pas"
    name: str = gettext_lazy("Je ne sais pas")
    explanation: str = ""
    pk: None = None


UNKNOWN = Unknown()


class TermsOrUnknownIterator(ModelChoiceIterator):
    def __iter__(self):
        yield from super().__iter__()
        yield ModelChoiceIteratorValue(UNKNOWN.slug, UNKNOWN), UNKNOWN.name

    def __len__(self):
        return super().__len__() + 1


class TermsOrUnknown(forms.ModelMultipleChoiceField):
    """Terms of a vocabulary to tick, or "Je ne sais pas" alone: a list either way."""

    iterator = TermsOrUnknownIterator
    unknown = UNKNOWN

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return [
                UNKNOWN.slug if item == UNKNOWN else item for item in super().prepare_value(value)
            ]
        return super().prepare_value(value)

    def clean(self, value):
        if isinstance(value, list | tuple) and UNKNOWN.slug in value:
            if set(value) != {UNKNOWN.slug}:
                raise ValidationError(self.error_messages["unknown_alone"], code="unknown_alone")
            return [UNKNOWN]
        return list(super().clean(value))


def one_choice(label, queryset, *, missing, short_label):
    field = forms.ModelChoiceField(
        label=label,
        queryset=queryset,
        to_field_name="slug",
        widget=forms.RadioSelect,
        error_messages=choice_errors(missing),
    )
    field.short_label = short_label
    return field


def several_choices(label, queryset, *, help_text, short_label, field_class=None):
    field = (field_class or forms.ModelMultipleChoiceField)(
        label=label,
        help_text=help_text,
        queryset=queryset,
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=choice_errors(""),
    )
    field.short_label = short_label
    return field


def modality_question(help_text):
    field = forms.ChoiceField(
        label=gettext_lazy("Comment préférez-vous vous rencontrer ?"),
        help_text=help_text,
        choices=[("", gettext_lazy("Peu importe")), *Modality.choices],
        required=False,
        initial="",
        widget=forms.RadioSelect,
        error_messages=choice_errors(""),
    )
    field.short_label = "Rencontres"
    return field


def is_answer(value):
    """A number, a choice, or choices: not None, "" nor an empty list of choices."""
    return isinstance(value, int) or bool(value)


def hours_error():
    return _("Indiquez un nombre d’heures en chiffres, %(hours)s.") % {"hours": between(HOURS)}


def hours_question():
    field = forms.DecimalField(
        label=gettext_lazy("Combien d’heures pouvez-vous donner ?"),
        help_text=gettext_lazy("En heures, par exemple 2, ou 1,5 pour une heure et demie."),
        min_value=HOURS[0],
        max_value=HOURS[1],
        max_digits=3,
        decimal_places=1,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages=number_errors(
            gettext_lazy("Indiquez combien d’heures vous pouvez donner."),
            lazy(hours_error, str)(),
        ),
    )
    field.short_label = "Heures"
    return field


def preferred_modality(answers):
    """The line of a request's message that says the preferred way to meet, if any."""
    if modality := answers.get("modalite"):
        return [f"Rencontres de préférence {Modality(modality).words}."]
    return []


class QuestionnaireForm(ScreenedForm):
    """A questionnaire's questions. Subclasses say who answers and build their questionnaire."""

    seeker: Seeker
    address = YOU  # how the questions and results speak to the person

    @classmethod
    def required_questions(cls):
        return [name for name, field in cls.base_fields.items() if field.required]

    def questionnaire(self):
        """The valid answers, as the questionnaire that matches them with the associations."""
        raise NotImplementedError

    def answered(self):
        """{parameter: value} of the valid answers given, even when others are not valid."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if is_answer(value)}

    def summary(self):
        """The valid answers that the request form has no field for, in words (its message):
        French, the language of the association that reads it."""
        with override(FRENCH):
            return "\n".join(self.summary_lines(self.answered()))

    def summary_lines(self, answers):
        return []


# The first line of a request's message: who asks.
RESPONDENT_LINES = {
    Respondent.YOUNG_PERSON: "C’est pour moi.",
    Respondent.PARENT: "Je fais cette demande pour mon enfant.",
    Respondent.PROFESSIONAL: "Je suis un professionnel qui accompagne ce jeune.",
}


class YoungPersonForm(QuestionnaireForm):
    seeker = Seeker.YOUNG_PERSON

    qui = one_of(
        gettext_lazy("Pour qui cherchez-vous un mentor ?"),
        Respondent.choices,
        missing=gettext_lazy("Dites pour qui vous cherchez un mentor."),
        short_label="Pour qui",
    )
    # The words and the bounds of the age are those of the person who answers and of the
    # directory: set for each form (__init__). These are the class's, for the statistics.
    age = age_question(
        ADDRESSES[Respondent.PROFESSIONAL].age,
        AGES[Seeker.YOUNG_PERSON],
        missing=ADDRESSES[Respondent.PROFESSIONAL].missing_age,
    )
    situation = one_choice(
        ADDRESSES[Respondent.PROFESSIONAL].situation,
        Level.objects.all(),
        missing=ADDRESSES[Respondent.PROFESSIONAL].missing_situation,
        short_label="Situation",
    )
    besoins = several_choices(
        ADDRESSES[Respondent.PROFESSIONAL].needs,
        Need.objects.all(),
        help_text=gettext_lazy("Cochez tout ce qui compte. Vous pouvez ne rien cocher."),
        short_label="Besoins",
    )
    modalite = modality_question(
        gettext_lazy(
            "En présentiel, on se voit en vrai. À distance, on se parle par téléphone ou en visio."
        )
    )
    situations_particulieres = several_choices(
        ADDRESSES[Respondent.PROFESSIONAL].audiences,
        Audience.objects.all(),
        help_text=gettext_lazy(
            "Facultatif. Certaines associations sont réservées à ces jeunes, ou les accueillent "
            "en priorité. Ne rien cocher, ou « Je ne sais pas », n’écarte aucune "
            "association."
        ),
        short_label="Situations particulières",
        field_class=TermsOrUnknown,
    )
    situations_particulieres.error_messages["unknown_alone"] = gettext_lazy(
        "Cochez « Je ne sais pas » seul, ou les situations qui correspondent."
    )

    # Each question's words for each person who may answer (the page switches them).
    WORDED = {
        "age": "age",
        "situation": "situation",
        "besoins": "needs",
        "situations_particulieres": "audiences",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        respondent = self.data.get("qui") if self.is_bound else self.initial.get("qui")
        self.address = words = address(respondent)
        bounds = Association.objects.young_age_bounds()
        self.fields["age"] = age_question(
            words.age, bounds, missing=words.missing_age, help_text=young_ages_help(bounds)
        )
        self.fields["situation"].error_messages["required"] = words.missing_situation
        for name, attribute in self.WORDED.items():
            field = self.fields[name]
            field.label = getattr(words, attribute)
            field.wordings = {r.value: getattr(ADDRESSES[r], attribute) for r in Respondent}

    def questionnaire(self):
        answers = self.cleaned_data
        return YoungPerson(
            age=answers["age"],
            level=answers["situation"],
            needs=answers["besoins"],
            modality=answers["modalite"],
            audiences=answers["situations_particulieres"],
            respondent=answers["qui"],
        )

    def summary_lines(self, answers):
        lines = []
        if respondent := answers.get("qui"):
            lines.append(RESPONDENT_LINES[Respondent(respondent)])
        if needs := answers.get("besoins"):
            lines.append(sentence("Besoins", listing(need.name for need in needs)) + ".")
        lines += preferred_modality(answers)
        if audiences := answers.get("situations_particulieres"):
            names = listing(audience.name for audience in audiences)
            lines.append(sentence("Situation particulière", names) + ".")
        return lines


class VolunteerForm(QuestionnaireForm):
    seeker = Seeker.VOLUNTEER

    age = age_question(YOU.age, AGES[Seeker.VOLUNTEER], missing=YOU.missing_age)
    situation = one_choice(
        gettext_lazy("Quelle est votre situation ?"),
        MentorProfile.objects.all(),
        missing=gettext_lazy("Choisissez votre situation."),
        short_label="Situation",
    )
    rythme = one_of(
        gettext_lazy("À quel rythme pouvez-vous voir un jeune ?"),
        Rhythm.choices,
        missing=gettext_lazy("Choisissez à quel rythme vous pouvez voir un jeune."),
        short_label="Rythme",
        help_text=gettext_lazy(
            "Un mentor voit le même jeune régulièrement, pendant plusieurs mois."
        ),
    )
    heures = hours_question()
    heures_par = one_of(
        gettext_lazy("Ces heures, c’est…"),
        [
            (HoursPer.MEETING, gettext_lazy("À chaque rencontre")),
            (HoursPer.WEEK, gettext_lazy("Par semaine, en tout")),
        ],
        missing="",
        short_label="Heures par",
        required=False,
    )
    heures_par.initial = HoursPer.MEETING
    engagement = one_of(
        gettext_lazy("Pendant combien de temps pouvez-vous vous engager ?"),
        Commitment.choices,
        missing=gettext_lazy("Choisissez pendant combien de temps vous pouvez vous engager."),
        short_label="Engagement",
        help_text=gettext_lazy("Une année scolaire, c’est de septembre à juin."),
    )
    modalite = modality_question(
        gettext_lazy(
            "En présentiel, vous voyez le jeune en vrai. À distance, vous lui parlez par "
            "téléphone ou en visio."
        )
    )

    def questionnaire(self):
        answers = self.cleaned_data
        return Volunteer(
            age=answers["age"],
            profile=answers["situation"],
            rhythm=answers["rythme"],
            hours=answers["heures"],
            hours_per=answers["heures_par"],
            commitment=answers["engagement"],
            modality=answers["modalite"],
        )

    def summary_lines(self, answers):
        parts = []
        if rhythm := answers.get("rythme"):
            parts.append(f"je peux voir un jeune {Rhythm(rhythm).label.lower()}")
        if (hours := answers.get("heures")) is not None:
            per = "par semaine" if answers.get("heures_par") == HoursPer.WEEK else "par rencontre"
            parts.append(f"{number(hours)}{NBSP}h {per}")
        if commitment := answers.get("engagement"):
            parts.append(f"pendant {Commitment(commitment).label.lower()}")
        lines = [capfirst(", ".join(parts)) + "."] if parts else []
        return lines + preferred_modality(answers)


FORMS = {form.seeker: form for form in [YoungPersonForm, VolunteerForm]}
