from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from recruitment.api import (
    AssessmentView,
    CandidateViewSet,
    ExperimentViewSet,
    RoundViewSet,
    SurveyResultsView,
)
from teams.api import TeamViewSet
from values.api import StoryViewSet, ValueViewSet
from wellbeing.accounts.api import MeView

from . import views

admin.site.site_header = "wellbeing administration"
# The admin's own login would take a password alone: send it through allauth's sign-in, with
# its second factor and rate limits.
admin.site.login = secure_admin_login(admin.site.login)

router = DefaultRouter()
router.register("teams", TeamViewSet, basename="team")
router.register("values", ValueViewSet, basename="value")
router.register("stories", StoryViewSet, basename="story")
router.register("rounds", RoundViewSet, basename="round")
router.register("candidates", CandidateViewSet, basename="candidate")
router.register("experiments", ExperimentViewSet, basename="experiment")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("privacy/", views.privacy, name="privacy"),
    path("accounts/", include("wellbeing.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("teams/", include("teams.urls")),
    path("values/", include("values.urls")),
    path("recruitment/", include("recruitment.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/me/", MeView.as_view(), name="api-me"),
    path(
        "api/v1/rounds/<int:pk>/survey-results/",
        SurveyResultsView.as_view(),
        name="api-survey-results",
    ),
    path(
        "api/v1/candidates/<int:pk>/assessment/",
        AssessmentView.as_view(),
        name="api-candidate-assessment",
    ),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

handler400 = "wellbeing.views.error_400"
handler403 = "wellbeing.views.error_403"
handler404 = "wellbeing.views.error_404"
handler500 = "wellbeing.views.error_500"
