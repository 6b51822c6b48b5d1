"""A cohort's peers: after the briefing, its participants see who else is in the cohort (name,
role, profession, employer, and the email of those who chose to show it), so that they can
get to know one another. Nothing else about a peer is shown here."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from i2i import access
from i2i.forms import PlainErrorsMixin
from participants import services
from participants.models import Participant


@dataclass(frozen=True)
class Peer:
    """What a peer sees of another participant: nothing more reaches the template."""

    name: str
    job_title: str
    profession: str
    employer: str
    email: str  # "" unless they chose to show it
    is_you: bool


class PeerEmailForm(PlainErrorsMixin, forms.Form):
    show_email = forms.BooleanField(
        required=False, label="Show my email address to others in my cohort"
    )

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["show_email"].help_text = (
            f"Only the other participants of {cohort.name} see it, on this page, and the "
            "programme manager. Line managers, sponsors and education leads do not."
        )


def _peers(user, cohort, today) -> list[Peer]:
    return [
        Peer(
            name=p.user.get_full_name(),
            job_title=p.job_title,
            profession=p.profession,
            employer=p.organisation.name,
            email=p.user.email if p.show_email_to_peers else "",
            is_you=p.user_id == user.pk,
        )
        for p in access.visible_peers(user, cohort, today)
    ]


def cohort_peers(request, pk):
    """The peers page, and the participant's choice about their email (two queries, and the
    list one more, however many peers)."""
    cohort = get_object_or_404(access.peer_cohorts(request.user), pk=pk)
    today = timezone.localdate()
    me = Participant.objects.filter(cohort=cohort, user=request.user).first()
    form = None
    if me is not None and access.can_choose_email_shown(request.user, me):
        form = PeerEmailForm(
            request.POST if request.method == "POST" else None,
            cohort=cohort,
            initial={"show_email": me.show_email_to_peers},
        )
        if request.method == "POST" and form.is_valid():
            show = form.cleaned_data["show_email"]
            services.participant_email_to_peers_set(participant=me, show=show, by=request.user)
            messages.success(
                request,
                "Others in your cohort can now see your email address."
                if show
                else "Your email address is hidden from others in your cohort.",
            )
            return redirect("cohort_peers", pk=cohort.pk)
    elif request.method == "POST":
        raise PermissionDenied("Only the cohort's participants choose what their peers see.")
    return render(
        request,
        "peers/cohort_peers.html",
        {
            "cohort": cohort,
            "open": access.peers_open(request.user, cohort, today),
            "peers": _peers(request.user, cohort, today),
            "form": form,
        },
    )


def my_peers(request):
    """The navigation's link: the peers of the participant's newest cohort."""
    participation = (
        Participant.objects.filter(user=request.user)
        .order_by("-cohort__programme_start", "-pk")
        .values("cohort_id")
        .first()
    )
    if participation is None:
        raise Http404("Peers are for participants of a cohort.")
    return redirect("cohort_peers", pk=participation["cohort_id"])
