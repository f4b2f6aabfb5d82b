"""The brochure and the flyers printed to PDF by Chromium, and read back with poppler."""

import io
import re
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from associations.models import Association
from core.french import long_date
from opendata import records

# Transactional (the live server reads what the test wrote); the flush that ends a
# transactional test also empties the vocabularies that migrations created: restore them.

# Cover, the Collectif, the Cité éducative, mentoring, impact, the associations' overview.
PAGES_BEFORE_THE_ASSOCIATIONS = 6
PAGES_AFTER_THE_ASSOCIATIONS = 1  # the contact page


def poppler(tool, *args):
    assert shutil.which(tool), f"{tool} manque : apt-get install poppler-utils (make chromium)"
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True).stdout


def page_count(pdf):
    return int(re.search(r"^Pages:\s+(\d+)$", poppler("pdfinfo", str(pdf)), re.M)[1])


def pdf_text(pdf, page=None):
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return poppler("pdftotext", *pages, str(pdf), "-")


@pytest.fixture
def print_to_pdf(page, live_server, tmp_path):
    """Print a page of the site to PDF as staff do from Chromium: A4, with backgrounds."""

    def render(path):
        page.goto(live_server.url + path)
        pdf = tmp_path / "impression.pdf"
        page.pdf(path=pdf, prefer_css_page_size=True, print_background=True)
        return pdf

    return render


def logo_png():
    """A logo as staff would upload one: a small image, in colour."""
    buffer = io.BytesIO()
    Image.new("RGB", (240, 80), "#1d4e89").save(buffer, "PNG")
    return buffer.getvalue()


def images_on_page(pdf, number):
    """The raster images poppler finds on one page (QR codes and maps are vectors)."""
    listing = poppler("pdfimages", "-list", "-f", str(number), "-l", str(number), str(pdf))
    return [line for line in listing.splitlines()[2:] if line.strip()]


@pytest.mark.urls("tests.browser.media_urls")
def test_the_brochure_prints_one_page_per_association(print_to_pdf, seed, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    afev = Association.objects.get(slug="afev")
    afev.logo = SimpleUploadedFile("afev.png", logo_png(), content_type="image/png")
    afev.save()
    pdf = print_to_pdf(reverse("opendata:brochure"))
    associations = list(records.exported_associations())
    total = PAGES_BEFORE_THE_ASSOCIATIONS + len(associations) + PAGES_AFTER_THE_ASSOCIATIONS
    # Each association fills one page, whatever the length of its texts: none spills over.
    assert page_count(pdf) == total == 17
    assert re.search(
        r"^Page size:\s+594.96 x 841.92 pts \(A4\)$", poppler("pdfinfo", str(pdf)), re.M
    )

    everything = pdf_text(pdf)
    for association in associations:
        assert association.name in everything
        for contact in association.contacts.all():
            assert contact.email in everything
    assert "roubaix@collectifmentorat.fr" in everything

    # Each association on its own page, numbered in the margin; the cover is not numbered.
    assert f"1 / {total}" not in pdf_text(pdf, 1)
    for number, association in enumerate(associations, PAGES_BEFORE_THE_ASSOCIATIONS + 1):
        text = pdf_text(pdf, number)
        assert association.name in text
        assert all(contact.email in text for contact in association.contacts.all())
        # Links are printed as text: its page's address, under the QR code.
        assert f"localhost:8000/associations/{association.slug}/" in text
        assert f"{number} / {total}" in text
    assert "Merci" in pdf_text(pdf, total)

    # As a Cité éducative prints it: capacity floors, French dates, the overview's grid.
    cover = " ".join(pdf_text(pdf, 1).split())
    assert "10 associations, au moins 432 places pour les jeunes" in cover
    assert f"Brochure générée le {long_date(timezone.localdate())}" in cover
    overview = " ".join(pdf_text(pdf, PAGES_BEFORE_THE_ASSOCIATIONS).split())
    assert "UN ACCOMPAGNEMENT À CHAQUE ÉTAPE DU PARCOURS DU JEUNE" in overview
    assert "Ni en études ni en emploi" in overview and "Places à Roubaix" in overview
    assert "200 jeunes ou plus" in overview
    # The brochure's suspected errors, on the association's page.
    anaf = " ".join(pdf_text(pdf, PAGES_BEFORE_THE_ASSOCIATIONS + 2).split())
    assert "Information à vérifier auprès de l’association" in anaf
    assert "Le courriel lille@afev.org est celui de l’Afev" in anaf
    # How to ask, at the foot of every association's page.
    for number in range(PAGES_BEFORE_THE_ASSOCIATIONS + 1, total):
        assert "Être mis en relation avec" in pdf_text(pdf, number)
    # The logo staff uploaded, on its association's page only.
    assert len(images_on_page(pdf, PAGES_BEFORE_THE_ASSOCIATIONS + 1)) == 1
    assert images_on_page(pdf, PAGES_BEFORE_THE_ASSOCIATIONS + 2) == []


def test_every_flyer_fits_on_one_page(page, live_server, print_to_pdf, seed):
    page.goto(live_server.url + reverse("opendata:flyers"))
    flyers = page.locator(".flyer-index a").evaluate_all("links => links.map(a => a.pathname)")
    assert len(flyers) == 10 + 8  # every association, every level that has an association
    for flyer in flyers:
        pdf = print_to_pdf(flyer)
        assert page_count(pdf) == 1, flyer
        assert "Scannez pour" in pdf_text(pdf)


PRINT_AND_DATA_PAGES = [
    reverse("opendata:brochure"),
    reverse("opendata:flyers"),
    reverse("opendata:association_flyer", args=["face-mel"]),
    reverse("opendata:level_flyer", args=["lycee"]),
    reverse("opendata:open_data"),
    reverse("pages:contact"),
]


@pytest.mark.parametrize("path", PRINT_AND_DATA_PAGES)
def test_pages_reflow_on_a_small_phone(live_server, page, seed, path):
    """At 320 px, nothing scrolls sideways: tables become lists, QR codes go above."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} déborde de {overflow} px à 320 px"


@pytest.mark.parametrize(
    "name",
    ["opendata:brochure", "opendata:open_data", "opendata:flyers"],
)
def test_accessible(page, live_server, assert_accessible, seed, name):
    page.goto(live_server.url + reverse(name))
    assert_accessible(page)


def test_the_level_flyer_is_accessible_and_its_print_button_runs(
    page, live_server, assert_accessible, seed
):
    page.goto(live_server.url + reverse("opendata:level_flyer", args=["college"]))
    assert_accessible(page)
    # The button is shown by the page's script: it ran under the site's CSP.
    assert page.get_by_role("button", name="Imprimer ou enregistrer en PDF").is_visible()
