import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from competenze.importers import base
from competenze.importers.qrsp import sector_code
from competenze.models import Concept, ConceptExternalCode, ConceptRelation, Framework, Sector
from tests.factories import FrameworkFactory

ESCO = "http://data.europa.eu/esco"
COOK_SKILL = f"{ESCO}/skill/s-cucina"
PASTA_SKILL = f"{ESCO}/skill/s-pasta"
HYGIENE = f"{ESCO}/skill/s-haccp"
TEAMWORK = f"{ESCO}/skill/s-gruppo"
COOK = f"{ESCO}/occupation/o-cuoco"
KITCHEN_HELPER = f"{ESCO}/occupation/o-aiuto-cuoco"

SKILL_HEADER = [
    "conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels",
    "hiddenLabels", "status", "modifiedDate", "scopeNote", "definition", "inScheme",
    "description",
]  # fmt: skip
OCCUPATION_HEADER = [
    "conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "hiddenLabels",
    "status", "modifiedDate", "regulatedProfessionNote", "scopeNote", "definition",
    "inScheme", "description", "code",
]  # fmt: skip
BROADER_HEADER = [
    "conceptType",
    "conceptUri",
    "conceptLabel",
    "broaderType",
    "broaderUri",
    "broaderLabel",
]
RELATION_HEADER = ["occupationUri", "relationType", "skillType", "skillUri"]
QRSP_HEADER = [
    "Codice Profilo",
    "Denominazione Profilo",
    "SETTORE",
    "codice_competenza",
    "Denominazione competenza",
    "Tipo elemento",
    "descrizione_elemento",
    "Livello EQF",
    "codice_ada",
]
LONG_SECTOR = "Servizi turistici e della ristorazione"


def skill_row(uri: str, label: str, **values: str) -> dict[str, str]:
    row = {"conceptType": "KnowledgeSkillCompetence", "conceptUri": uri, "preferredLabel": label}
    row.update({"skillType": "skill/competence", "reuseLevel": "sector-specific"})
    return row | {"status": "released", **values}


def skill_rows() -> list[dict[str, str]]:
    return [
        skill_row(
            COOK_SKILL,
            "preparare piatti",
            altLabels="cucinare\ncucinare piatti\n\n  cucinare  \npreparare piatti",
            description="Preparare piatti caldi e freddi.",
        ),
        skill_row(PASTA_SKILL, "preparare la pasta fresca", reuseLevel="occupation-specific"),
        skill_row(HYGIENE, "norme igieniche HACCP", skillType="knowledge", definition="Norme."),
        skill_row(TEAMWORK, "lavorare in gruppo", reuseLevel="transversal"),
    ]


def occupation_rows() -> list[dict[str, str]]:
    return [
        {"conceptUri": COOK, "iscoGroup": "5120", "preferredLabel": "cuoco",
         "altLabels": "cuoca\nchef", "code": "5120.1"},
        {"conceptUri": KITCHEN_HELPER, "iscoGroup": "9412", "preferredLabel": "aiuto cuoco",
         "code": "9412.1"},
    ]  # fmt: skip


def broader_rows() -> list[dict[str, str]]:
    group = f"{ESCO}/isced-f/1013"
    return [
        {"conceptType": "KnowledgeSkillCompetence", "conceptUri": PASTA_SKILL,
         "broaderType": "KnowledgeSkillCompetence", "broaderUri": COOK_SKILL},
        {"conceptType": "KnowledgeSkillCompetence", "conceptUri": COOK_SKILL,
         "broaderType": "SkillGroup", "broaderUri": group},
        {"conceptType": "SkillGroup", "conceptUri": group,
         "broaderType": "SkillGroup", "broaderUri": f"{ESCO}/isced-f/101"},
    ]  # fmt: skip


def relation_rows() -> list[dict[str, str]]:
    pairs = [
        (COOK, "essential", COOK_SKILL),
        (COOK, "essential", PASTA_SKILL),
        (COOK, "optional", HYGIENE),
        (KITCHEN_HELPER, "essential", HYGIENE),
        (KITCHEN_HELPER, "optional", TEAMWORK),
    ]
    return [{"occupationUri": o, "relationType": k, "skillUri": s} for o, k, s in pairs]


