"""Pages for offers and capacity, the host's checks and the record of each check, and the
programme manager's view of how placements spread across hosts (issue #20)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from i2i import access, audit, rules
from i2i.csvfile import csv_download
from i2i.forms import add_service_errors, whole_number
from i2i.paging import paged, pagination
from participants.models import CohortStatus, Organisation
from placements import clearances, offers
from placements.models import PlacementOffer
from placements.offer_forms import ClearanceForm, HostChecksForm, OfferFilterForm, OfferForm

OFFERS_PER_PAGE = 10


# Offers: the host person's and the programme manager's --------------------------------------


def _publishable_organisations(user):
    if access.is_programme_manager(user):
        return Organisation.objects.filter(is_active=True)
    return Organisation.objects.filter(pk__in=access.hosted_organisation_ids(user))


def offer_list(request):
    """The offers the user publishes: their organisations' (a host person), or every host's,
    or one host's from its page (the programme manager)."""
    if not access.can_manage_offers(request.user):
        raise PermissionDenied("Offers are published by host people and the programme manager.")
    rows = access.manageable_offers(request.user)
    organisations = _publishable_organisations(request.user)
    organisation = None
    organisation_pk = whole_number(request.GET.get("organisation"))
    if organisation_pk is not None:
        organisation = get_object_or_404(organisations, pk=organisation_pk)
        rows = rows.filter(organisation=organisation)
    today = timezone.localdate()
    page = paged(rows, request.GET.get("page"))
    month = offers.month_of(today)
    counts = offers.visitors_by_offer([o.pk for o in page], [month])
    for offer in page:
        offer.visitors_this_month = counts.get((offer.pk, month), 0)
    # Each host's checks: one host's when filtered, a host person's own organisations';
    # the programme manager reaches each host's from its organisation page.
    if organisation:
        hosts = [organisation]
    elif access.is_programme_manager(request.user):
        hosts = []
    else:
        hosts = list(organisations.order_by("name"))
    for host in hosts:
        host.checks = clearances.labels(host.required_clearances)
    return render(
        request,
        "placements/offers/offer_list.html",
        {
            "page": page,
            "p": pagination(request, page, "page", "offers"),
            "organisation": organisation,
            "hosts": hosts,
            "this_month": month,
        },
    )


def offer_create(request):
    if not access.can_manage_offers(request.user):
        raise PermissionDenied("Offers are published by host people and the programme manager.")
    return _offer_form(request, None)


def offer_edit(request, pk):
    offer = get_object_or_404(access.manageable_offers(request.user), pk=pk)
    return _offer_form(request, offer)


