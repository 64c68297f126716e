import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from competenze.models import Concept, ConceptRelation, Framework
from competenze.services.framework import DEFAULT_FRAMEWORK, SHIPPED_FRAMEWORK_DIR

pytestmark = pytest.mark.django_db
CONCEPT_HEADER = (
    "code,kind,parent,pref_label,alt_labels,description,eqf_level,cp2011,ateco,esco_uri"
)


def test_shipped_framework_is_rich_enough():
    call_command("load_framework")
    framework = Framework.objects.get(is_default=True)
    concepts = Concept.objects.filter(framework=framework)
    assert concepts.filter(kind="profilo").count() >= 40
    assert concepts.exclude(kind="profilo").count() >= 400
    assert framework.sectors.count() == 15
    # every ability or knowledge item hangs under a competence
    orphans = concepts.filter(kind__in=["abilita", "conoscenza"], parent__isnull=True)
    assert not orphans.exists()
    # every profile requires at least one essential competence
    for profile in concepts.filter(kind="profilo"):
        assert profile.requires.filter(kind="essential").exists(), profile.code


def test_shipped_labels_include_colloquial_phrasings():
    call_command("load_framework")
    with_many = Concept.objects.filter(kind="competenza").exclude(alt_labels=[])
    assert with_many.count() >= 100
    every_alt = {label for c in with_many for label in c.alt_labels}
    assert "muletto" in " ".join(every_alt)


def test_loading_twice_is_idempotent():
    call_command("load_framework")
    counts = (Concept.objects.count(), ConceptRelation.objects.count())
    call_command("load_framework")
    assert (Concept.objects.count(), ConceptRelation.objects.count()) == counts


def _copy_framework(tmp_path):
    target = tmp_path / "quadro"
    shutil.copytree(SHIPPED_FRAMEWORK_DIR / DEFAULT_FRAMEWORK, target)
    return target


def test_changed_label_is_updated_on_reload(tmp_path):
    directory = _copy_framework(tmp_path)
    call_command("load_framework", dir=directory)
    path = directory / "concepts" / "inf.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    code = lines[1].split(",")[0]
    fields = lines[1].split(",")
    fields[3] = "Etichetta cambiata"
    lines[1] = ",".join(fields)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    call_command("load_framework", dir=directory)
    assert Concept.objects.get(code=code).pref_label == "Etichetta cambiata"


def _tiny_framework(tmp_path, concept_rows, relation_rows=()):
    directory = tmp_path / "mini"
    (directory / "concepts").mkdir(parents=True)
    (directory / "relations").mkdir()
    (directory / "scheme.json").write_text(
        json.dumps({"code": "mini", "name": "Mini", "version": "1", "is_default": False})
    )
    (directory / "sectors.csv").write_text("code,label\nXX,Prova\n", encoding="utf-8")
    (directory / "concepts" / "xx.csv").write_text(
        CONCEPT_HEADER + "\n" + "\n".join(concept_rows) + "\n", encoding="utf-8"
    )
    (directory / "relations" / "xx.csv").write_text(
        "profile,concept,relation\n" + "\n".join(relation_rows) + "\n", encoding="utf-8"
    )
    return directory


def test_unknown_kind_names_file_and_line(tmp_path):
    directory = _tiny_framework(
        tmp_path,
        [
            "XX-C01,competenza,,Cucinare,cucinare | fare da mangiare,,3,,,",
            "XX-A01,pozione,XX-C01,Mescolare,,,,,,",
        ],
    )
    with pytest.raises(CommandError, match=r"xx.csv, riga 3: tipo sconosciuto «pozione»"):
        call_command("load_framework", dir=directory)
    assert not Framework.objects.filter(code="mini").exists()


def test_bad_eqf_level_is_reported(tmp_path):
    directory = _tiny_framework(tmp_path, ["XX-C01,competenza,,Cucinare,,,9,,,"])
    with pytest.raises(CommandError, match="livello EQF non valido «9»"):
        call_command("load_framework", dir=directory)


def test_relation_to_unknown_concept_is_reported(tmp_path):
    directory = _tiny_framework(
        tmp_path,
        ["XX-P01,profilo,,Cuoco,,,3,,,", "XX-C01,competenza,,Cucinare,,,3,,,"],
        ["XX-P01,XX-C99,essential"],
    )
    with pytest.raises(CommandError, match="concetto sconosciuto «XX-C99»"):
        call_command("load_framework", dir=directory)


def test_tiny_framework_loads_hierarchy_labels_and_external_codes(tmp_path):
    directory = _tiny_framework(
        tmp_path,
        [
            "XX-P01,profilo,,Cuoco,chef | cuoco di mensa,,3,5.2.2.1.0,56.10,",
            "XX-C01,competenza,,Cucinare,cucinare | fare da mangiare | cucinare,,3,,,",
            "XX-A01,abilita,XX-C01,Preparare i primi,fare la pasta,,,,,",
        ],
        ["XX-P01,XX-C01,essential"],
    )
    call_command("load_framework", dir=directory, default=True)
    framework = Framework.objects.get(code="mini")
    assert framework.is_default
    cook = Concept.objects.get(framework=framework, code="XX-P01")
    assert cook.alt_labels == ["chef", "cuoco di mensa"]
    assert {(c.system, c.code) for c in cook.external_codes.all()} == {
        ("cp2011", "5.2.2.1.0"),
        ("ateco", "56.10"),
    }
    cooking = Concept.objects.get(framework=framework, code="XX-C01")
    assert cooking.alt_labels == ["cucinare", "fare da mangiare"]  # deduplicated
    assert [c.code for c in cooking.children.all()] == ["XX-A01"]
    assert cook.requires.get().target == cooking