def write_csv(
    path: Path, header: list[str], rows: list[dict[str, str]], *, delimiter: str = ","
) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_esco(directory: Path, **overrides: list[dict[str, str]]) -> Path:
    files = [
        ("skills_it.csv", SKILL_HEADER, "skills", skill_rows),
        ("occupations_it.csv", OCCUPATION_HEADER, "occupations", occupation_rows),
        ("broaderRelationsSkillPillar.csv", BROADER_HEADER, "broader", broader_rows),
        ("occupationSkillRelations.csv", RELATION_HEADER, "relations", relation_rows),
    ]
    for name, header, key, default_rows in files:
        write_csv(directory / name, header, overrides.get(key) or default_rows())
    return directory


def import_esco(directory: Path, **options: object) -> str:
    out = StringIO()
    call_command("import_esco", dir=str(directory), stdout=out, **options)
    return out.getvalue()


def db_counts() -> tuple[int, int, int, int, int]:
    return (
        Framework.objects.count(),
        Sector.objects.count(),
        Concept.objects.count(),
        ConceptRelation.objects.count(),
        ConceptExternalCode.objects.count(),
    )


def esco_concept(uri: str) -> Concept:
    return Concept.objects.get(framework__code="esco", code=uri)


# --- ESCO --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_esco_creates_concepts_hierarchy_relations_and_codes(tmp_path):
    output = import_esco(write_esco(tmp_path))

    framework = Framework.objects.get()
    assert (framework.code, framework.version, framework.source) == ("esco", "1.2", "esco")
    assert not framework.is_default
    assert db_counts() == (1, 0, 6, 5, 8)
    assert "Importati 6 concetti, 5 relazioni, 8 codici esterni" in output
    kinds = dict(Concept.objects.values_list("code", "kind"))
    assert kinds == {
        COOK_SKILL: "abilita",
        PASTA_SKILL: "abilita",
        HYGIENE: "conoscenza",
        TEAMWORK: "trasversale",
        COOK: "profilo",
        KITCHEN_HELPER: "profilo",
    }


@pytest.mark.django_db
def test_import_esco_maps_labels_description_and_parent(tmp_path):
    import_esco(write_esco(tmp_path))

    cook_skill = esco_concept(COOK_SKILL)
    assert cook_skill.alt_labels == ["cucinare", "cucinare piatti"]
    assert cook_skill.description == "Preparare piatti caldi e freddi."
    assert cook_skill.parent is None  # its broader concept is a skill group, not imported
    assert esco_concept(PASTA_SKILL).parent == cook_skill
    assert esco_concept(HYGIENE).description == "Norme."
    assert esco_concept(COOK).alt_labels == ["cuoca", "chef"]


@pytest.mark.django_db
def test_import_esco_maps_relations_and_external_codes(tmp_path):
    import_esco(write_esco(tmp_path))

    relations = set(ConceptRelation.objects.values_list("source__code", "target__code", "kind"))
    assert (COOK, HYGIENE, "optional") in relations
    assert (KITCHEN_HELPER, HYGIENE, "essential") in relations
    codes = set(esco_concept(COOK).external_codes.values_list("system", "code"))
    assert codes == {("esco", COOK), ("isco", "5120")}
    assert ConceptExternalCode.objects.filter(system="esco").count() == 6


@pytest.mark.django_db
def test_import_esco_twice_is_idempotent_and_updates_labels(tmp_path):
    import_esco(write_esco(tmp_path))
    first = db_counts()
    rows = skill_rows()
    rows[1]["preferredLabel"] = "preparare pasta fresca all'uovo"
    import_esco(write_esco(tmp_path, skills=rows))

    assert db_counts() == first
    pasta = esco_concept(PASTA_SKILL)
    assert pasta.pref_label == "preparare pasta fresca all'uovo"
    assert pasta.parent == esco_concept(COOK_SKILL)


@pytest.mark.django_db
def test_import_esco_version_option_creates_a_separate_framework(tmp_path):
    import_esco(write_esco(tmp_path))
    import_esco(tmp_path, version="1.3")

    assert sorted(Framework.objects.values_list("version", flat=True)) == ["1.2", "1.3"]
    assert Concept.objects.filter(framework__version="1.3").count() == 6


@pytest.mark.django_db
def test_import_esco_default_replaces_previous_default(tmp_path):
    previous = FrameworkFactory(is_default=True)
    import_esco(write_esco(tmp_path), default=True)

    previous.refresh_from_db()
    assert not previous.is_default
    assert Framework.objects.get(is_default=True).code == "esco"


@pytest.mark.django_db
def test_import_esco_reports_progress_with_verbosity_2(tmp_path, monkeypatch):
    monkeypatch.setattr(base, "PROGRESS_EVERY", 2)
    output = import_esco(write_esco(tmp_path), verbosity=2)

    assert "skills_it.csv: 2 righe lette" in output
    assert "occupationSkillRelations.csv: 4 righe lette" in output


