"""Long lists a page at a time, `?page=` in the URL: the dashboard's tables, the cohort
page, the notifications and the audit trail. Every list pages through `paged`."""

from django.core.paginator import Page, Paginator

PAGE_SIZE = 50


def paged(rows, number, per_page: int | None = None) -> Page:
    """One page of rows. A page number that is not a number shows the first page, and one
    past the end the last (Django's `Paginator.get_page`), so an old link never fails."""
    return Paginator(rows, per_page or PAGE_SIZE).get_page(number)


def pagination(request, page, param: str, fragment: str) -> dict:
    """What the pagination nav needs: "Showing 51–100 of 5,000" and a link for each page
    (elided in the middle), each keeping the other query parameters (filters, sort and the
    other list's page) and landing on the list it pages."""

    def link(number):
        query = request.GET.copy()
        query[param] = str(number)
        return f"?{query.urlencode()}#{fragment}"

    paginator = page.paginator
    links = []
    if paginator.num_pages > 1:
        for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
            if number == paginator.ELLIPSIS:
                links.append({"ellipsis": True})
            else:
                links.append(
                    {"number": number, "url": link(number), "current": number == page.number}
                )
    return {
        "page": page,
        "showing": (
            f"Showing {page.start_index():,}–{page.end_index():,} of {paginator.count:,}"
            if paginator.count
            else ""
        ),
        "links": links,
        "previous": link(page.previous_page_number()) if page.has_previous() else "",
        "next": link(page.next_page_number()) if page.has_next() else "",
    }
