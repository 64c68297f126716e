"""Web pages of the competenze app (namespace "competenze"); the API has competenze/api/urls.py."""

from django.urls import path

from competenze.views import counsellor, interviews, opportunities, profile, trainee, what_if

P = "operatore/persone/<str:pseudonym>/"
IV = "operatore/colloqui/<int:interview_id>/"

urlpatterns = [
    # counsellor: caseload and person file
    path("operatore/", counsellor.caseload, name="caseload"),
    path("operatore/persone/nuova/", counsellor.person_new, name="person-new"),
    path(P, counsellor.person_detail, name="person-detail"),
    path(P + "identita/", counsellor.person_identity, name="person-identity"),
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
    path(
        "operatore/suggerimenti/<int:suggestion_id>/",
        interviews.suggestion_decide,
        name="suggestion-decide",
    ),
    # skill profile, evidence, printable summary
    path(P + "competenze/", profile.profile, name="profile"),
    path(P + "competenze/stampa/", profile.profile_print, name="profile-print"),
    path(P + "competenze/<int:entry_id>/fase/", profile.skill_stage, name="skill-stage"),
    path(P + "competenze/<int:entry_id>/livello/", profile.skill_level, name="skill-level"),
    path(P + "competenze/<int:entry_id>/rimuovi/", profile.skill_remove, name="skill-remove"),
    path(P + "evidenze/", profile.evidence_upload, name="evidence-upload"),
    path("evidenze/<int:evidence_id>/file/", profile.evidence_file, name="evidence-file"),
    # opportunities and proposals
    path(P + "opportunita/", opportunities.person_opportunities, name="opportunities"),
    path(P + "opportunita/proponi/", opportunities.propose, name="propose"),
    path(P + "opportunita/se/", what_if.person_what_if, name="what-if"),
    # trainee
    path("io/", trainee.home, name="trainee-home"),
    path("io/corsi/", trainee.courses, name="trainee-courses"),
    path("io/corsi/<int:course_id>/interesse/", trainee.course_interest, name="trainee-interest"),
]
