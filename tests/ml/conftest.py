import pytest


@pytest.fixture
def artifact_dir(settings, tmp_path):
    """Models trained by a test go to a directory of its own."""
    settings.PONTE_ML_ARTIFACT_DIR = tmp_path / "models"
    return settings.PONTE_ML_ARTIFACT_DIR
