from django.urls import include, path

from . import views
from .checkins import views as checkins
from .dashboard import views as dashboard
from .decisions import views as decisions
from .home import views as home
from .pulse import views as pulse
from .roles import views as roles

app_name = "teams"

urlpatterns = [
    path("", views.team_list, name="list"),
    path("<int:pk>/", views.team_detail, name="detail"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("home/", home.member_home, name="member_home"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke_view, name="invitation_revoke"),
    path("", include("teams.rota.urls")),
    # Roles: who does what, and who did.
    path("<int:pk>/roles/", roles.role_list, name="roles"),
    path("<int:pk>/roles/new/", roles.role_new, name="role_new"),
    path("<int:pk>/roles/<int:role_pk>/", roles.role_detail, name="role_detail"),
    path("<int:pk>/roles/<int:role_pk>/edit/", roles.role_edit, name="role_edit"),
    path("<int:pk>/roles/<int:role_pk>/assign/", roles.role_assign, name="role_assign"),
    path("<int:pk>/roles/<int:role_pk>/retire/", roles.role_retire, name="role_retire"),
    path("<int:pk>/terms/<int:assignment_pk>/end/", roles.assignment_end, name="assignment_end"),
    path(
        "<int:pk>/terms/<int:assignment_pk>/review/",
        roles.assignment_review,
        name="assignment_review",
    ),
    path("<int:pk>/members/<int:membership_pk>/", roles.member_detail, name="member"),
    # Check-ins with the coach, and the actions they agree.
    path("<int:pk>/checkins/", checkins.checkin_list, name="checkins"),
    path("<int:pk>/checkins/new/", checkins.checkin_new, name="checkin_new"),
    path("<int:pk>/checkins/plan/", checkins.checkin_plan, name="checkin_plan"),
    path("<int:pk>/checkins/cadence/", checkins.checkin_cadence, name="checkin_cadence"),
    path("<int:pk>/checkins/<int:checkin_pk>/", checkins.checkin_detail, name="checkin_detail"),
    path("<int:pk>/actions/<int:action_pk>/status/", checkins.action_status, name="action_status"),
    # The team health pulse.
    path("<int:pk>/pulse/", pulse.pulse_page, name="pulse"),
    path("<int:pk>/pulse/start/", pulse.pulse_start, name="pulse_start"),
    path("<int:pk>/pulse/<int:pulse_pk>/", pulse.pulse_detail, name="pulse_detail"),
    path("<int:pk>/pulse/<int:pulse_pk>/answer/", pulse.pulse_answer, name="pulse_answer"),
    path("<int:pk>/pulse/<int:pulse_pk>/close/", pulse.pulse_close, name="pulse_close"),
    # The decision log (the advice process).
    path("<int:pk>/decisions/", decisions.decision_list, name="decisions"),
    path("<int:pk>/decisions/new/", decisions.decision_new, name="decision_new"),
    path(
        "<int:pk>/decisions/<int:decision_pk>/",
        decisions.decision_detail,
        name="decision_detail",
    ),
    path("<int:pk>/decisions/<int:decision_pk>/advice/", decisions.advice_add, name="advice_add"),
    path(
        "<int:pk>/decisions/<int:decision_pk>/decide/",
        decisions.decision_decide,
        name="decision_decide",
    ),
    path(
        "<int:pk>/decisions/<int:decision_pk>/withdraw/",
        decisions.decision_withdraw,
        name="decision_withdraw",
    ),
]
