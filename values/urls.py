from django.urls import path

from . import views

app_name = "values"

urlpatterns = [
    path("", views.values_index, name="index"),
    path("insights/", views.insights, name="insights"),
    path("stories/new/", views.story_new, name="story_new"),
    path("stories/<int:pk>/edit/", views.story_edit, name="story_edit"),
    path("stories/<int:pk>/withdraw/", views.story_withdraw, name="story_withdraw"),
]
