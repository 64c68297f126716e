import pytest
from django.core.management import CommandError, call_command

from common.models import Municipality, Province

pytestmark = pytest.mark.django_db


def test_shipped_municipalities_load_with_coordinates():
    call_command("load_municipalities")
    assert Municipality.objects.count() == 1502
    assert Province.objects.count() == 12
    milano = Municipality.objects.get(istat_code="015146")
    assert milano.name == "Milano"
    assert milano.province.code == "MI"
    assert milano.latitude == pytest.approx(45.46, abs=0.05)
    assert milano.longitude == pytest.approx(9.19, abs=0.05)


def test_loading_twice_changes_nothing():
    call_command("load_municipalities")
    call_command("load_municipalities")
    assert Municipality.objects.count() == 1502


def _write(tmp_path, rows):
    path = tmp_path / "comuni.csv"
    header = "istat_code,name,province_code,province_name,latitude,longitude\n"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_bad_coordinate_names_file_and_line_and_writes_nothing(tmp_path):
    path = _write(
        tmp_path, ["015146,Milano,MI,Milano,45.46,9.19", "016024,Bergamo,BG,Bergamo,abc,9.67"]
    )
    with pytest.raises(CommandError, match=r"comuni.csv, riga 3: coordinata non valida"):
        call_command("load_municipalities", file=path)
    assert not Municipality.objects.exists()


def test_bad_istat_code_is_reported(tmp_path):
    path = _write(tmp_path, ["15146,Milano,MI,Milano,45.46,9.19"])
    with pytest.raises(CommandError, match="riga 2: codice ISTAT non valido"):
        call_command("load_municipalities", file=path)


def test_missing_column_is_reported(tmp_path):
    path = tmp_path / "comuni.csv"
    path.write_text("istat_code,name\n015146,Milano\n", encoding="utf-8")
    with pytest.raises(CommandError, match="mancano le colonne"):
        call_command("load_municipalities", file=path)
