from django.urls import path

from competenze.api import framework, idvcc, interviews, people

P = "people/<str:pseudonym>/"
IV = "interviews/<int:interview_id>/"

urlpatterns = [
    path("me/", people.MeApi.as_view(), name="me"),
    path("framework/concepts/", framework.ConceptListApi.as_view(), name="concepts"),
    path(
        "framework/concepts/<str:code>/",
        framework.ConceptDetailApi.as_view(),
        name="concept-detail",
    ),
    path("municipalities/", framework.MunicipalityListApi.as_view(), name="municipalities"),
    path("people/", people.PersonListApi.as_view(), name="people"),
    path(P, people.PersonDetailApi.as_view(), name="person-detail"),
    path(P + "identity/", people.PersonIdentityApi.as_view(), name="person-identity"),
    path(P + "measures/", people.PersonMeasureListApi.as_view(), name="person-measures"),
    path(P + "consents/", people.PersonConsentListApi.as_view(), name="person-consents"),
    path(
        P + "consents/<int:consent_id>/revoke/",
        people.ConsentRevokeApi.as_view(),
        name="consent-revoke",
    ),
    path(P + "experiences/", people.PersonExperienceListApi.as_view(), name="person-experiences"),
    path(P + "skills/", people.PersonSkillListApi.as_view(), name="person-skills"),
    path(
        P + "skills/<int:entry_id>/",
        people.PersonSkillDetailApi.as_view(),
        name="person-skill-detail",
    ),
    path(P + "interviews/", interviews.PersonInterviewListApi.as_view(), name="person-interviews"),
    path(IV, interviews.InterviewDetailApi.as_view(), name="interview-detail"),
    path(IV + "next/", interviews.InterviewNextQuestionApi.as_view(), name="interview-next"),
    path(IV + "answers/", interviews.InterviewAnswerListApi.as_view(), name="interview-answers"),
    path(
        IV + "answers/<str:question_id>/",
        interviews.InterviewAnswerDetailApi.as_view(),
        name="interview-answer-detail",
    ),
    path(IV + "skip/", interviews.InterviewSkipApi.as_view(), name="interview-skip"),
    path(IV + "review/", interviews.InterviewReviewApi.as_view(), name="interview-review"),
    path(IV + "complete/", interviews.InterviewCompleteApi.as_view(), name="interview-complete"),
    path(
        "suggestions/<int:suggestion_id>/accept/",
        interviews.SuggestionAcceptApi.as_view(),
        name="suggestion-accept",
    ),
    path(
        "suggestions/<int:suggestion_id>/reject/",
        interviews.SuggestionRejectApi.as_view(),
        name="suggestion-reject",
    ),
    # IDVCC: requests, validation, certification, revocation, records; credentials
    path(
        "skills/<int:entry_id>/stage-records/",
        idvcc.StageRecordListApi.as_view(),
        name="stage-records",
    ),
    path(
        "skills/<int:entry_id>/stage-requests/",
        idvcc.StageRequestCreateApi.as_view(),
        name="stage-request-create",
    ),
    path("stage-requests/", idvcc.StageRequestListApi.as_view(), name="stage-requests"),
    path(
        "skills/<int:entry_id>/validation/", idvcc.SkillValidateApi.as_view(), name="skill-validate"
    ),
    path(
        "skills/<int:entry_id>/certification/",
        idvcc.SkillCertifyApi.as_view(),
        name="skill-certify",
    ),
    path(
        "skills/<int:entry_id>/revocation/",
        idvcc.SkillStageRevokeApi.as_view(),
        name="skill-revoke",
    ),
    path(
        P + "credentials/export/",
        idvcc.PersonCredentialExportApi.as_view(),
        name="person-credentials-export",
    ),
    path(
        P + "credentials/europass/",
        idvcc.PersonEuropassApi.as_view(),
        name="person-credentials-europass",
    ),
    path("credentials/verify/", idvcc.CredentialVerifyApi.as_view(), name="credential-verify"),
]
