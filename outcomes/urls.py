"""Outcomes' pages: for staff under /outcomes/, for the person and their family under /my/."""

from .views import dashboards, funds, own, privacy, staff

app_name = "outcomes"

urlpatterns = [
    *staff.urlpatterns,
    *privacy.urlpatterns,
    *dashboards.urlpatterns,
    *funds.urlpatterns,
    *own.urlpatterns,
]
