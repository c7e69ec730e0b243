"""Outcomes' pages, one module per audience: the team (staff), admins (privacy), the team's
figures (dashboards), and the person and their family (own). Each lists its `urlpatterns`."""
