"""The rota's pages, under /teams/ (included from teams/urls.py as the `rota` namespace)."""

from django.urls import path

from .views import feeds, people, planning, reports, week

app_name = "rota"

urlpatterns = [
    path("rota/my-week/", week.my_week, name="my_week"),
    path("rota/visits/<int:pk>/", week.visit_detail, name="visit"),
    path("rota/visits/<int:pk>/edit/", week.visit_edit, name="visit_edit"),
    path("rota/visits/<int:pk>/record/", week.visit_record, name="visit_record"),
    path("rota/visits/<int:pk>/assign/", week.visit_assign, name="visit_assign"),
    path("rota/visits/<int:pk>/unassign/", week.visit_unassign, name="visit_unassign"),
    path("rota/visits/<int:pk>/cancel/", week.visit_cancel, name="visit_cancel"),
    path("rota/shifts/<int:pk>/delete/", week.shift_delete, name="shift_delete"),
    path("rota/offers/", week.offer_create, name="offer_create"),
    path("rota/offers/<int:pk>/accept/", week.offer_accept, name="offer_accept"),
    path("rota/offers/<int:pk>/withdraw/", week.offer_withdraw, name="offer_withdraw"),
    path("rota/offers/<int:pk>/decline/", week.offer_decline, name="offer_decline"),
    path("rota/people/<int:person_pk>/", people.person_page, name="person"),
    path("rota/people/<int:person_pk>/week/", week.person_week_page, name="person_week"),
    path("rota/patterns/<int:pk>/", planning.pattern_edit, name="pattern_edit"),
    path("rota/suggestions/<int:pk>/", planning.suggestion_detail, name="suggestion"),
    path("rota/time-off/<int:pk>/remove/", people.time_off_remove, name="time_off_remove"),
    path("rota/calendar/", feeds.calendar_page, name="calendar"),
    path("rota/calendar/renew/", feeds.calendar_renew, name="calendar_renew"),
    path("rota/calendar/revoke/", feeds.calendar_revoke, name="calendar_revoke"),
    path("rota/calendar/<str:token>.ics", feeds.calendar_feed, name="calendar_feed"),
    path("<int:team_pk>/rota/", week.team_rota, name="team"),
    path("<int:team_pk>/rota/publish/", week.week_publish, name="publish"),
    path("<int:team_pk>/rota/visits/new/", week.visit_new, name="visit_new"),
    path("<int:team_pk>/rota/shifts/new/", week.shift_new, name="shift_new"),
    path("<int:team_pk>/rota/patterns/", planning.patterns, name="patterns"),
    path("<int:team_pk>/rota/generate/", planning.generate, name="generate"),
    path("<int:team_pk>/rota/suggest/", planning.suggest, name="suggest"),
    path("<int:team_pk>/rota/skills/", planning.skills, name="skills"),
    path("<int:team_pk>/rota/time/", people.time_page, name="time"),
    path("<int:team_pk>/rota/swaps/", week.team_swaps_page, name="swaps"),
    path("<int:team_pk>/rota/hours/", reports.hours, name="hours"),
]
