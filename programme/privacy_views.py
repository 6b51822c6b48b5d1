"""A person's own data, erasure by the programme manager, and the privacy notice."""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from i2i import access, audit
from i2i.jobs import job_kind, job_start
from i2i.models import AuditEvent
from i2i.pdf import render_pdf
from participants.models import User
from programme.personal_data import (
    data_document,
    erasure_files,
    person_erase,
    personal_data,
    remake_links,
)


@login_not_required
def privacy(request):
    return render(request, "privacy/privacy.html", {"retention_years": settings.RETENTION_YEARS})


def my_data(request):
    return render(request, "privacy/my_data.html")


def my_data_json(request):
    body = json.dumps(
        personal_data(request.user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False
    )
    audit.record("download_own_data", target=request.user, format="json")
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-i2i-data.json"'
    return response


@require_POST
def my_data_pdf(request):
    job = job_start(
        kind="personal_data_pdf",
        params={"user_id": request.user.pk},
        owner=request.user,
        title="All your data (PDF)",
    )
    return redirect("job_detail", pk=job.pk)


@job_kind("personal_data_pdf", back=("my_data", None, "Back to your data"))
def personal_data_pdf(params: dict, report) -> tuple[str, bytes]:
    """The same data as the JSON, laid out as a document: a section per kind of record and
    a table per record."""
    user = User.objects.get(pk=params["user_id"])
    data = personal_data(user)
    report(50, "Laying out the pages")
    return "my-i2i-data.pdf", render_pdf(
        "privacy/my_data_pdf.html",
        {"data": data, "sections": data_document(data), "made": timezone.localdate()},
    )


def person_erase_view(request, user_pk):
    """Erasure asks to confirm on a page of its own, which says which files will go; once
    done, the same address says which went and where to make them again."""
    if not access.can_erase(request.user):
        raise PermissionDenied("Only the programme manager erases a person.")
    person = access.erasable_people(request.user).filter(pk=user_pk).first()
    if person is None:
        return _erased(request, get_object_or_404(access.erased_people(request.user), pk=user_pk))
    typed = request.POST.get("confirm", "")
    if request.method == "POST" and typed.strip().lower() == person.email:
        person_erase(user=person, by=request.user)
        return redirect("person_erase", user_pk=person.pk)
    problem = request.method == "POST"
    return render(
        request,
        "privacy/erase.html",
        {"person": person, "problem": problem, "typed": typed, "files": erasure_files(person)},
        status=400 if problem else 200,
    )


def _erased(request, person):
    event = AuditEvent.objects.filter(action="erasure", target=f"user {person.pk}").first()
    files = remake_links(event.detail.get("files", [])) if event else []
    return render(
        request, "privacy/erased.html", {"person": person, "event": event, "files": files}
    )