def _skills_missing_uri() -> dict[str, list[dict[str, str]]]:
    rows = skill_rows()
    rows[1]["conceptUri"] = ""
    # The first row's altLabels span 5 physical lines: the second row starts on line 7.
    return {"skills": rows}


def _relation_with(**values: str) -> dict[str, list[dict[str, str]]]:
    rows = relation_rows()
    rows[2].update(values)
    return {"relations": rows}


def _broader_to_unknown_skill() -> dict[str, list[dict[str, str]]]:
    rows = broader_rows()
    rows.append(dict(rows[0], broaderUri=f"{ESCO}/skill/sconosciuta"))
    return {"broader": rows}


ESCO_BAD_ROWS = {
    "missing uri": (_skills_missing_uri(), "skills_it.csv, riga 7: manca conceptUri"),
    "unknown skill type": (
        {"skills": [*skill_rows()[:2], skill_row(HYGIENE, "igiene", skillType="sapere")]},
        "skills_it.csv, riga 8: skillType sconosciuto «sapere»",
    ),
    "unknown relation type": (
        _relation_with(relationType="facoltativa"),
        "occupationSkillRelations.csv, riga 4: relationType sconosciuto «facoltativa»",
    ),
    "unknown skill uri": (
        _relation_with(skillUri=f"{ESCO}/skill/sconosciuta"),
        "occupationSkillRelations.csv, riga 4: skillUri",
    ),
    "occupation used as skill": (
        _relation_with(skillUri=KITCHEN_HELPER),
        "occupationSkillRelations.csv, riga 4: skillUri",
    ),
    "unknown occupation uri": (
        _relation_with(occupationUri=f"{ESCO}/occupation/sconosciuta"),
        "occupationSkillRelations.csv, riga 4: occupationUri",
    ),
    "unknown broader uri": (
        _broader_to_unknown_skill(),
        "broaderRelationsSkillPillar.csv, riga 5: broaderUri",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize(("overrides", "message"), ESCO_BAD_ROWS.values(), ids=ESCO_BAD_ROWS)
def test_import_esco_malformed_row_fails_naming_file_and_line(tmp_path, overrides, message):
    write_esco(tmp_path, **overrides)

    with pytest.raises(CommandError) as error:
        import_esco(tmp_path)

    assert message in str(error.value)
    assert db_counts() == (0, 0, 0, 0, 0)


@pytest.mark.django_db
def test_import_esco_failure_keeps_previous_import_and_default(tmp_path):
    import_esco(write_esco(tmp_path), default=True)
    before = db_counts()
    skills = skill_rows()
    skills[0]["preferredLabel"] = "etichetta che non deve restare"
    other = FrameworkFactory()
    write_esco(tmp_path, skills=skills, relations=_relation_with(relationType="?")["relations"])

    with pytest.raises(CommandError, match="occupationSkillRelations.csv, riga 4"):
        import_esco(tmp_path, version="1.3", default=True)

    assert db_counts() == (before[0] + 1, *before[1:])
    assert esco_concept(COOK_SKILL).pref_label == "preparare piatti"
    assert Framework.objects.get(is_default=True).version == "1.2"
    assert not Framework.objects.get(pk=other.pk).is_default


@pytest.mark.django_db
def test_import_esco_non_utf8_file_fails_naming_file_and_line(tmp_path):
    write_esco(tmp_path)
    path = tmp_path / "occupations_it.csv"
    lines = path.read_bytes().splitlines(keepends=True)
    lines.insert(3, "x,http://e/o,1,cuoco di bordo è,,,,,,,,,,\n".encode("cp1252"))
    path.write_bytes(b"".join(lines))

    with pytest.raises(CommandError) as error:
        import_esco(tmp_path)

    assert "occupations_it.csv, riga 4" in str(error.value)
    assert "UTF-8" in str(error.value)
    assert Concept.objects.count() == 0


@pytest.mark.django_db
def test_import_esco_missing_file_fails_naming_it(tmp_path):
    write_esco(tmp_path)
    (tmp_path / "occupationSkillRelations.csv").unlink()

    with pytest.raises(CommandError, match="occupationSkillRelations.csv: file non trovato"):
        import_esco(tmp_path)

    assert db_counts() == (0, 0, 0, 0, 0)


@pytest.mark.django_db
def test_import_esco_accepts_relation_files_with_language_suffix(tmp_path):
    write_esco(tmp_path)
    for stem in ("broaderRelationsSkillPillar", "occupationSkillRelations"):
        (tmp_path / f"{stem}.csv").rename(tmp_path / f"{stem}_it.csv")

    import_esco(tmp_path)

    assert ConceptRelation.objects.count() == 5


@pytest.mark.django_db
def test_import_esco_missing_column_fails_naming_file_and_column(tmp_path):
    write_esco(tmp_path)
    header = [column for column in SKILL_HEADER if column != "preferredLabel"]
    rows = [{k: v for k, v in row.items() if k in header} for row in skill_rows()]
    write_csv(tmp_path / "skills_it.csv", header, rows)

    with pytest.raises(CommandError, match="skills_it.csv: .*preferredLabel"):
        import_esco(tmp_path)

    assert db_counts() == (0, 0, 0, 0, 0)


# --- QRSP --------------------------------------------------------------------------------


def qrsp_item(profile: str, competence: str, kind: str, text: str, **values: str) -> dict:
    profiles = {"P01": ("Operatore della ristorazione", LONG_SECTOR), "P02": ("Aiuto cuoco", "")}
    competences = {"C01": "Preparare i pasti", "C02": "Gestire la dispensa", "C03": "Sicurezza"}
    row = {
        "Codice Profilo": profile,
        "Denominazione Profilo": profiles[profile][0],
        "SETTORE": profiles[profile][1] or "Ristorazione",
        "codice_competenza": competence,
        "Denominazione competenza": competences[competence],
        "Tipo elemento": kind,
        "descrizione_elemento": text,
        "Livello EQF": "3",
    }
    return row | values


def qrsp_rows() -> list[dict[str, str]]:
    return [
        qrsp_item("P01", "C01", "abilità", "Applicare tecniche di cottura", codice_ada="ADA.1.2"),
        qrsp_item("P01", "C01", "Conoscenza", "Principi di igiene alimentare"),
        qrsp_item("P01", "C02", "abilita", "Controllare le scorte", codice_ada="ADA.3|ADA.4"),
        qrsp_item("P02", "C01", "ABILITA'", "Applicare  tecniche di cottura"),
        qrsp_item("P02", "C03", "conoscenza", "Norme di sicurezza", **{"Livello EQF": "EQF 2"}),
    ]


def write_qrsp(path: Path, rows: list[dict[str, str]] | None = None, **options: str) -> Path:
    return write_csv(path, QRSP_HEADER, qrsp_rows() if rows is None else rows, **options)


def import_qrsp(path: Path, **options: object) -> str:
    out = StringIO()
    call_command("import_qrsp", file=str(path), stdout=out, **options)
    return out.getvalue()


def qrsp_concept(code: str) -> Concept:
    return Concept.objects.get(framework__code="qrsp-lombardia", code=code)


@pytest.mark.django_db
def test_import_qrsp_creates_profiles_competences_elements_and_sectors(tmp_path):
    output = import_qrsp(write_qrsp(tmp_path / "qrsp.csv", delimiter=";"))

    framework = Framework.objects.get()
    assert (framework.code, framework.source) == ("qrsp-lombardia", "qrsp")
    assert db_counts() == (1, 2, 9, 4, 3)
    assert "Importati 9 concetti, 4 relazioni, 3 codici esterni e 2 settori" in output
    assert qrsp_concept("P01").sector.label == LONG_SECTOR
    assert qrsp_concept("P01").sector.code == sector_code(LONG_SECTOR)
    assert qrsp_concept("P02").sector.code == "ristorazione"
    assert (qrsp_concept("C01").eqf_level, qrsp_concept("C03").eqf_level) == (3, 2)
    assert set(ConceptRelation.objects.values_list("kind", flat=True)) == {"essential"}
    ada = set(ConceptExternalCode.objects.values_list("concept__code", "system", "code"))
    assert ada == {("C01", "ada", "ADA.1.2"), ("C02", "ada", "ADA.3"), ("C02", "ada", "ADA.4")}


@pytest.mark.django_db
def test_import_qrsp_elements_are_children_of_their_competence(tmp_path):
    import_qrsp(write_qrsp(tmp_path / "qrsp.csv", delimiter=";"))

    children = qrsp_concept("C01").children.order_by("kind")
    assert [(c.kind, c.pref_label) for c in children] == [
        ("abilita", "Applicare tecniche di cottura"),
        ("conoscenza", "Principi di igiene alimentare"),
    ]
    assert children[0].code.startswith("C01-A")
    assert children[1].code.startswith("C01-K")


def test_sector_code_fits_the_field_and_is_stable():
    code = sector_code(LONG_SECTOR)

    assert len(code) <= 20
    assert code.startswith("servizi-turis-")
    assert code == sector_code(LONG_SECTOR)
    assert sector_code("Ristorazione") == "ristorazione"


@pytest.mark.django_db
def test_import_qrsp_reordered_reimport_is_idempotent_and_updates_labels(tmp_path):
    import_qrsp(write_qrsp(tmp_path / "qrsp.csv", delimiter=";"))
    first = db_counts()
    codes = set(Concept.objects.values_list("code", flat=True))
    rows = list(reversed(qrsp_rows()))
    for row in rows:
        if row["Codice Profilo"] == "P02":
            row["Denominazione Profilo"] = "Aiuto cuoco di cucina"
    import_qrsp(write_qrsp(tmp_path / "qrsp.csv", rows, delimiter=","))

    assert db_counts() == first
    assert set(Concept.objects.values_list("code", flat=True)) == codes
    assert qrsp_concept("P02").pref_label == "Aiuto cuoco di cucina"


@pytest.mark.django_db
def test_import_qrsp_long_element_keeps_full_text_in_description(tmp_path):
    text = "Applicare procedure di sanificazione " * 12
    import_qrsp(write_qrsp(tmp_path / "q.csv", [qrsp_item("P01", "C01", "abilita", text)]))

    element = qrsp_concept("C01").children.get()
    assert len(element.pref_label) == 300
    assert element.pref_label.endswith("…")
    assert element.description == " ".join(text.split())


@pytest.mark.django_db
def test_import_qrsp_default_switches_from_esco(tmp_path):
    import_esco(write_esco(tmp_path), default=True)
    import_qrsp(write_qrsp(tmp_path / "qrsp.csv"), default=True, version="2025")

    default = Framework.objects.get(is_default=True)
    assert (default.code, default.version) == ("qrsp-lombardia", "2025")
    assert Framework.objects.count() == 2


QRSP_BAD_ROWS = {
    "invalid eqf": ({"Livello EQF": "9"}, "riga 3: livello_eqf non valido «9»"),
    "eqf not a number": ({"Livello EQF": "alto"}, "riga 3: livello_eqf non valido «alto»"),
    "unknown element kind": ({"Tipo elemento": "attitudine"}, "riga 3: tipo_elemento"),
    "missing value": ({"codice_competenza": " "}, "riga 3: manca codice_competenza"),
    "code clash": ({"codice_competenza": "P01"}, "riga 3: il codice «P01» è già usato"),
}


@pytest.mark.django_db
@pytest.mark.parametrize(("values", "message"), QRSP_BAD_ROWS.values(), ids=QRSP_BAD_ROWS)
def test_import_qrsp_malformed_row_fails_naming_file_and_line(tmp_path, values, message):
    rows = qrsp_rows()
    rows[1].update(values)

    with pytest.raises(CommandError) as error:
        import_qrsp(write_qrsp(tmp_path / "qrsp.csv", rows, delimiter=";"))

    assert f"qrsp.csv, {message}" in str(error.value)
    assert db_counts() == (0, 0, 0, 0, 0)


@pytest.mark.django_db
def test_import_qrsp_latin1_file_fails_naming_file_and_line(tmp_path):
    path = tmp_path / "qrsp.csv"
    write_qrsp(path, delimiter=";")
    path.write_bytes(
        path.read_bytes() + "P03;Barista;Bar;C09;Caffè;abilita;x;2;\n".encode("cp1252")
    )

    with pytest.raises(CommandError, match=r"qrsp.csv, riga 7: .*UTF-8"):
        import_qrsp(path)

    assert db_counts() == (0, 0, 0, 0, 0)


@pytest.mark.django_db
def test_import_qrsp_missing_column_or_file_fails_naming_it(tmp_path):
    header = [column for column in QRSP_HEADER if column != "Livello EQF"]
    rows = [{k: v for k, v in row.items() if k in header} for row in qrsp_rows()]
    write_csv(tmp_path / "qrsp.csv", header, rows, delimiter=";")

    with pytest.raises(
        CommandError, match="qrsp.csv: mancano le colonne obbligatorie: livello_eqf"
    ):
        import_qrsp(tmp_path / "qrsp.csv")
    with pytest.raises(CommandError, match="assente.csv: file non trovato"):
        import_qrsp(tmp_path / "assente.csv")

    assert db_counts() == (0, 0, 0, 0, 0)
