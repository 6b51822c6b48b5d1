import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from i2i import access, audit
from i2i.dashboard import COLUMNS, OVERALL, SORTS, cohort_dashboard


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


def cohort_dashboard_view(request, pk):
    cohort = _cohort(request, pk)
    filters = _filters(request)
    dashboard = cohort_dashboard(request.user, cohort, **filters)
    return render(
        request,
        "dashboard/cohort.html",
        {
            "cohort": cohort,
            "dashboard": dashboard,
            "filters": filters,
            "overall_choices": OVERALL,
            "sort_choices": SORTS,
            "query": request.GET.urlencode(),
        },
    )


def cohort_dashboard_csv(request, pk):
    """The table for Excel: UTF-8 with a byte order mark, the filters applied."""
    cohort = _cohort(request, pk)
    dashboard = cohort_dashboard(request.user, cohort, **_filters(request))
    audit.record("export_dashboard_csv", target=cohort, rows=len(dashboard.rows))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cohort-{cohort.pk}-dashboard.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        ["Participant", "Email", "Organisation", "Overall", "Placements", "Half-days",
         "Weeks left", *[c.replace("_", " ").capitalize() for c in COLUMNS], "Briefing",
         "Workshop"]
    )  # fmt: skip
    for row in dashboard.rows:
        report = row.report
        writer.writerow(
            [str(row.participant.user), row.participant.user.email,
             row.participant.organisation.name, row.overall_label, report.placements_counted,
             report.half_days_counted, report.weeks_left,
             *[report.get(code).status.label for code in (*COLUMNS, "briefing", "workshop")]]
        )  # fmt: skip
    return response
