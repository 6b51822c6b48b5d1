"""The announcement pages: the programme manager writes one and sees who has read each; each
recipient reads theirs (on home until marked read, then on their list)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from i2i import access
from i2i.forms import PlainErrorsMixin, add_service_errors, whole_number
from i2i.models import Announcement
from i2i.paging import paged, pagination
from participants.models import Cohort
from programme import announcements


class AnnouncementForm(PlainErrorsMixin, forms.ModelForm):
    class Meta:
        model = Announcement
        fields = ["cohort", "audience", "subject", "body"]
        labels = {"audience": "Who it is for", "body": "Message"}
        help_texts = {
            "audience": "Each person gets their own email, and sees the announcement on their "
            "home page until they mark it read.",
        }
        widgets = {"audience": forms.RadioSelect, "body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = Cohort.objects.order_by("-programme_start", "name")
        self.fields["audience"].choices = [
            (value, f"The {words}") for value, words in announcements.AUDIENCE_WORDS.items()
        ]


def announcement_new(request):
    if not access.can_write_announcements(request.user):
        raise PermissionDenied("Only the programme manager writes announcements.")
    initial = {}
    cohort = whole_number(request.GET.get("cohort"))
    if cohort is not None:
        initial["cohort"] = cohort
    form = AnnouncementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sent = announcements.announcement_send(
                cohort=data["cohort"],
                audience=data["audience"],
                subject=data["subject"],
                body=data["body"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            count = sent.recipients.count()
            messages.success(
                request,
                f"Your announcement was sent to {count} {'person' if count == 1 else 'people'}.",
            )
            return redirect("announcements_sent")
    return render(request, "announcements/new.html", {"form": form})


def announcements_sent(request):
    """Every announcement, newest first, with how many have read each (two queries)."""
    if not access.can_write_announcements(request.user):
        raise PermissionDenied("Only the programme manager sees the announcements sent.")
    page = paged(announcements.announcements_sent(), request.GET.get("page"))
    return render(
        request,
        "announcements/sent.html",
        {"announcements": page.object_list, "pages": pagination(request, page, "page", "sent")},
    )


def announcement_list(request):
    """The announcements sent to the signed-in user, read or not (two queries: count and page)."""
    page = paged(access.received_announcements(request.user), request.GET.get("page"))
    return render(
        request,
        "announcements/list.html",
        {
            "rows": page.object_list,
            "pages": pagination(request, page, "page", "announcements"),
            "can_write": access.can_write_announcements(request.user),
        },
    )


def announcement_detail(request, pk):
    announcement = get_object_or_404(access.visible_announcements(request.user), pk=pk)
    received = access.received_announcements(request.user).filter(announcement=announcement)
    counts = None
    if access.can_write_announcements(request.user):
        counts = announcements.announcements_sent().get(pk=announcement.pk)
    return render(
        request,
        "announcements/detail.html",
        {
            "announcement": announcement,
            "audience": announcements.AUDIENCE_WORDS[announcement.audience],
            "received": received.first(),
            "counts": counts,
        },
    )


@require_POST
def announcement_read(request, pk):
    """Mark as read: only the people it was sent to (anyone else: 404)."""
    row = get_object_or_404(access.received_announcements(request.user), announcement_id=pk)
    announcements.announcement_mark_read(announcement=row.announcement, by=request.user)
    messages.success(request, f"Marked “{row.announcement.subject}” as read.")
    if request.POST.get("return_to") == "home":
        return redirect("home")
    return redirect("announcement_detail", pk=pk)
