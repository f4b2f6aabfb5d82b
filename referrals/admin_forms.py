"""The request's change form in the admin: status transitions that make sense."""

from django import forms

from .models import Referral
from .statuses import reopens


class ReferralAdminForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["status", "staff_note"]

    def clean(self):
        data = super().clean()
        previous = self.initial.get("status")
        if (
            reopens(previous, data.get("status"))
            and "staff_note" not in self.changed_data
            and "staff_note" not in self.errors
        ):
            self.add_error(
                "staff_note",
                "Pour rouvrir une demande terminée, dites pourquoi dans la note de l’équipe.",
            )
        return data
