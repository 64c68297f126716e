"""Pages of namespace "competenze" (counsellors, trainees, assessors); the API has its own
URLs in competenze/api/urls.py."""

from django.urls import path

from portal.views import (
    contacts,
    counsellor,
    credentials,
    documents,
    idvcc,
    interview_cards,
    interviews,
    opportunities,
    profile,
    trainee,
    what_if,
)

P = "operatore/persone/<str:pseudonym>/"
IV = "operatore/colloqui/<int:interview_id>/"

urlpatterns = [
    # counsellor: caseload and person file
    path("operatore/", counsellor.caseload, name="caseload"),
    path("operatore/richieste/<int:request_id>/", contacts.contact_answer, name="contact-answer"),
    path(
        "operatore/interessi/<int:interest_id>/", contacts.interest_answer, name="interest-answer"
    ),
    path("operatore/persone/nuova/", counsellor.person_new, name="person-new"),
    path(P, counsellor.person_detail, name="person-detail"),
    path(P + "identita/", counsellor.person_identity, name="person-identity"),
    path(P + "lingua/", counsellor.person_language, name="person-language"),
    path(P + "misure/mostra/", counsellor.person_measures, name="person-measures"),
    path(P + "misure/", counsellor.measure_add, name="measure-add"),
    path(P + "consensi/", counsellor.consent_give, name="consent-give"),
    path(P + "consensi/<int:consent_id>/revoca/", counsellor.consent_revoke, name="consent-revoke"),
    path(P + "consensi/<int:consent_id>/rinnova/", counsellor.consent_renew, name="consent-renew"),
    path(
        P + "consensi/<int:consent_id>/archivia/",
        counsellor.consent_renewal_dismiss,
        name="consent-renewal-dismiss",
    ),
    path(P + "esperienze/", counsellor.experience_add, name="experience-add"),
    # guided interview
    path(P + "colloqui/", interviews.interview_start, name="interview-start"),
    path(IV, interviews.interview_screen, name="interview"),
    path(IV + "risposta/", interviews.interview_answer, name="interview-answer"),
    path(
        IV + "risposte/<str:question_id>/suggerimenti/",
        interviews.answer_panel,
        name="answer-panel",
    ),
    path(IV + "riepilogo/", interviews.interview_review, name="interview-review"),
    path(IV + "concludi/", interviews.interview_complete, name="interview-complete"),
    path(IV + "competenze/", interview_cards.interview_cards, name="interview-cards"),
    path(
        IV + "competenze/blocco/", interview_cards.interview_cards_bulk, name="interview-cards-bulk"
    ),
    path(
        IV + "competenze/blocco/<int:batch_id>/annulla/",
        interview_cards.interview_cards_undo,
        name="interview-cards-undo",
    ),
    path(
        "operatore/suggerimenti/<int:suggestion_id>/",
        interviews.suggestion_decide,
        name="suggestion-decide",
    ),
    # skill profile, evidence, printable summary
    path(P + "competenze/", profile.profile, name="profile"),
    path(P + "competenze/stampa/", profile.profile_print, name="profile-print"),
    path(P + "competenze/<int:entry_id>/livello/", profile.skill_level, name="skill-level"),
    path(P + "competenze/<int:entry_id>/rimuovi/", profile.skill_remove, name="skill-remove"),
    path(P + "evidenze/", profile.evidence_upload, name="evidence-upload"),
    path("evidenze/<int:evidence_id>/file/", profile.evidence_file, name="evidence-file"),
    # opportunities and proposals
    path(P + "opportunita/", opportunities.person_opportunities, name="opportunities"),
    path(P + "opportunita/proponi/", opportunities.propose, name="propose"),
    path(
        "operatore/proposte/<int:proposal_id>/bozza/",
        opportunities.proposal_draft,
        name="proposal-draft",
    ),
    path(P + "opportunita/se/", what_if.person_what_if, name="what-if"),
    # trainee
    path("io/", trainee.home, name="trainee-home"),
    path("io/corsi/", trainee.courses, name="trainee-courses"),
    path("io/corsi/<int:course_id>/interesse/", trainee.course_interest, name="trainee-interest"),
    # IDVCC: requests, stage history, assessors' and certifying bodies' work
    path(P + "competenze/<int:entry_id>/richiesta/", idvcc.stage_request, name="stage-request"),
    path(P + "competenze/<int:entry_id>/fasi/", idvcc.stage_history, name="stage-history"),
    path(
        P + "richieste/<int:request_id>/ritira/",
        idvcc.stage_request_withdraw,
        name="stage-request-withdraw",
    ),
    path("valutazione/", idvcc.worklist, name="idvcc-worklist"),
    path("valutazione/richieste/<int:request_id>/", idvcc.assessment, name="idvcc-assessment"),
    path(
        "valutazione/richieste/<int:request_id>/evidenze/",
        idvcc.assessment_evidence_upload,
        name="idvcc-evidence-upload",
    ),
    path(
        "valutazione/evidenze/<int:evidence_id>/file/",
        idvcc.assessment_evidence_file,
        name="idvcc-evidence-file",
    ),
    path("valutazione/competenze/<int:entry_id>/revoca/", idvcc.stage_revoke, name="idvcc-revoke"),
    # documents and credentials the person keeps; the public verification page
    path("persone/<str:pseudonym>/documenti/", documents.documents, name="documents"),
    path(
        "persone/<str:pseudonym>/credenziali/", credentials.person_credentials, name="credentials"
    ),
    path(
        "persone/<str:pseudonym>/credenziali/europass/",
        credentials.learning_model_download,
        name="credentials-europass",
    ),
    path(
        "persone/<str:pseudonym>/credenziali/<str:credential_id>/",
        credentials.credential_download,
        name="credential-download",
    ),
    path("verifica/", credentials.verify, name="credentials-verify"),
]
