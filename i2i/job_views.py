from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from i2i import access, audit
from i2i.jobs import back_link
from i2i.models import AuditEvent
from i2i.paging import paged

AUDIT_PAGE_SIZE = 100


def job_detail(request, pk):
    """The progress page; htmx polls `job_status` until the file is ready."""
    job = get_object_or_404(access.visible_jobs(request.user), pk=pk)
    return render(request, "jobs/job_detail.html", {"job": job, "back": back_link(job)})


def job_status(request, pk):
    """The polled part. The page's live region is told only when the status changes (the
    poll says which status it last saw), so a screen reader is not read the same line
    every second."""
    job = get_object_or_404(access.visible_jobs(request.user), pk=pk)
    announce = request.GET.get("seen") != job.status
    return render(request, "jobs/_job_status.html", {"job": job, "announce": announce})


def job_download(request, pk):
    job = get_object_or_404(access.visible_jobs(request.user), pk=pk)
    if job.status != job.Status.DONE or not job.file:
        raise Http404("The file is not ready.")
    audit.record("download", target=job.title, kind=job.kind, job=str(job.pk))
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)


def audit_log(request):
    """The programme manager reads the audit trail; nothing in the application edits it."""
    if not access.can_read_audit(request.user):
        raise PermissionDenied("The audit trail is for the programme manager.")
    events = AuditEvent.objects.select_related("actor")
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    page = paged(events, request.GET.get("page"), AUDIT_PAGE_SIZE)
    actions = sorted(set(AuditEvent.objects.values_list("action", flat=True).distinct()))
    return render(request, "audit/log.html", {"page": page, "action": action, "actions": actions})
