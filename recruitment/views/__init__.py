"""Recruitment's pages, one module per audience: the public, staff, the panel, candidates
answering the survey, and the reports. Each module lists its own `urlpatterns`."""
