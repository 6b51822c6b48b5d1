from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from i2i import access
from i2i.jobs import job_start
from i2i.models import Job
from participants.forms import WorkshopConsentForm
from participants.models import WorkshopConsent
from programme.workshop_pack import participant_preview


def workshop_pack(request, pk):
    """The programme manager's page: make a pack, and the packs made before."""
    cohort = get_object_or_404(access.visible_cohorts(request.user), pk=pk)
    if not access.can_make_workshop_pack(request.user):
        raise PermissionDenied("The programme manager makes the workshop pack.")
    packs = Job.objects.filter(kind="workshop_pack", params__cohort_id=cohort.pk).select_related(
        "owner"
    )
    consenting = cohort.participants.filter(workshop_consent__include=True).count()
    return render(
        request,
        "workshop/packs.html",
        {
            "cohort": cohort,
            "packs": packs,
            "consenting": consenting,
            "total": cohort.participants.count(),
        },
    )


@require_POST
def workshop_pack_start(request, pk):
    cohort = get_object_or_404(access.visible_cohorts(request.user), pk=pk)
    if not access.can_make_workshop_pack(request.user):
        raise PermissionDenied("The programme manager makes the workshop pack.")
    job = job_start(
        kind="workshop_pack",
        params={"cohort_id": cohort.pk},
        owner=request.user,
        title=f"Workshop pack: {cohort.name}",
    )
    return redirect("job_detail", pk=job.pk)


def workshop_consent(request, participant_pk):
    """The participant chooses what of theirs appears, and previews their own section."""
    participant = get_object_or_404(access.visible_participants(request.user), pk=participant_pk)
    if not access.is_the_participant(request.user, participant):
        raise PermissionDenied("Each participant chooses what of theirs is shared.")
    consent, _ = WorkshopConsent.objects.get_or_create(participant=participant)
    form = WorkshopConsentForm(request.POST or None, instance=consent)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your choices for the workshop pack are saved.")
        return redirect("workshop_consent", participant_pk=participant.pk)
    return render(
        request,
        "workshop/consent.html",
        {
            "participant": participant,
            "form": form,
            "section": participant_preview(participant, consent),
        },
    )
