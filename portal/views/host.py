"""Host-body pages: MAP/LPU placements and conventions, proposed volunteers, hours done."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.exceptions import AccessDenied
from common.models import User
from lavoro.models import HostBody, Placement, Proposal
from lavoro.selectors.employers import host_body_get_for_user
from lavoro.selectors.placements import placement_get_manageable, placement_list_for_host
from lavoro.selectors.proposals import proposal_list_visible
from lavoro.services.placements import (
    convention_create,
    placement_create,
    placement_publish,
    placement_update,
)
from portal.forms.lavoro import MUNICIPALITY_DATALIST, ConventionForm, PlacementForm
from portal.views._helpers import (
    SERVICE_ERRORS,
    AuthedRequest,
    messages_add_error,
    paginate,
    role_required,
)
from portal.views.proposals import receiver_actions

host_required = role_required(User.Role.HOST_BODY)
NOT_REGISTERED = gettext_lazy("La tua organizzazione non è ancora registrata come ente ospitante.")
SENT_ONWARDS = ~Q(proposals__status=Proposal.Status.DRAFT)


def _host_or_none(user: User) -> HostBody | None:
    try:
        return host_body_get_for_user(user=user)
    except Http404:
        return None


def _host(user: User) -> HostBody:
    host = _host_or_none(user)
    if host is None:
        raise Http404(NOT_REGISTERED)
    return host


def _placement(user: User, placement_id: int) -> Placement:
    try:
        return placement_get_manageable(user=user, placement_id=placement_id)
    except AccessDenied as error:
        raise Http404(error.message) from error


def _proposals(request: AuthedRequest) -> tuple[Any, str]:
    status = request.GET.get("stato", "")
    proposals = (
        proposal_list_visible(user=request.user)
        .filter(placement__isnull=False)
        .prefetch_related(None)
    )
    if status in Proposal.Status.values:
        proposals = proposals.filter(status=status)
    page = paginate(request, proposals, param="pagina_proposte")
    for proposal in page.object_list:
        proposal.actions = receiver_actions(proposal)
    return page, status


@host_required
def host_home(request: AuthedRequest) -> HttpResponse:
    host = _host_or_none(request.user)
    if host is None:
        return render(request, "lavoro/host_missing.html", {"message": NOT_REGISTERED})
    placements = (
        placement_list_for_host(user=request.user)
        .prefetch_related(None)
        .annotate(proposals_count=Count("proposals", filter=SENT_ONWARDS, distinct=True))
    )
    conventions = host.conventions.annotate(placements_count=Count("placements")).order_by(
        "-valid_from", "-id"
    )
    proposals, status = _proposals(request)
    context = {
        "host": host,
        "conventions": conventions,
        "placements": paginate(request, placements, param="pagina_posti"),
        "proposals": proposals,
        "status": status,
        "status_query": urlencode({"stato": status}) if status else "",
        "statuses": [s for s in Proposal.Status.choices if s[0] != Proposal.Status.DRAFT],
    }
    return render(request, "lavoro/host_home.html", context)


@host_required
def convention_new(request: AuthedRequest) -> HttpResponse:
    host = _host(request.user)
    form = ConventionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            convention_create(host_body=host, created_by=request.user, **form.cleaned_data)
        except SERVICE_ERRORS as error:
            form.service_error(error)
        else:
            messages.success(request, _("Convenzione registrata."))
            return redirect("lavoro:host-home")
    return render(request, "lavoro/convention_form.html", {"form": form})


def _placement_initial(placement: Placement) -> dict[str, Any]:
    fields = [
        "title",
        "description",
        "activity",
        "places",
        "min_weekly_hours",
        "weekly_hours",
        "eligible_measures",
        "start_date",
    ]
    initial = {name: getattr(placement, name) for name in fields}
    initial.update(convention=placement.convention_id, municipality=placement.municipality)
    return initial


def _placement_page(
    request: AuthedRequest, host: HostBody, placement: Placement | None
) -> HttpResponse:
    initial = _placement_initial(placement) if placement else {"min_weekly_hours": 2}
    form = PlacementForm(request.POST or None, host_body=host, initial=initial)
    closed = placement is not None and placement.status == Placement.Status.CLOSED
    if placement is not None:
        form.fields["convention"].disabled = True  # a placement stays under its convention
    if closed:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid() and not closed:
        fields = form.service_fields()
        try:
            if placement is None:
                saved = placement_create(host_body=host, created_by=request.user, **fields)
            else:
                fields.pop("convention")
                saved = placement_update(placement=placement, updated_by=request.user, **fields)
        except SERVICE_ERRORS as error:
            form.service_error(error)
        else:
            messages.success(request, _("Posto salvato."))
            return redirect("lavoro:placement-edit", placement_id=saved.pk)
    context = {
        "form": form,
        "placement": placement,
        "closed": closed,
        "datalist_id": MUNICIPALITY_DATALIST,
        "has_conventions": host.conventions.exists(),
    }
    return render(request, "lavoro/placement_form.html", context)


@host_required
def placement_new(request: AuthedRequest) -> HttpResponse:
    return _placement_page(request, _host(request.user), None)


@host_required
def placement_edit(request: AuthedRequest, placement_id: int) -> HttpResponse:
    host = _host(request.user)
    return _placement_page(request, host, _placement(request.user, placement_id))


@host_required
@require_POST
def placement_publish_view(request: AuthedRequest, placement_id: int) -> HttpResponse:
    placement = _placement(request.user, placement_id)
    try:
        placement_publish(placement=placement, published_by=request.user)
    except SERVICE_ERRORS as error:
        messages_add_error(request, error)
    else:
        messages.success(request, _("Posto pubblicato: gli operatori possono proporre persone."))
    return redirect("lavoro:placement-edit", placement_id=placement.pk)
