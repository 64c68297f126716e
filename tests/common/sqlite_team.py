"""A counsellor team on one SQLite file, as `make run` serves it: concurrent requests, counted.

Run by tests/common/test_sqlite_team.py in a process of its own, configured as `make run` is
(config.settings.base, DATABASE_URL pointing at a SQLite file, eager Celery): the pytest
process itself uses an in-memory test database, which never locks the way a file does.
Every request goes through Django's whole stack (middleware, DRF, services) on a thread of
its own with its own connection, as runserver's threads do. Prints one JSON object: per
scenario, the status codes and what the database holds afterwards.

    python tests/common/sqlite_team.py
"""

import json
import sys
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

THREADS = 10
SAME_ANSWER_REQUESTS = 50
PROPOSAL_PAIRS = 25
INTERVIEW_START_PAIRS = 20
QUESTION = "altro.note"  # a free-text question the recogniser does not read


def _setup() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _client(user: Any) -> Any:
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _run_together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls on THREADS threads, started together; each thread closes its
    connection when done, as a server thread does at the end of a request."""
    from django.db import connections

    barrier = threading.Barrier(min(THREADS, len(calls)))

    def first_wait(call: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            if not getattr(local, "started", False):
                local.started = True
                barrier.wait(timeout=60)
            return call()

        return run

    local = threading.local()

    def closing(call: Callable[[], Any]) -> Any:
        try:
            return first_wait(call)()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(closing, calls))


def same_answer() -> dict[str, Any]:
    """SAME_ANSWER_REQUESTS saves of one answer by two counsellors, each after reading it."""
    from competenze.models import InterviewAnswer
    from tests.factories import CounsellorFactory
    from tests.factories.interviews import InterviewFactory

    interview = InterviewFactory()
    colleague = CounsellorFactory(organisation=interview.person.organisation)
    users = [interview.counsellor, colleague]
    clients = [_client(users[i % 2]) for i in range(SAME_ANSWER_REQUESTS)]
    base = f"/api/v1/interviews/{interview.pk}/answers/"

    def save(i: int) -> Callable[[], int]:
        def call() -> int:
            client = clients[i]
            current = client.get(f"{base}{QUESTION}/")
            version = current.json().get("version", 0) if current.status_code == 200 else 0
            body = {"question_id": QUESTION, "text": f"Nota numero {i}", "version": version}
            return client.post(base, body, content_type="application/json").status_code

        return call

    statuses = _run_together([save(i) for i in range(SAME_ANSWER_REQUESTS)])
    answer = InterviewAnswer.objects.filter(interview=interview, question_id=QUESTION).first()
    return {
        "statuses": Counter(statuses),
        "final_version": getattr(answer, "version", None),
    }


def accept_versus_withdraw() -> dict[str, Any]:
    """The employer accepts while the counsellor withdraws, on PROPOSAL_PAIRS proposals."""
    from lavoro.models import Proposal, ProposalEvent
    from tests.factories import EmployerUserFactory, ProposalFactory

    proposals = [ProposalFactory(status=Proposal.Status.SENT) for _ in range(PROPOSAL_PAIRS)]
    calls = []
    for proposal in proposals:
        ProposalEvent.objects.create(
            proposal=proposal,
            from_status=Proposal.Status.DRAFT,
            to_status=Proposal.Status.SENT,
            actor=proposal.proposed_by,
        )
        employer = EmployerUserFactory(organisation=proposal.offer.employer.organisation)
        url = f"/api/v1/proposals/{proposal.pk}/transition/"
        for user, target in ((employer, "accettata"), (proposal.proposed_by, "ritirata")):
            client = _client(user)
            calls.append(
                lambda c=client, u=url, t=target: c.post(
                    u, {"to_status": t}, content_type="application/json"
                ).status_code
            )
    statuses = _run_together(calls)
    events = Counter(
        ProposalEvent.objects.filter(proposal__in=proposals)
        .exclude(to_status=Proposal.Status.SENT)
        .values_list("to_status", flat=True)
    )
    return {"statuses": Counter(statuses), "events": events}


def double_interview_start() -> dict[str, Any]:
    """Two counsellors press «Inizia un colloquio» for the same person at once."""
    from competenze.models import Interview
    from tests.factories import CounsellorFactory, PersonFactory
    from tests.factories.interviews import InterviewTemplateFactory

    template = InterviewTemplateFactory()
    people = [PersonFactory() for _ in range(INTERVIEW_START_PAIRS)]
    calls = []
    for person in people:
        colleague = CounsellorFactory(organisation=person.organisation)
        url = f"/api/v1/people/{person.pseudonym}/interviews/"
        for user in (person.counsellor, colleague):
            client = _client(user)
            calls.append(
                lambda c=client, u=url: c.post(
                    u, {"template": template.code}, content_type="application/json"
                ).status_code
            )
    statuses = _run_together(calls)
    open_per_person = Counter(
        Interview.objects.filter(
            person__in=people, status=Interview.Status.IN_PROGRESS
        ).values_list("person_id", flat=True)
    )
    return {
        "statuses": Counter(statuses),
        "people_with_one_open_interview": sum(1 for n in open_per_person.values() if n == 1),
        "people": len(people),
    }


def main() -> None:
    _setup()
    from django.db import connection

    result = {
        "journal_mode": connection.cursor().execute("PRAGMA journal_mode").fetchone()[0],
        "same_answer": same_answer(),
        "accept_versus_withdraw": accept_versus_withdraw(),
        "double_interview_start": double_interview_start(),
    }
    print(json.dumps(result, default=dict))


if __name__ == "__main__":
    main()
