from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from i2i import access
from i2i.forms import add_service_errors
from i2i.jobs import job_start
from reflections import reviews, services
from reflections.forms import AccountForm, AskMoreForm, DiscussionForm, MidProgrammeReviewForm
from reflections.frameworks import FRAMEWORKS
from reflections.models import MidProgrammeReview


@require_POST
def account_start(request, placement_pk):
    placement = get_object_or_404(access.visible_placements(request.user), pk=placement_pk)
    try:
        account = services.account_start(placement=placement, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("placement_detail", pk=placement.pk)
    return redirect("account_edit", pk=account.pk)


def account_edit(request, pk):
    account = get_object_or_404(access.readable_accounts(request.user), pk=pk)
    if not access.can_write_account(request.user, account):
        if access.is_the_participant(request.user, account.participant):
            return redirect("account_detail", pk=account.pk)
        raise PermissionDenied("Only the participant writes their reflective account.")
    action = request.POST.get("action", "save")
    framework_code = request.POST.get("framework") if action == "switch" else None
    form = AccountForm(request.POST or None, account=account)
    warnings = services.warnings_for(account)
    if request.method == "POST" and form.is_valid():
        try:
            account, warnings = services.account_save(
                account=account, by=request.user, **form.service_kwargs()
            )
            if action == "share":
                services.account_share(account=account, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if action == "share":
                messages.success(request, "Shared with your line manager.")
                return redirect("account_detail", pk=account.pk)
            if action == "switch":
                name = FRAMEWORKS[framework_code].name if framework_code in FRAMEWORKS else ""
                messages.success(request, f"Switched to {name}. Nothing you wrote is lost.")
            else:
                messages.success(request, "Draft saved.")
            return redirect("account_edit", pk=account.pk)
    return render(
        request,
        "reflections/account_form.html",
        {
            "account": account,
            "form": form,
            "warnings": warnings,
            "other_answers": account.other_answers(),
            "saved_at": account.updated_at,
            "framework": form.framework,
        },
    )


@require_POST
def account_autosave(request, pk):
    """htmx, every few seconds of typing and on leaving a field. Only the status line is
    swapped, so the text stays in the page whatever happens here."""
    account = get_object_or_404(access.readable_accounts(request.user), pk=pk)
    if not access.can_write_account(request.user, account):
        raise PermissionDenied("This account cannot be changed now.")
    form = AccountForm(request.POST, account=account)
    problem = ""
    warnings = []
    if form.is_valid():
        kwargs = form.service_kwargs()
        kwargs["framework"] = None  # switching framework is an explicit action
        try:
            account, warnings = services.account_save(account=account, by=request.user, **kwargs)
        except ValidationError as error:
            problem = " ".join(error.messages)
    else:
        problem = " ".join(e for errors in form.errors.values() for e in errors)
    return render(
        request,
        "reflections/_autosave_status.html",
        {
            "problem": problem,
            "warnings": warnings,
            "saved_at": account.updated_at,
            "autosaved": not problem,
        },
        status=422 if problem else 200,
    )


def account_detail(request, pk):
    account = get_object_or_404(access.readable_accounts(request.user), pk=pk)
    return render(request, "reflections/account_detail.html", _detail_context(request, account))


def _detail_context(request, account, discussion_form=None, ask_more_form=None):
    text = access.account_text_for(request.user, account)
    return {
        "account": account,
        # None: the status only (the line manager, before anything was shared).
        "text": text,
        "events": account.events.select_related("by"),
        "can_write": access.can_write_account(request.user, account),
        "can_discuss": access.can_discuss_account(request.user, account),
        "discussion_form": discussion_form
        or DiscussionForm(initial={"discussed_on": timezone.localdate()}),
        "ask_more_form": ask_more_form or AskMoreForm(),
    }


@require_POST
def account_discuss(request, pk):
    account = get_object_or_404(access.readable_accounts(request.user), pk=pk)
    if not access.can_discuss_account(request.user, account):
        raise PermissionDenied("Only the participant's line manager records the discussion.")
    asking_more = request.POST.get("action") == "more"
    form = (AskMoreForm if asking_more else DiscussionForm)(request.POST)
    if form.is_valid():
        try:
            if asking_more:
                services.account_ask_more(account=account, by=request.user, **form.cleaned_data)
                messages.success(request, "Asked for more. The account is reopened for them.")
            else:
                services.account_discuss(account=account, by=request.user, **form.cleaned_data)
                messages.success(request, "Discussion recorded.")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("account_detail", pk=account.pk)
    context = _detail_context(
        request,
        account,
        discussion_form=None if asking_more else form,
        ask_more_form=form if asking_more else None,
    )
    return render(request, "reflections/account_detail.html", context, status=400)


@require_POST
def account_pdf(request, pk):
    """Make the PDF in the background and show its progress."""
    account = get_object_or_404(access.readable_accounts(request.user), pk=pk)
    job = job_start(
        kind="reflective_account_pdf",
        # The job prints what this reader reads (`access.account_text_for`), decided when it
        # runs: a line manager's PDF of a draft holds its status only.
        params={"account_id": account.pk, "reader_id": request.user.pk},
        owner=request.user,
        title=f"Reflective account PDF: {account.placement.organisation}",
    )
    return redirect("job_detail", pk=job.pk)


def mid_programme_review(request, participant_pk):
    """The participant's mid-programme review: the line manager records it (a short form that
    works on a phone); the participant and the line manager read it. Nobody else opens it."""
    participant = get_object_or_404(
        access.mid_programme_review_participants(request.user), pk=participant_pk
    )
    review = MidProgrammeReview.objects.filter(participant=participant).first()
    can_record = review is None and access.can_record_mid_programme_review(
        request.user, participant
    )
    form = None
    if can_record:
        form = MidProgrammeReviewForm(
            request.POST or None, initial={"held_on": timezone.localdate()}
        )
        if request.method == "POST" and form.is_valid():
            try:
                reviews.mid_programme_review_record(
                    participant=participant, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Mid-programme review recorded.")
                return redirect("mid_programme_review", participant_pk=participant.pk)
    elif request.method == "POST":
        raise PermissionDenied("The participant's line manager records the review, once.")
    return render(
        request,
        "reflections/mid_programme_review.html",
        {
            "participant": participant,
            "review": review,
            "form": form,
            "due": reviews.review_due(participant.cohort.programme_start),
        },
        status=400 if form is not None and form.errors else 200,
    )
