"""Decisions of the receiving side on a proposal: accept, reject, start, conclude, hours."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from common.exceptions import AccessDenied
from common.models import User
from lavoro.models import Proposal
from lavoro.selectors.proposals import proposal_get_visible, proposed_person_get
from lavoro.services.placements import placement_hours_record
from lavoro.services.proposals import proposal_transition
from portal.forms.lavoro import (
    LANGUAGE_LEVELS,
    HoursForm,
    ProposalTransitionForm,
    language_name,
)
from portal.views._helpers import (
    SERVICE_ERRORS,
    AuthedRequest,
    messages_add_error,
    role_required,
    safe_next,
)
from portal.views.home import role_home_url

Role = User.Role
Status = Proposal.Status

RECEIVER_ACTIONS: dict[str, list[tuple[str, object, str]]] = {
    Status.SENT: [
        (Status.ACCEPTED, _lazy("Accetta"), ""),
        (Status.REJECTED, _lazy("Non accogliere"), "danger"),
    ],
    Status.ACCEPTED: [(Status.STARTED, _lazy("Conferma l'avvio"), "")],
    Status.STARTED: [
        (Status.COMPLETED, _lazy("Concludi il percorso"), "secondary"),
        (Status.INTERRUPTED, _lazy("Interrompi"), "danger"),
    ],
}
"""What the employer or host body may do from each status: (target, button text, style)."""

DONE = {
    Status.ACCEPTED: _lazy("Proposta accettata: l'operatore è informato."),
    Status.REJECTED: _lazy("Proposta non accolta."),
    Status.STARTED: _lazy("Avvio confermato."),
    Status.COMPLETED: _lazy("Percorso concluso."),
    Status.INTERRUPTED: _lazy("Percorso interrotto."),
}


def receiver_actions(proposal: Proposal) -> list[tuple[str, object, str]]:
    return RECEIVER_ACTIONS.get(proposal.status, [])


@role_required(Role.EMPLOYER, Role.HOST_BODY)
@require_POST
def proposal_transition_view(request: AuthedRequest, proposal_id: int) -> HttpResponse:
    proposal = proposal_get_visible(user=request.user, proposal_id=proposal_id)
    form = ProposalTransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Azione non riconosciuta sulla proposta."))
    else:
        try:
            proposal_transition(
                proposal=proposal,
                to_status=form.cleaned_data["to_status"],
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except SERVICE_ERRORS as error:
            messages_add_error(request, error)
        else:
            messages.success(request, str(DONE[form.cleaned_data["to_status"]]))
    return redirect(safe_next(request, role_home_url(request.user)))


@role_required(Role.HOST_BODY)
@require_POST
def proposal_hours_view(request: AuthedRequest, proposal_id: int) -> HttpResponse:
    proposal = proposal_get_visible(user=request.user, proposal_id=proposal_id)
    form = HoursForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["hours"]))
    else:
        try:
            placement_hours_record(
                proposal=proposal, hours=form.cleaned_data["hours"], actor=request.user
            )
        except SERVICE_ERRORS as error:
            messages_add_error(request, error)
        else:
            messages.success(
                request,
                _("Registrate %(hours)s ore per %(pseudonym)s.")
                % {
                    "hours": formats.number_format(form.cleaned_data["hours"].normalize()),
                    "pseudonym": proposal.person.pseudonym,
                },
            )
    return redirect(safe_next(request, role_home_url(request.user)))


@role_required(Role.EMPLOYER, Role.HOST_BODY, Role.COUNSELLOR, Role.ADMIN)
def proposed_person_view(request: AuthedRequest, proposal_id: int) -> HttpResponse:
    """The proposed person's pseudonymised profile and why they fit, with the decisions:
    what the receiving side reads before accepting."""
    try:
        found = proposed_person_get(user=request.user, proposal_id=proposal_id)
    except AccessDenied as error:
        raise PermissionDenied(error.message) from error
    proposal = found.proposal
    proposal.actions = receiver_actions(proposal)  # type: ignore[attr-defined]
    return render(
        request,
        "lavoro/proposed_person.html",
        {
            "found": found,
            "proposal": proposal,
            "profile": found.profile,
            "languages": [
                (language_name(item.language), LANGUAGE_LEVELS.get(item.level, item.level))
                for item in found.profile.languages
            ],
        },
    )
