"""Forms that refuse hostile input before any field reads it (or the database sees it),
and the form fields that several apps' forms share.

Whatever a form asks, a value sent several times for a one-answer question, hundreds
of values, a value longer than any real answer or one with control characters
(a NUL byte…) gets a clear message next to its field, in the page's language, never
a 500, and never a message that repeats what was sent. The fields then check what is
left as usual.
"""

import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 100  # no slug nor number is longer: a longer answer is refused unread
MAX_VALUES = 50  # answers to one multiple-choice question
# Line breaks and tabs are fine in a text area; no other control character is.
MULTILINE = frozenset("\n\r\t")


def has_control_characters(value, allowed=frozenset()):
    """A NUL byte or another control character that no form sends (bar those allowed)."""
    return any(unicodedata.category(char) == "Cc" and char not in allowed for char in value)


class ScreenedFormMixin:
    """Screens the submitted values of every field before the fields clean them.

    A field with its own length limit (a text) says itself when a value is too long;
    any other field (a number, a choice) refuses a value longer than MAX_LENGTH. What
    was sent is shown again in the form, escaped, so that a person can correct it.
    Subclasses may reword `screening_messages` for what they ask (`{max_values}` is
    replaced by the limit).
    """

    max_values = MAX_VALUES
    max_length = MAX_LENGTH
    screening_messages = {
        "several": _("Une seule réponse est possible à cette question."),
        "too_many": _("Trop de réponses : {max_values} au plus."),
        "too_long": _("Cette réponse est trop longue."),
        "control": _("Cette réponse contient des caractères non autorisés."),
    }

    def submitted_values(self, name):
        """Every value sent for the field `name`, as a list of strings."""
        key = self.add_prefix(name)
        if hasattr(self.data, "getlist"):
            return self.data.getlist(key)
        value = self.data.get(key)
        if value is None:
            return []
        return [str(item) for item in value] if isinstance(value, list | tuple) else [str(value)]

    def screen(self, field, values):
        """The key of the first problem of `values` in `screening_messages`, or ""."""
        if len(values) > 1 and not getattr(field.widget, "allow_multiple_selected", False):
            return "several"
        if len(values) > self.max_values:
            return "too_many"
        has_own_limit = getattr(field, "max_length", None) is not None
        if not has_own_limit and any(len(value) > self.max_length for value in values):
            return "too_long"
        allowed = MULTILINE if isinstance(field.widget, forms.Textarea) else frozenset()
        if any(has_control_characters(value, allowed) for value in values):
            return "control"
        return ""

    def screened(self):
        """{field name: message} for every field whose values are refused unread."""
        problems = {}
        for name, field in self.fields.items():
            if problem := self.screen(field, self.submitted_values(name)):
                message = self.screening_messages[problem]
                problems[name] = message.format(max_values=self.max_values)
        return problems

    def full_clean(self):
        problems = self.screened() if self.is_bound else {}
        submitted = self.data
        if problems:
            # The fields (and the form's clean()) see those answers as not given.
            self.data = submitted.copy()
            for name in problems:
                self.data.pop(self.add_prefix(name), None)
        try:
            super().full_clean()
        finally:
            self.data = submitted
        for name, problem in problems.items():
            self.errors.pop(name, None)
            self.add_error(name, problem)


class ScreenedForm(ScreenedFormMixin, forms.Form):
    pass


class ScreenedModelForm(ScreenedFormMixin, forms.ModelForm):
    pass


def normalise_line_endings(text):
    """ "a\\r\\nb\\rc" → "a\\nb\\nc": the one way the database keeps a line break."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class MultilineTextField(forms.CharField):
    """Text typed in a <textarea>, whose line breaks browsers send as \\r\\n.

    Cleaned to \\n before it is compared with what is stored and saved, so that a text
    sent back unchanged is not seen as changed (nor logged as such in the history).
    """

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_line_endings(value) if isinstance(value, str) else value

    def has_changed(self, initial, data):
        if isinstance(initial, str):
            initial = normalise_line_endings(initial)
        return super().has_changed(initial, data)
