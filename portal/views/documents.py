"""The document preview: the person and the counsellor choose the document (transparency or
validation) and the version (the person's own, or for an employer), then decide quote by
quote what goes in — kept, edited or left out — with the words that reveal detention or the
measure highlighted before printing. The PDF is rendered on the server."""

from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString

from competenze.documents import content as doc
from competenze.documents import flagged
from competenze.models import SkillEntry
from competenze.services.documents import (
    TITLES,
    document_content_build,
    document_entries,
    document_filename,
    document_pdf,
)
from portal.forms.idvcc import DocumentChoiceForm, entry_quote_fields
from portal.views._helpers import AuthedRequest, counsellor_or_trainee_view
from portal.views.credentials import owner_person


@dataclass(frozen=True)
class QuoteRow:
    entry: SkillEntry
    fields: tuple[str, str, str]
    text: str
    include: bool
    allow: bool
    highlighted: SafeString
    flagged: bool
    printed: bool
    neutralised: bool


def _choices(post: dict[str, str], entries: list[SkillEntry]) -> dict[int, doc.QuoteChoice]:
    """The decisions sent with the preview form (an unticked box is absent from a POST)."""
    choices = {}
    for entry in entries:
        include, text, allow = entry_quote_fields(entry)
        if text in post:
            choices[entry.pk] = doc.QuoteChoice(
                include=include in post, text=post[text], allow_flagged=allow in post
            )
    return choices


def _row(
    entry: SkillEntry, choice: doc.QuoteChoice | None, audience: str, printed: bool
) -> QuoteRow:
    recorded = entry.evidence_text.strip()
    default = flagged.neutralise(recorded) if audience == doc.EMPLOYER else recorded
    text = choice.text if choice is not None and choice.text is not None else default
    return QuoteRow(
        entry=entry,
        fields=entry_quote_fields(entry),
        text=text,
        include=choice.include if choice is not None else True,
        allow=choice.allow_flagged if choice is not None else False,
        highlighted=flagged.highlight(text),
        flagged=flagged.has_flagged(text),
        printed=printed,
        neutralised=choice is None and default != recorded,
    )


def _kind_and_audience(request: AuthedRequest) -> tuple[str, str, DocumentChoiceForm]:
    form = DocumentChoiceForm(request.POST if request.method == "POST" else request.GET or None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["kind"], form.cleaned_data["audience"], form
    return doc.TRANSPARENCY, doc.PERSON, DocumentChoiceForm()


@counsellor_or_trainee_view
def documents(request: AuthedRequest, pseudonym: str) -> HttpResponse:
    person = owner_person(request, pseudonym)
    kind, audience, choice_form = _kind_and_audience(request)
    entries = document_entries(person=person)
    choices = _choices(request.POST, entries) if request.method == "POST" else {}
    content = document_content_build(
        person=person, user=request.user, kind=kind, audience=audience, choices=choices
    )
    if request.method == "POST" and request.POST.get("action") == "pdf":
        pdf = document_pdf(person=person, user=request.user, content=content)
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = document_filename(person=person, content=content)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response
    printed = {entry.entry_id: entry.quote is not None for entry in content.entries}
    shown = {entry.entry_id for entry in content.entries}
    rows = [
        _row(entry, choices.get(entry.pk), audience, printed.get(entry.pk, False))
        for entry in entries
        if entry.pk in shown and entry.evidence_text.strip()
    ]
    return render(
        request,
        "competenze/idvcc/documents.html",
        {
            "person": person,
            "content": content,
            "rows": rows,
            "choice_form": choice_form,
            "kind": kind,
            "audience": audience,
            "title": TITLES[kind],
            "employer": audience == doc.EMPLOYER,
        },
    )
