import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from i2i import access, audit
from i2i.csvfile import csv_download
from i2i.paging import paged, pagination
from programme.dashboard import COLUMNS, OVERALL, SELF_ASSESSMENT, SORTS, TITLES, cohort_dashboard


def _cohort(request, pk):
    cohort = get_object_or_404(access.visible_cohorts(request.user), pk=pk)
    if not access.can_see_dashboard(request.user):
        raise PermissionDenied(
            "The dashboard is for the programme manager, education leads and sponsors."
        )
    return cohort


def _filters(request) -> dict:
    return {
        "organisation": request.GET.get("organisation", ""),
        "overall": request.GET.get("overall", ""),
        "sort": request.GET.get("sort", "risk"),
    }


def dashboard_context(request, cohort, dashboard, filters) -> dict:
    """The template's context: one page of the table and one of the at-risk list, chosen by
    `page` and `risk_page` (a page past the end shows the last, one that is not a number
    the first)."""
    export = request.GET.copy()
    for param in ("page", "risk_page"):
        export.pop(param, None)
    return {
        "cohort": cohort,
        "dashboard": dashboard,
        "filters": filters,
        "overall_choices": OVERALL,
        "can_see_evaluation": access.can_see_evaluation(request.user),
        "sort_choices": SORTS,
        "query": export.urlencode(),  # the CSV link: the filters, every page
        "rows": pagination(
            request, paged(dashboard.rows, request.GET.get("page")), "page", "table-heading"
        ),
        "risks": pagination(
            request,
            paged(dashboard.at_risk, request.GET.get("risk_page")),
            "risk_page",
            "risk-heading",
        ),
    }


def cohort_dashboard_view(request, pk):
    cohort = _cohort(request, pk)
    filters = _filters(request)
    dashboard = cohort_dashboard(request.user, cohort, **filters)
    return render(
        request, "dashboard/cohort.html", dashboard_context(request, cohort, dashboard, filters)
    )


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def cohort_dashboard_csv(request, pk):
    """The whole table for Excel, every page: UTF-8 with a byte order mark, the filters
    applied, ISO dates (which Excel reads as dates). The mid-programme review is there as
    done or not and the day it was held, never its words: those stay with the participant
    and their line manager."""
    cohort = _cohort(request, pk)
    dashboard = cohort_dashboard(request.user, cohort, **_filters(request))
    audit.record("export_dashboard_csv", target=cohort, rows=len(dashboard.rows))
    response, writer = csv_download(f"cohort-{cohort.pk}-dashboard.csv")
    writer.writerow(
        ["Participant", "Email", "Organisation", "Overall", "Placements counted",
         "Half-days counted", "Weeks left",
         *[TITLES[code] for code in (*COLUMNS, "briefing", "workshop")],
         "Self-assessment at the start", "Self-assessment at the end",
         "Sponsor met", "Sponsor first met on",
         "Mid-programme review done", "Mid-programme review held on"]
    )  # fmt: skip
    for row in dashboard.rows:
        report = row.report
        writer.writerow(
            [row.name, row.email, row.organisation_name, row.overall_label,
             report.placements_counted, report.half_days_counted, report.weeks_left,
             *[report.get(code).status.label for code in (*COLUMNS, "briefing", "workshop")],
             *[SELF_ASSESSMENT[state] for state in row.self_assessment],
             "Yes" if row.sponsor_met_on else "No", _day(row.sponsor_met_on),
             "Yes" if row.review_held_on else "No", _day(row.review_held_on)]
        )  # fmt: skip
    return response
