"""The directory admin's forms and widgets: a place's map, a contact's confirmation."""

from django import forms
from django.conf import settings

from .models import (
    Contact,
    Location,
)

LEAFLET_ASSETS = {
    "css": {"all": ["leaflet/leaflet.css", "admin/location-map.css"]},
    "js": ["leaflet/leaflet.js", "admin/location-map.js"],
}


class LatitudeMapInput(forms.NumberInput):
    """The latitude input, followed by a small map to place or drag the point.

    The script fills the latitude and longitude inputs of the same place; both
    stay editable by hand, so the map is a help, never a requirement.
    """

    template_name = "admin/widgets/latitude_map.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["map"] = {
            "tile_url": settings.TILE_URL,
            "center": settings.LEAFLET_CONFIG["DEFAULT_CENTER"],
            "zoom": settings.LEAFLET_CONFIG["DEFAULT_ZOOM"],
        }
        return context


class LocationForm(forms.ModelForm):
    class Meta:
        model = Location
        fields = [
            "association",
            "label",
            "address",
            "postcode",
            "city",
            "latitude",
            "longitude",
            "is_approximate",
        ]
        widgets = {"latitude": LatitudeMapInput(attrs={"step": "0.000001"})}


class ContactForm(forms.ModelForm):
    """A contact, with the box staff tick once they have confirmed the address."""

    email_confirmed = forms.BooleanField(
        label="courriel confirmé",
        required=False,
        help_text="Cochez une fois l’adresse confirmée auprès de l’association : elle "
        "recevra alors les demandes. Une adresse modifiée est à confirmer de nouveau.",
    )

    class Meta:
        model = Contact
        fields = [
            "person_name",
            "role",
            "email",
            "email_withheld",
            "email_publishable",
            "phone",
            "phone_publishable",
            "position",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email_confirmed"].initial = self.instance.email_is_confirmed

    def record_confirmation(self, user):
        """Who confirmed the address, and when; a changed address must be confirmed again."""
        contact, ticked = self.instance, self.cleaned_data.get("email_confirmed")
        if not contact.email or not ticked:
            contact.unconfirm_email()
        elif "email_confirmed" in self.changed_data:
            contact.confirm_email(by=user)
        elif "email" in self.changed_data:
            contact.unconfirm_email()
