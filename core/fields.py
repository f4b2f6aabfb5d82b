"""Model fields that several apps may use."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst


def flat_choices(choices):
    """The values of choices, grouped ([(group, [(value, label)…])…]) or not."""
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from flat_choices(label)
        else:
            yield value


class ChoiceListField(models.JSONField):
    """A list of values, each taken from `vocabulary` (choices, grouped or not), kept as JSON.

    The form shows one checkbox per value. The vocabulary is code, not database schema:
    it is left out of migrations, so that updating it needs none.
    """

    def __init__(self, *args, vocabulary=(), **kwargs):
        self.vocabulary = vocabulary
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        allowed = set(flat_choices(self.vocabulary))
        if not isinstance(value, list) or not all(
            isinstance(item, str) and item in allowed for item in value
        ):
            raise ValidationError(
                "Choisissez des valeurs de la liste proposée.", code="invalid_choice"
            )

    def formfield(self, **kwargs):
        defaults = {
            "choices": self.vocabulary,
            "required": not self.blank,
            "label": capfirst(self.verbose_name),
            "help_text": self.help_text,
            "widget": forms.CheckboxSelectMultiple,
        }
        return forms.MultipleChoiceField(**{**defaults, **kwargs})
