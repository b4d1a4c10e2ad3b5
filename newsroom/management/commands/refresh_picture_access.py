from django.core.management.base import BaseCommand

from newsroom.channels.pictures import page_changed, refresh_picture_access
from newsroom.models import PressReleasePage


class Command(BaseCommand):
    help = (
        "Work out again which pictures may be served to anyone: those a published "
        "release or another public page or snippet uses. Run once after "
        "0016_picture_rights, which leaves every existing picture public."
    )

    def handle(self, *args, **options):
        # The reference index is brought up to date release by release first (it
        # is otherwise filled by a background task).
        for release in PressReleasePage.objects.all().iterator():
            page_changed(release)
        changed = refresh_picture_access()
        self.stdout.write(f"{changed} picture(s) changed access.")
