from tests.factories.common import *  # noqa: F403
from tests.factories.competenze import *  # noqa: F403
from tests.factories.lavoro import *  # noqa: F403