def _offer_form(request, offer: PlacementOffer | None):
    organisations = _publishable_organisations(request.user)
    initial = {}
    organisation_id = whole_number(request.GET.get("organisation"))
    if offer is None and organisation_id is not None:
        initial["organisation"] = str(organisation_id)
    form = OfferForm(
        request.POST or None, instance=offer, organisations=organisations, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = offer.organisation if offer else data.pop("organisation")
        fields = {name: data[name] for name in offers.OFFER_FIELDS}
        try:
            saved = offers.offer_save(
                organisation=organisation,
                by=request.user,
                offer=offer,
                **fields,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Offer “{saved.title}” saved.")
            return redirect(f"{reverse('offer_list')}?organisation={saved.organisation_id}")
    return render(request, "placements/offers/offer_form.html", {"form": form, "offer": offer})


def host_checks_edit(request, pk):
    """The checks a host needs of every visitor, whatever the offer."""
    organisation = get_object_or_404(access.visible_organisations(request.user), pk=pk)
    if not access.can_publish_offers_for(request.user, organisation):
        raise PermissionDenied("The host person or the programme manager sets the host's checks.")
    form = HostChecksForm(
        request.POST or None, initial={"clearances": organisation.required_clearances}
    )
    if request.method == "POST" and form.is_valid():
        try:
            clearances.host_checks_save(
                organisation=organisation,
                by=request.user,
                clearances=form.cleaned_data["clearances"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Checks for visitors to {organisation} saved.")
            return redirect(f"{reverse('offer_list')}?organisation={organisation.pk}")
    return render(
        request,
        "placements/offers/host_checks_form.html",
        {"form": form, "organisation": organisation},
    )


# Choosing an offer when planning a placement --------------------------------------------------


def offer_choice(request, participant) -> tuple[PlacementOffer | None, dict]:
    """The "Choose an offer" part of the plan-a-placement page: the offer chosen (`?offer=`),
    and the published offers filtered by sector or organisation, each with what it needs and
    its next month with room in the participant's window, and whether the participant has a
    placement with its host already (four queries, whatever the count)."""
    choosable = offers.offers_to_choose(exclude_organisation_id=participant.organisation_id)
    chosen_pk = whole_number(request.POST.get("offer") or request.GET.get("offer"))
    chosen = choosable.filter(pk=chosen_pk).first() if chosen_pk is not None else None
    hosts = Organisation.objects.filter(
        pk__in=choosable.order_by().values("organisation_id")
    ).order_by("name")
    filters = OfferFilterForm(request.GET or None, organisations=hosts)
    sector, host = "", None
    if filters.is_valid():
        sector, host = filters.cleaned_data["sector"], filters.cleaned_data["host"]
    listed = offers.offers_to_choose(
        sector=sector,
        organisation_id=host.pk if host else None,
        exclude_organisation_id=participant.organisation_id,
    )
    page = paged(listed, request.GET.get("offers_page"), OFFERS_PER_PAGE)
    start = participant.cohort.programme_start
    first = max(timezone.localdate(), start)
    rooms = offers.with_next_month(list(page), first, rules.window_end(start))
    already = offers.hosts_already_placed(participant)
    for room in rooms:
        room.checks = _check_labels(room.offer)
        room.already_placed = room.offer.organisation_id in already
        room.already_placed_message = offers.already_placed_message(room.offer.organisation)
    return chosen, {
        "chosen_offer": chosen,
        "chosen_checks": _check_labels(chosen) if chosen else [],
        "chosen_already_placed": (
            offers.already_placed_message(chosen.organisation)
            if chosen and chosen.organisation_id in already
            else ""
        ),
        "offer_filters": filters,
        "offer_rooms": rooms,
        "offers_page": pagination(request, page, "offers_page", "choose-offer"),
        "offers_filtered": bool(sector or host),
    }


def _check_labels(offer: PlacementOffer) -> list[str]:
    host_needs = offer.organisation.required_clearances or []
    return clearances.labels([*host_needs, *(offer.clearances or [])])


# Checks before the first visit -----------------------------------------------------------------


def clearance_record(request, pk):
    """Record that one of the host's checks was done (the section on the placement page lists
    them)."""
    placement = get_object_or_404(
        access.clearance_placements(request.user).select_related("offer"), pk=pk
    )
    if not access.can_record_clearance(request.user, placement):
        raise PermissionDenied(
            "The participant, their line manager, the host person or the programme manager "
            "records a placement's checks."
        )
    can_open_placement = access.visible_placements(request.user).filter(pk=placement.pk).exists()
    kinds = clearances.required_kinds(placement)
    form = ClearanceForm(
        request.POST or None,
        kinds=kinds,
        initial={
            "kind": request.GET.get("kind"),
            "confirmed_by_name": request.user.full_name,
            "confirmed_on": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = clearances.clearance_record(
                placement=placement, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{record.get_kind_display()} recorded.")
            if can_open_placement:
                return redirect(reverse("placement_detail", args=[placement.pk]) + "#checks")
            return redirect("clearance_record", pk=placement.pk)
    return render(
        request,
        "placements/offers/clearance_form.html",
        {
            "form": form,
            "placement": placement,
            "checks": clearances.checks(placement),
            # The way back: the placement page, or for a host person their visits page.
            "can_open_placement": can_open_placement,
            "hosts_it": not can_open_placement
            and access.hosted_placements(request.user).filter(pk=placement.pk).exists(),
        },
    )


# The programme manager's view of spread ------------------------------------------------------


def _spread(request):
    if not access.can_see_placement_spread(request.user):
        raise PermissionDenied("How placements spread across hosts is the programme manager's.")
    cohorts = access.visible_cohorts(request.user).order_by("-programme_start", "name")
    cohort = None
    cohort_pk = whole_number(request.GET.get("cohort"))
    if cohort_pk is not None:
        cohort = get_object_or_404(cohorts, pk=cohort_pk)
        cohort_ids = [cohort.pk]
    else:
        cohort_ids = list(cohorts.filter(status=CohortStatus.RUNNING).values_list("pk", flat=True))
    spread = offers.placement_spread(cohort_ids=cohort_ids, today=timezone.localdate())
    return spread, cohort, cohorts


def placements_by_host(request):
    """Placements per host and per sector, and the hosts near or over capacity."""
    spread, cohort, cohorts = _spread(request)
    return render(
        request,
        "placements/offers/placements_by_host.html",
        {
            "spread": spread,
            "cohort": cohort,
            "cohorts": cohorts,
            "crowded": [h for h in spread.hosts if h.state],
        },
    )


def placements_by_host_csv(request):
    """The same table for a spreadsheet."""
    spread, cohort, _ = _spread(request)
    audit.record("export_placements_by_host_csv", target=cohort or "running cohorts")
    response, writer = csv_download(f"placements-by-host-{cohort.pk if cohort else 'running'}.csv")
    writer.writerow(
        [
            "Host organisation",
            "Sector",
            "Placements",
            "Visitors a month",
            f"Visitors {offers.month_label(spread.this_month)}",
            f"Visitors {offers.month_label(spread.next_month)}",
            "Capacity",
        ]
    )
    for row in spread.hosts:
        writer.writerow(
            [
                row.organisation.name,
                row.organisation.get_sector_display(),
                row.placements,
                row.capacity or "",
                row.this_month,
                row.next_month,
                row.state,
            ]
        )
    return response
