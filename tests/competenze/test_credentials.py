"""Open Badges 3.0 credentials: signed with the key published in the JWKS, refused when any
character changes, revoked through the status list, exported by the command and for Europass."""

import base64
import io
import json

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.urls import reverse

from common.exceptions import AccessDenied
from common.models import AccessLog
from competenze.credentials import keys, openbadges, status_list, vcjwt
from competenze.models import ConceptExternalCode
from competenze.services import credentials as service
from competenze.services import idvcc
from competenze.services.people import skill_entry_add
from tests.competenze.idvcc_helpers import world
from tests.conftest import client_for
from tests.factories import (
    AssessorFactory,
    ConceptFactory,
    CounsellorFactory,
    EmployerUserFactory,
)

pytestmark = pytest.mark.django_db
B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
ESCO = "http://data.europa.eu/esco/skill/0a2b3c4d-1111-2222-3333-444455556666"


@pytest.fixture(autouse=True)
def key_dir(settings, tmp_path):
    settings.PONTE_CREDENTIALS_KEY_DIR = tmp_path / "keys"
    return settings.PONTE_CREDENTIALS_KEY_DIR


@pytest.fixture
def certified():
    w = world()
    ConceptExternalCode.objects.create(concept=w.entry.concept, system="esco", code=ESCO)
    w.validate(method="osservazione")
    w.certify()
    return w


def _issue(w):
    (credential,) = service.person_credentials_issue(person=w.person, user=w.counsellor)
    return credential


def _jwks(client):
    response = client.get(reverse("credentials:jwks"))
    assert response.status_code == 200 and response["Content-Type"] == "application/jwk-set+json"
    return response.json()


