"""The brochure and the flyers printed to PDF by Chromium, and read back with poppler."""

import re
import shutil
import subprocess

import pytest
from django.urls import reverse

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


def test_the_brochure_prints_one_page_per_association(print_to_pdf, seed):
    pdf = print_to_pdf(reverse("opendata:brochure"))
    associations = list(records.exported_associations())
    total = PAGES_BEFORE_THE_ASSOCIATIONS + len(associations) + PAGES_AFTER_THE_ASSOCIATIONS
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


def test_every_flyer_fits_on_one_page(page, live_server, print_to_pdf, seed):
    page.goto(live_server.url + reverse("opendata:flyers"))
    flyers = page.locator(".flyer-index a").evaluate_all("links => links.map(a => a.pathname)")
    assert len(flyers) == 10 + 8  # every association, every level that has an association
    for flyer in flyers:
        pdf = print_to_pdf(flyer)
        assert page_count(pdf) == 1, flyer
        assert "Scannez pour" in pdf_text(pdf)


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
