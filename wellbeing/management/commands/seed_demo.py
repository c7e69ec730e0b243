from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wellbeing.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_demo


class Command(BaseCommand):
    help = "Create the made-up demo organisation, teams and people (safe to run again)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            # The demo admin has a published password and second factor: never in production.
            raise CommandError(
                "seed_demo only runs with DEBUG on: it creates an admin whose password and "
                "two-step secret are published."
            )
        sign_ins = seed_demo()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in at the site with:"))
        width = max((len(sign_in.role) for sign_in in sign_ins), default=0)
        for sign_in in sign_ins:
            note = f"  ({sign_in.note})" if sign_in.note else ""
            self.stdout.write(f"  {sign_in.role:<{width}}  {sign_in.email}{note}")
        self.stdout.write(f"  Password for all of them: {DEMO_PASSWORD}")
        self.stdout.write(
            f"  Two-factor code for the admin and coach: add the secret {DEMO_TOTP_SECRET} to an "
            "authenticator app, or run: .venv/bin/python manage.py demo_code"
        )
