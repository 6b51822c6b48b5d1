"""The applicant's optional equality monitoring step, after they submit their Expression of
Interest. Only they reach it: for everyone else it does not exist (404)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from i2i import access
from i2i.forms import add_service_errors
from participants import equality
from participants.equality_forms import EqualityMonitoringForm
from participants.models import EqualityMonitoring


def eoi_equality(request, pk):
    eoi = get_object_or_404(access.visible_eois(request.user), pk=pk)
    if not access.can_answer_equality_monitoring(request.user, eoi):
        raise Http404("No equality monitoring here.")
    instance = EqualityMonitoring.objects.filter(eoi=eoi).first()
    form = EqualityMonitoringForm(
        request.POST if request.method == "POST" else None, instance=instance
    )
    if request.method == "POST" and form.is_valid():
        try:
            equality.equality_monitoring_save(eoi=eoi, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Thank you: your equality monitoring answers are saved.")
            return redirect("eoi_detail", pk=eoi.pk)
    return render(request, "recruitment/eoi_equality.html", {"eoi": eoi, "form": form})
