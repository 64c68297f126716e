"""Shared services: access audit."""

from common.models import AccessLog, User


def access_log_record(
    *, actor: User | None, action: str, subject: str, data_category: str, purpose: str = ""
) -> AccessLog:
    """Record that `actor` touched `data_category` of the person with pseudonym `subject`."""
    return AccessLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_role=getattr(actor, "role", "") or "",
        action=action,
        subject=subject,
        data_category=data_category,
        purpose=purpose[:200],
    )
