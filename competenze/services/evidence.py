"""Evidence files (attestati, dichiarazioni, lavori) uploaded to a person's skill profile.

Files are personal data: they are stored with Evidence.file's upload_to under MEDIA_ROOT,
which is never served as public media; competenze.selectors.evidence gives them out, audited.
"""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy

from common.limits import MAX_UPLOAD_BYTES
from common.models import AccessLog, User
from common.services import access_log_record
from competenze import permissions
from competenze.models import Evidence, Person, SkillEntry

MAX_EVIDENCE_BYTES = MAX_UPLOAD_BYTES
# extension → (content type, signatures the first bytes must start with)
EVIDENCE_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}

EVIDENCE_EDIT_DENIED = gettext_lazy("Non puoi aggiungere evidenze al profilo di questa persona.")
FILE_TOO_LARGE = gettext_lazy(
    "Il file è troppo grande: al massimo 10 MB (questo ne pesa %(size)s)."
)
FILE_EMPTY = gettext_lazy("Il file è vuoto.")
FILE_BAD_TYPE = gettext_lazy("Formato non ammesso: carica un PDF, un JPG o un PNG.")
FILE_CONTENT_MISMATCH = gettext_lazy(
    "Il contenuto del file non corrisponde all'estensione .%(ext)s: carica un PDF, JPG o PNG "
    "valido."
)
ENTRY_OTHER_PERSON = gettext_lazy("La competenza scelta non è nel profilo di questa persona.")
EVIDENCE_NEEDS_CONTENT = gettext_lazy("Carica un file oppure scrivi una descrizione dell'evidenza.")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def evidence_file_extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def evidence_file_validate(file: UploadedFile) -> str:
    """Check size (≤ 10 MB) and type (PDF, JPG, PNG by extension *and* content).

    Returns the content type; raises ValidationError with an Italian message.
    """
    if file.size is not None and file.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(FILE_TOO_LARGE % {"size": _megabytes(file.size)}, code="too_large")
    if not file.size:
        raise ValidationError(FILE_EMPTY, code="empty")
    extension = evidence_file_extension(file.name or "")
    if extension not in EVIDENCE_TYPES:
        raise ValidationError(FILE_BAD_TYPE, code="bad_type")
    content_type, signatures = EVIDENCE_TYPES[extension]
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if not any(head.startswith(signature) for signature in signatures):
        raise ValidationError(FILE_CONTENT_MISMATCH % {"ext": extension}, code="bad_content")
    return content_type


@transaction.atomic
def evidence_create(
    *,
    person: Person,
    uploaded_by: User,
    kind: str,
    description: str = "",
    file: UploadedFile | None = None,
    skill_entry: SkillEntry | None = None,
) -> Evidence:
    """Add an evidence (file and/or description) to the person's profile, optionally linked
    to one of their skill entries. Audited as a write of «evidenze»."""
    permissions.person_editor_require(uploaded_by, person, EVIDENCE_EDIT_DENIED)
    if skill_entry is not None and skill_entry.person_id != person.pk:
        raise ValidationError(ENTRY_OTHER_PERSON, code="entry_other_person")
    if file is None and not description.strip():
        raise ValidationError(EVIDENCE_NEEDS_CONTENT, code="empty")
    if file is not None:
        evidence_file_validate(file)
    evidence = Evidence(
        person=person, kind=kind, description=description.strip(), uploaded_by=uploaded_by
    )
    if file is not None:
        evidence.file = file  # stored by FileField with evidence_upload_to on save
    evidence.full_clean(exclude=["file"])
    evidence.save()
    if skill_entry is not None:
        skill_entry.evidences.add(evidence)
    access_log_record(
        actor=uploaded_by,
        action=AccessLog.Action.CREATE,
        subject=person.pseudonym,
        data_category="evidenze",
    )
    return evidence
