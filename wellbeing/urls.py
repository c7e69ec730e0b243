from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_control
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from blog.api import BlogImageViewSet, BlogPostViewSet, BlogTagViewSet, MyPostViewSet
from outcomes.api import (
    FundViewSet,
    OutcomeViewSet,
    PersonViewSet,
    ReviewViewSet,
    SuggestionViewSet,
)
from recruitment.api import (
    AssessmentView,
    CandidateViewSet,
    ExperimentViewSet,
    RoundViewSet,
    SurveyResultsView,
)
from teams.api import TeamViewSet
from teams.checkins.api import ActionViewSet, CheckInViewSet
from teams.decisions.api import DecisionViewSet
from teams.pulse.api import PulseViewSet
from teams.roles.api import RoleAssignmentViewSet, RoleViewSet
from teams.rota.api import ROUTES as ROTA_ROUTES
from values.api import StoryViewSet, ValueViewSet
from wellbeing.accounts.api import MeView

from . import views

admin.site.site_header = "wellbeing administration"
# The admin's own login would take a password alone: send it through allauth's sign-in, with
# its second factor and rate limits.
admin.site.login = secure_admin_login(admin.site.login)

router = DefaultRouter()
router.register("teams", TeamViewSet, basename="team")
router.register("roles", RoleViewSet, basename="role")
router.register("role-assignments", RoleAssignmentViewSet, basename="role-assignment")
router.register("checkins", CheckInViewSet, basename="checkin")
router.register("actions", ActionViewSet, basename="action")
router.register("pulses", PulseViewSet, basename="pulse")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("values", ValueViewSet, basename="value")
router.register("stories", StoryViewSet, basename="story")
router.register("rounds", RoundViewSet, basename="round")
router.register("candidates", CandidateViewSet, basename="candidate")
router.register("experiments", ExperimentViewSet, basename="experiment")
for prefix, viewset, basename in ROTA_ROUTES:
    router.register(prefix, viewset, basename=basename)
router.register("people", PersonViewSet, basename="person")
router.register("outcomes", OutcomeViewSet, basename="outcome")
router.register("reviews", ReviewViewSet, basename="review")
router.register("suggestions", SuggestionViewSet, basename="suggestion")
router.register("funds", FundViewSet, basename="fund")
router.register("blog/posts", BlogPostViewSet, basename="blog-post")
router.register("blog/tags", BlogTagViewSet, basename="blog-tag")
router.register("blog/my-posts", MyPostViewSet, basename="blog-my-post")
router.register("blog/images", BlogImageViewSet, basename="blog-image")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("privacy/", views.privacy, name="privacy"),
    path("accounts/", include("wellbeing.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("teams/", include("teams.urls")),
    path("values/", include("values.urls")),
    path("recruitment/", include("recruitment.urls")),
    # /outcomes/ for the team, /my/ for the person supported and their family.
    path("", include("outcomes.urls")),
    path("blog/", include("blog.urls")),
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


# Each stored picture has a name of its own, so browsers may keep it for good.
@cache_control(public=True, max_age=31536000, immutable=True)
def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.MEDIA_SERVED_BY_APP:
    # Blog pictures from the local media folder (with object storage, the bucket serves them).
    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", media)]

handler400 = "wellbeing.views.error_400"
handler403 = "wellbeing.views.error_403"
handler404 = "wellbeing.views.error_404"
handler500 = "wellbeing.views.error_500"
