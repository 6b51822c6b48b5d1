"""Pages for recruitment: Expressions of Interest, support, selection, places, the register,
and the sponsor's meeting."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from i2i import access, audit
from i2i.csvfile import csv_download
from i2i.forms import add_service_errors, whole_number
from participants import eligibility, recruitment
from participants.forms import (
    DecisionForm,
    EOIForm,
    NominateForm,
    SharedContactForm,
    SponsorMeetingForm,
    SupportForm,
)
from participants.models import Cohort, CohortStatus, ExpressionOfInterest, Organisation

EOI = ExpressionOfInterest


def eoi_list(request):
    """The applicant's Expressions of Interest, the cohorts open to them, and the ones waiting
    for this person's support as a line manager."""
    user = request.user
    visible = access.visible_eois(user)
    recruiting = access.recruiting_cohorts(user).order_by("programme_start")
    return render(
        request,
        "recruitment/eoi_list.html",
        {
            "mine": visible.filter(
                Q(applicant=user) | Q(applicant__isnull=True, nominee_email__iexact=user.email)
            ),
            "to_support": visible.filter(
                line_manager_email__iexact=user.email, support=EOI.Support.PENDING
            ).exclude(applicant=user),
            "cohorts": [(c, recruitment.window_message(c)) for c in recruiting],
            "partners": Organisation.objects.filter(is_partner=True, is_active=True),
            "can_review": access.can_review_eois(user),
        },
    )


