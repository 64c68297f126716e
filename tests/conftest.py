import pytest
from rest_framework.test import APIClient

from tests.factories import (
    CounsellorFactory,
    EmployerUserFactory,
    HostBodyUserFactory,
    ProgrammeManagerFactory,
    TraineeUserFactory,
)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def counsellor(db):
    return CounsellorFactory()


@pytest.fixture
def programme_manager(db):
    return ProgrammeManagerFactory()


@pytest.fixture
def employer_user(db):
    return EmployerUserFactory()


@pytest.fixture
def host_body_user(db):
    return HostBodyUserFactory()


@pytest.fixture
def trainee_user(db):
    return TraineeUserFactory()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client
