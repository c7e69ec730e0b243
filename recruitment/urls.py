from .views import measures, panel, public, reports, staff, survey

app_name = "recruitment"

urlpatterns = [
    *public.urlpatterns,
    *staff.urlpatterns,
    *panel.urlpatterns,
    *survey.urlpatterns,
    *reports.urlpatterns,
    *measures.urlpatterns,
]
