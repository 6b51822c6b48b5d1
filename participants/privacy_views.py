"""A person's own data, erasure by the programme manager, and the privacy notice."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from i2i import access, audit
from i2i.jobs import job_kind, job_start
from i2i.pdf import render_pdf
from participants.models import User
from participants.personal_data import person_erase, personal_data


@login_not_required
def privacy(request):
    return render(request, "privacy/privacy.html", {"retention_years": settings.RETENTION_YEARS})


def my_data(request):
    return render(request, "privacy/my_data.html")


def my_data_json(request):
    body = json.dumps(personal_data(request.user), cls=DjangoJSONEncoder, indent=2)
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
    user = User.objects.get(pk=params["user_id"])
    data = personal_data(user)
    report(50, "Laying out the pages")
    text = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    return "my-i2i-data.pdf", render_pdf("privacy/my_data_pdf.html", {"data": data, "text": text})


def person_erase_view(request, user_pk):
    """Erasure asks to confirm on a page of its own."""
    if not access.is_programme_manager(request.user):
        raise PermissionDenied("Only the programme manager erases a person.")
    person = get_object_or_404(access.erasable_people(request.user), pk=user_pk)
    if request.method == "POST" and request.POST.get("confirm") == person.email:
        person_erase(user=person, by=request.user)
        messages.success(request, "Erased. Their records are anonymised; the counts remain.")
        return redirect("home")
    problem = request.method == "POST"
    return render(
        request,
        "privacy/erase.html",
        {"person": person, "problem": problem},
        status=400 if problem else 200,
    )
