"""The blog's pages: reading and commenting (public.py), writing and moderating (manage.py)."""
