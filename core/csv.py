"""One way to write a CSV file that French spreadsheets open as they should."""

import csv
import io

from django.http import HttpResponse

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """What a French spreadsheet reads back as the value: oui/non, 8,7, text never a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return str(value).replace(".", ",")
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_bytes(header, rows):
    """UTF-8 with a byte-order mark, `;`-separated, one header row, then the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(cell(value) for value in row)
    return buffer.getvalue().encode("utf-8-sig")


CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def attachment(response, filename):
    """The response as a file to download, named `filename`."""
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(header, rows, filename):
    """The CSV as a file to download."""
    return attachment(
        HttpResponse(csv_bytes(header, rows), content_type=CSV_CONTENT_TYPE), filename
    )
