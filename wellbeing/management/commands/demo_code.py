import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wellbeing.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo admin and coach (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo codes exist only in the embedded development set-up.")
        period = app_settings.TOTP_PERIOD
        counter = int(time.time()) // period
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter))
        remaining = period - int(time.time()) % period
        self.stdout.write(f"{code}  (valid for {remaining} more seconds)")
