from django.urls import path

from . import views

urlpatterns = [
    path("invitation/", views.invitation_accept_view, name="invitation_accept_page"),
    path("invitation/<str:token>/", views.invitation_link, name="invitation_accept"),
    path("api-tokens/", views.api_tokens_view, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", views.api_token_revoke_view, name="api_token_revoke"),
]
