"""Every e-mail the code sends links to a page its recipient can open: the places that send
mail are listed here, each with the view tests that follow its link as the recipient. A new
sender fails this test until it is listed with such a test."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SENDERS = {"send_mail", "send_mass_mail", "EmailMessage", "EmailMultiAlternatives", "mail_admins"}
# file -> the tests that open every link its e-mails carry, logged in as the recipient
KNOWN = {
    "lavoro/services/candidates.py": (
        "tests/lavoro/test_views_candidates.py::"
        "test_contact_request_accepted_with_consent_shares_the_contact_with_that_employer",
        "tests/lavoro/test_views_candidates.py::"
        "test_contact_request_declined_with_a_reason_the_employer_reads",
    ),
    "portal/views/trainee.py": (
        "tests/competenze/test_views_trainee.py::"
        "test_interest_is_recorded_once_answered_by_the_counsellor_and_shown_to_the_person",
    ),
}
SKIP = {".venv", "tests", "node_modules", ".git", "var"}


def _senders() -> set[str]:
    found = set()
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in SKIP:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in SENDERS:
                    found.add(relative.as_posix())
    return found


def test_every_mail_sender_has_a_test_that_follows_its_links():
    assert _senders() == set(KNOWN)
    for tests in KNOWN.values():
        for test in tests:
            path, name = test.split("::")
            assert f"def {name}(" in (ROOT / path).read_text(encoding="utf-8"), test
