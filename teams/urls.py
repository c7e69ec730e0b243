from django.urls import include, path

from . import views

app_name = "teams"

urlpatterns = [
    path("", views.team_list, name="list"),
    path("<int:pk>/", views.team_detail, name="detail"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke_view, name="invitation_revoke"),
    path("", include("teams.rota.urls")),
]