@require_POST
def eoi_start(request, cohort_pk):
    cohort = get_object_or_404(access.recruiting_cohorts(request.user), pk=cohort_pk)
    organisation = Organisation.objects.filter(
        pk=request.POST.get("organisation"), is_partner=True
    ).first()
    if organisation is None:
        messages.error(request, "Choose your employer from the list to start.")
        return redirect("eoi_list")
    try:
        eoi = recruitment.eoi_start(cohort=cohort, organisation=organisation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("eoi_list")
    return redirect("eoi_edit", pk=eoi.pk)


def eoi_edit(request, pk):
    eoi = get_object_or_404(access.visible_eois(request.user), pk=pk)
    if not access.is_eoi_applicant(request.user, eoi):
        raise PermissionDenied("Only the applicant completes their Expression of Interest.")
    if eoi.status != EOI.Status.DRAFT:
        return redirect("eoi_detail", pk=eoi.pk)
    form = EOIForm(request.POST or None, instance=eoi)
    window = recruitment.window_message(eoi.cohort)
    if request.method == "POST" and form.is_valid():
        try:
            eoi = recruitment.eoi_save(eoi=eoi, by=request.user, **form.cleaned_data)
            if request.POST.get("action") == "submit":
                recruitment.eoi_submit(eoi=eoi, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.POST.get("action") == "submit":
                messages.success(
                    request,
                    "Submitted. Your line manager has been asked to confirm their support.",
                )
                # The optional equality monitoring step (`participants.equality`).
                return redirect("eoi_equality", pk=eoi.pk)
            messages.success(request, "Draft saved. You can finish it later.")
            return redirect("eoi_edit", pk=eoi.pk)
    return render(
        request, "recruitment/eoi_form.html", {"form": form, "eoi": eoi, "window": window}
    )


def eoi_detail(request, pk):
    eoi = get_object_or_404(access.visible_eois(request.user), pk=pk)
    return render(request, "recruitment/eoi_detail.html", _detail(request, eoi))


def _detail(request, eoi, decision_form=None):
    can_select = access.can_select_for(request.user, eoi.organisation)
    places, selected = recruitment.places_left(eoi.cohort, eoi.organisation)
    return {
        "eoi": eoi,
        "criteria": eligibility.judge(eoi, timezone.localdate()),
        "events": eoi.events.select_related("by"),
        "can_select": can_select and eoi.status == EOI.Status.SUBMITTED,
        "can_support": access.is_eoi_line_manager(request.user, eoi)
        and eoi.status == EOI.Status.SUBMITTED,
        "is_applicant": access.is_eoi_applicant(request.user, eoi),
        "decision_form": decision_form or DecisionForm(),
        "places": places,
        "selected": selected,
    }


def eoi_support(request, pk):
    """The line manager's page, from the link in their email."""
    eoi = get_object_or_404(access.visible_eois(request.user), pk=pk)
    if not access.is_eoi_line_manager(request.user, eoi):
        raise PermissionDenied("Only the line manager named on the form confirms support.")
    form = SupportForm(request.POST or None)
    closed = recruitment.support_closed_message(eoi)
    if request.method == "POST" and not closed and form.is_valid():
        supported = request.POST.get("supported") == "yes"
        try:
            recruitment.eoi_support(
                eoi=eoi, by=request.user, supported=supported, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "Thank you: your support is recorded." if supported else "Recorded."
            )
            return redirect("eoi_detail", pk=eoi.pk)
    return render(
        request, "recruitment/eoi_support.html", {"eoi": eoi, "form": form, "closed": closed}
    )


@require_POST
def eoi_select(request, pk):
    eoi = get_object_or_404(access.visible_eois(request.user), pk=pk)
    if not access.can_select_for(request.user, eoi.organisation):
        raise PermissionDenied("Only the organisation's education lead decides.")
    if "shortlist" in request.POST:
        recruitment.eoi_shortlist(
            eoi=eoi, by=request.user, shortlisted=request.POST["shortlist"] == "yes"
        )
        messages.success(request, "Shortlist updated.")
        return redirect("eoi_detail", pk=eoi.pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            recruitment.eoi_decide(eoi=eoi, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Decision recorded and emailed to the applicant.")
            return redirect("eoi_detail", pk=eoi.pk)
    eoi.refresh_from_db()
    return render(request, "recruitment/eoi_detail.html", _detail(request, eoi, form), status=400)


def _review_queryset(request):
    """Submitted Expressions of Interest (and the lead's own nominations, to follow them up)
    of the organisations the user selects for."""
    user = request.user
    eois = access.reviewable_eois(user).filter(
        Q(status=EOI.Status.SUBMITTED) | Q(nominated_by=user)
    )
    cohort = whole_number(request.GET.get("cohort"))
    if cohort is not None:
        eois = eois.filter(cohort_id=cohort)
    return eois.select_related("applicant", "organisation", "cohort").order_by(
        "cohort__programme_start", "organisation__name", "applicant__full_name"
    )


def eoi_review(request):
    """The education lead's list: every Expression of Interest of their organisation, with the
    eligibility summary, in a constant number of queries."""
    user = request.user
    if not access.can_review_eois(user):
        raise PermissionDenied("The list is for education leads and the programme manager.")
    today = timezone.localdate()
    rows = [(eoi, eligibility.judge(eoi, today)) for eoi in _review_queryset(request)]
    return render(
        request,
        "recruitment/eoi_review.html",
        {
            "rows": rows,
            "cohorts": access.visible_cohorts(user),
            "cohort": request.GET.get("cohort", ""),
            "all_cohorts": Cohort.objects.filter(status=CohortStatus.RECRUITING),
        },
    )


def eoi_csv(request):
    """For the spreadsheet: UTF-8 with a byte order mark so Excel reads names correctly, and
    ISO dates, which Excel reads as dates."""
    user = request.user
    if not access.can_review_eois(user):
        raise PermissionDenied("The export is for education leads and the programme manager.")
    today = timezone.localdate()
    response, writer = csv_download("expressions-of-interest.csv")
    writer.writerow(
        [
            "Cohort", "Applicant", "Email", "Organisation", "Profession", "Job title", "Band",
            "Registration", "Qualified on", "Last appraisal on", "Aiming for", "Status",
            "Line manager support", "Shortlisted", "Decision", "Reason", "Submitted on",
            *[c.title for c in eligibility.judge(EOI(), today)],
        ]
    )  # fmt: skip
    eois = list(_review_queryset(request))
    audit.record("export_eoi_csv", target=f"{len(eois)} Expressions of Interest")
    for eoi in eois:
        criteria = eligibility.judge(eoi, today)
        writer.writerow(
            [
                eoi.cohort.name, eoi.applicant_label,
                eoi.applicant.email if eoi.applicant else eoi.nominee_email,
                eoi.organisation.name, eoi.profession, eoi.job_title, eoi.band,
                f"{eoi.registration_body} {eoi.registration_number}".strip(),
                eoi.qualified_on.isoformat() if eoi.qualified_on else "",
                eoi.last_appraisal_on.isoformat() if eoi.last_appraisal_on else "",
                eoi.senior_role, eoi.get_status_display(), eoi.get_support_display(),
                "Yes" if eoi.shortlisted else "No", eoi.get_decision_display(),
                eoi.decision_reason,
                timezone.localdate(eoi.submitted_at).isoformat() if eoi.submitted_at else "",
                *[f"{c.label}: {c.reason}" for c in criteria],
            ]
        )  # fmt: skip
    return response


def eoi_nominate(request):
    led = access.nominating_organisations(request.user)
    if not led.exists():
        raise PermissionDenied("Education leads nominate their organisation's staff.")
    form = NominateForm(
        request.POST or None,
        cohorts=Cohort.objects.filter(status=CohortStatus.RECRUITING),
        organisations=led,
    )
    if request.method == "POST" and form.is_valid():
        try:
            recruitment.eoi_nominate(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Nominated {form.cleaned_data['email']}; we emailed them.")
            return redirect("eoi_review")
    return render(request, "recruitment/nominate.html", {"form": form})


def cohort_places(request, pk):
    cohort = get_object_or_404(access.visible_cohorts(request.user), pk=pk)
    if not access.can_manage_cohorts(request.user):
        raise PermissionDenied("Only the programme manager sets places.")
    partners = Organisation.objects.filter(is_partner=True).order_by("name")
    current = dict(cohort.places.values_list("organisation_id", "places"))
    errors = {}
    if request.method == "POST":
        places = {}
        for organisation in partners:
            raw = request.POST.get(f"places_{organisation.pk}", "0").strip() or "0"
            number = whole_number(raw)
            if number is None or number > 200:
                errors[organisation.pk] = "Enter a whole number of places from 0 to 200"
            else:
                places[organisation.pk] = number
        if not errors:
            recruitment.places_set(cohort=cohort, by=request.user, places=places)
            messages.success(request, "Places saved.")
            return redirect("cohort_detail", pk=cohort.pk)
        current.update({k: request.POST.get(f"places_{k}", "") for k in errors})
    rows = [(o, current.get(o.pk, 0), errors.get(o.pk)) for o in partners]
    return render(request, "recruitment/places.html", {"cohort": cohort, "rows": rows})


def cohort_attendance(request, pk):
    """The register for the briefing and the workshop."""
    cohort = get_object_or_404(access.visible_cohorts(request.user), pk=pk)
    if not access.can_manage_cohorts(request.user):
        raise PermissionDenied("Only the programme manager keeps the register.")
    participants = cohort.participants.select_related("user", "organisation")
    choices = {"": None, "yes": True, "no": False}
    if request.method == "POST":
        register = {
            p.pk: (
                choices.get(request.POST.get(f"briefing_{p.pk}", "")),
                choices.get(request.POST.get(f"workshop_{p.pk}", "")),
            )
            for p in participants
        }
        changed = recruitment.attendance_record(cohort=cohort, by=request.user, register=register)
        messages.success(request, f"Register saved ({changed} changed).")
        return redirect("cohort_attendance", pk=cohort.pk)
    return render(
        request, "recruitment/attendance.html", {"cohort": cohort, "participants": participants}
    )


def _sponsor_form(request, participant_pk, form_class, service, template, done, **form_kwargs):
    participant = get_object_or_404(access.visible_participants(request.user), pk=participant_pk)
    if not access.can_meet_as_sponsor(request.user, participant):
        raise PermissionDenied("This is for the participant's sponsor.")
    form = form_class(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            service(participant=participant, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("participant_detail", pk=participant.pk)
    return render(request, template, {"form": form, "participant": participant})


def sponsor_meeting(request, participant_pk):
    return _sponsor_form(
        request,
        participant_pk,
        SponsorMeetingForm,
        recruitment.sponsor_meeting_record,
        "recruitment/sponsor_meeting.html",
        "Meeting recorded.",
    )


def contact_share(request, participant_pk):
    return _sponsor_form(
        request,
        participant_pk,
        SharedContactForm,
        recruitment.contact_share,
        "recruitment/contact_share.html",
        "Contact shared. They will see it when planning a placement.",
        organisations=access.visible_organisations(request.user).filter(is_active=True),
    )
