"""What the product emailed: each person's own notifications, and for the programme manager
every notification sent, filtered by cohort and kind."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from i2i import access
from i2i.forms import whole_number
from i2i.models import Notification
from i2i.paging import paged
from participants.models import Cohort
from programme.reminders import kind_label


def _page(request, queryset):
    page = paged(queryset, request.GET.get("page"))
    for notification in page.object_list:
        notification.kind_label = kind_label(notification.kind)
    return page


def notifications(request):
    """The signed-in user's own notifications, newest first (two queries: count and page)."""
    mine = Notification.objects.filter(recipient=request.user).order_by("-sent_at", "-id")
    return render(request, "notifications/mine.html", {"page": _page(request, mine)})


def notifications_sent(request):
    """Every notification, for the programme manager only; those not delivered say why."""
    if not access.can_see_notifications_sent(request.user):
        raise PermissionDenied("Only the programme manager sees every notification sent.")
    sent = Notification.objects.select_related(
        "recipient", "participant__user", "participant__cohort"
    ).order_by("-sent_at", "-id")
    cohorts = list(Cohort.objects.order_by("-programme_start", "name"))
    cohort = whole_number(request.GET.get("cohort"))
    if cohort is not None:
        sent = sent.filter(participant__cohort_id=cohort)
    cohort = "" if cohort is None else str(cohort)  # as the select's options compare it
    kinds = sorted(
        set(Notification.objects.order_by().values_list("kind", flat=True).distinct()),
        key=kind_label,
    )
    kind = request.GET.get("kind", "")
    if kind:
        sent = sent.filter(kind=kind)
    # The home page's "reminders that failed" task links here with failed=1.
    failed = request.GET.get("failed", "") == "1"
    if failed:
        sent = sent.filter(failed_at__isnull=False)
    return render(
        request,
        "notifications/sent.html",
        {
            "page": _page(request, sent),
            "cohorts": cohorts,
            "cohort": cohort,
            "kinds": [(k, kind_label(k)) for k in kinds],
            "kind": kind,
            "failed": failed,
            "filtered": bool(cohort or kind or failed),
        },
    )