def test_credential_verifies_with_the_published_key_and_is_an_open_badge(client, certified):
    credential = _issue(certified)
    header = jwt.get_unverified_header(credential.token)
    (published,) = [k for k in _jwks(client)["keys"] if k["kid"] == header["kid"]]
    assert set(published) == {"kty", "crv", "x", "kid", "alg", "use"}  # public part only
    payload = jwt.decode(credential.token, jwt.PyJWK(published).key, algorithms=["EdDSA"])
    assert header["alg"] == "EdDSA" and header["typ"] == "JWT"
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert payload["iss"] == payload["issuer"]["id"] and payload["jti"] == payload["id"]
    assert payload["sub"] == payload["credentialSubject"]["id"]
    assert payload["issuer"]["name"] == certified.certifier.organisation.name
    achievement = payload["credentialSubject"]["achievement"]
    assert achievement["name"] == "Preparare i primi piatti"
    assert achievement["achievementType"] == "Competency"
    targets = {a["targetFramework"]: a for a in achievement["alignment"]}
    assert targets["ESCO"]["targetUrl"] == ESCO
    assert (
        targets[certified.entry.concept.framework.name]["targetCode"]
        == certified.entry.concept.code
    )
    status = payload["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"
    assert "LOM-2026-0042" in json.dumps(payload["evidence"])
    assert service.credential_verify(token=credential.token).verdict == "valida"


def test_the_credential_names_nobody_but_lets_the_holder_prove_it_is_theirs(certified):
    token = _issue(certified).token
    text = base64.urlsafe_b64decode(token.split(".")[1] + "==").decode()
    for revealing in ("Gennaro", "Esposito", certified.person.pseudonym, "sessanta persone"):
        assert revealing not in text
    identity = jwt.decode(token, options={"verify_signature": False})["credentialSubject"]
    (hashed,) = identity["identifier"]
    assert hashed["identityHash"] == openbadges.name_identity_hash(
        "gennaro  ESPOSITO", hashed["salt"]
    )


def test_changing_any_one_character_makes_the_credential_fail(certified):
    token = _issue(certified).token
    assert len(token) > 1500
    for position, char in enumerate(token):
        if char == ".":
            continue
        other = B64URL[(B64URL.index(char) + 1) % len(B64URL)]
        changed = token[:position] + other + token[position + 1 :]
        assert service.credential_verify(token=changed).verdict != "valida", position


def test_a_changed_claim_with_the_old_signature_is_altered(certified):
    header, payload, signature = _issue(certified).token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["credentialSubject"]["achievement"]["name"] = "Dirigere una cucina stellata"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    result = service.credential_verify(token=f"{header}.{forged}.{signature}")
    assert result.verdict == "alterata" and "non corrisponde" in result.message


def test_a_credential_signed_by_another_key_is_not_recognised(certified):
    payload = jwt.decode(_issue(certified).token, options={"verify_signature": False})
    stranger = keys.SigningKey(kid="estranea", created="", private_key=Ed25519PrivateKey.generate())
    assert (
        service.credential_verify(token=vcjwt.sign(payload, stranger)).verdict
        == "chiave_sconosciuta"
    )
    assert service.credential_verify(token="non è una credenziale").verdict == "illeggibile"


def test_revocation_sets_the_bit_in_the_signed_status_list(client, certified):
    credential = _issue(certified)
    idvcc.skill_entry_stage_revoke(
        entry=certified.entry, revoked_by=certified.certifier, note="Attestato annullato."
    )
    result = service.credential_verify(token=credential.token)
    assert result.verdict == "revocata" and result.revoked_at is not None
    status = jwt.decode(credential.token, options={"verify_signature": False})["credentialStatus"]
    listed = client.get(status["statusListCredential"].removeprefix("https://ponte.example"))
    assert listed.status_code == 200 and listed["Content-Type"] == "application/vc+jwt"
    decoded = vcjwt.verify(listed.content.decode(), _jwks(client))
    assert decoded.verdict == "valida"
    encoded = decoded.payload["credentialSubject"]["encodedList"]
    assert status_list.is_set(encoded, int(status["statusListIndex"]))
    assert len(status_list.decode(encoded)) * 8 == status_list.SIZE


def test_export_gives_the_same_credential_again(certified):
    first = _issue(certified)
    again = _issue(certified)
    assert again.pk == first.pk and again.token == first.token
    assert AccessLog.objects.filter(data_category="credenziali", action="export").count() == 2


def test_only_the_counsellor_or_the_person_exports(certified):
    for outsider in (
        CounsellorFactory(),
        EmployerUserFactory(),
        AssessorFactory(),
        certified.assessor,
    ):
        with pytest.raises(AccessDenied):
            service.person_credentials_issue(person=certified.person, user=outsider)
    url = reverse("api:competenze:person-credentials-export", args=[certified.person.pseudonym])
    assert client_for(EmployerUserFactory()).post(url).status_code == 404
    response = client_for(certified.counsellor).post(url)
    assert response.status_code == 200 and len(response.json()) == 1


def test_a_rotated_key_signs_new_credentials_and_the_old_ones_still_verify(client):
    first_world, second_world = world(), world()
    first_world.validate()
    old = _issue(first_world)
    call_command("credentials_keys", "--rotate", stdout=io.StringIO())
    second_world.validate()
    new = _issue(second_world)
    assert new.kid != old.kid and {old.kid, new.kid} <= {k["kid"] for k in _jwks(client)["keys"]}
    assert service.credential_verify(token=old.token).verdict == "valida"
    assert service.credential_verify(token=new.token).verdict == "valida"


def test_europass_export_lists_validated_learning_outcomes(certified):
    document = service.person_learning_model_export(
        person=certified.person, user=certified.counsellor
    )
    assert document["type"] == ["VerifiableCredential", "EuropeanDigitalCredential"]
    (claim,) = document["credentialSubject"]["hasClaim"]
    assert claim["type"] == "LearningAchievement" and claim["title"] == {
        "it": "Preparare i primi piatti"
    }
    (outcome,) = claim["learningOutcome"]
    assert outcome["relatedESCOSkill"][0]["id"] == ESCO
    body = claim["awardedBy"]["awardingBody"][0]
    assert body["legalName"] == {"it": certified.certifier.organisation.name}
    assert "LOM-2026-0042" in claim["additionalNote"][0]["noteLiteral"]["it"]
    assert document["credentialSubject"]["givenName"] == {"it": "Gennaro"}


def test_credentials_export_command_writes_one_jwt_per_assessed_competence(tmp_path, certified):
    skill_entry_add(
        person=certified.person,
        concept=ConceptFactory(),
        source="operatore",
        recorded_by=certified.counsellor,
    )  # only identified: no credential
    output = tmp_path / "export"
    call_command(
        "credentials_export",
        "--person",
        certified.person.pseudonym,
        "--output",
        str(output),
        stdout=io.StringIO(),
    )
    tokens = sorted(output.glob("*.jwt"))
    assert len(tokens) == 1
    assert service.credential_verify(token=tokens[0].read_text()).verdict == "valida"
    europass = json.loads((output / f"europass-{certified.person.pseudonym}.jsonld").read_text())
    assert len(europass["credentialSubject"]["hasClaim"]) == 1
    audit = AccessLog.objects.filter(subject=certified.person.pseudonym, action="export")
    assert audit.filter(actor=None).count() == 2
