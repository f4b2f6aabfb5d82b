"""The lines of the admin home's « À faire aujourd’hui ».

Each app that has something for staff to do names a function of the request in
`mentorat.admin_site.ATTENTION_SOURCES`; the function returns a list of `todo_item`s, only
those the user may open, counted in a fixed number of queries.
"""


def todo_item(count, text, nothing, url):
    """One line: `text` (which says `count`) as a link to the list of exactly those rows,
    or, when there is nothing to do, `nothing`, without a link."""
    return {"text": text if count else nothing, "count": count, "url": url}
