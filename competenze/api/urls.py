from django.urls import path

from competenze.api import framework, people

P = "people/<str:pseudonym>/"

urlpatterns = [
    path("me/", people.MeApi.as_view(), name="me"),
    path("framework/concepts/", framework.ConceptListApi.as_view(), name="concepts"),
    path("framework/concepts/<str:code>/", framework.ConceptDetailApi.as_view(),
         name="concept-detail"),
    path("municipalities/", framework.MunicipalityListApi.as_view(), name="municipalities"),
    path("people/", people.PersonListApi.as_view(), name="people"),
    path(P, people.PersonDetailApi.as_view(), name="person-detail"),
    path(P + "identity/", people.PersonIdentityApi.as_view(), name="person-identity"),
    path(P + "measures/", people.PersonMeasureListApi.as_view(), name="person-measures"),
    path(P + "consents/", people.PersonConsentListApi.as_view(), name="person-consents"),
    path(P + "consents/<int:consent_id>/revoke/", people.ConsentRevokeApi.as_view(),
         name="consent-revoke"),
    path(P + "experiences/", people.PersonExperienceListApi.as_view(),
         name="person-experiences"),
    path(P + "skills/", people.PersonSkillListApi.as_view(), name="person-skills"),
    path(P + "skills/<int:entry_id>/", people.PersonSkillDetailApi.as_view(),
         name="person-skill-detail"),
]
