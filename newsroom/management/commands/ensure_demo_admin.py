import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from newsroom.loading.demo_site import DEMO_URL


class Command(BaseCommand):
    help = "Create or reset the demo superuser and print its login (development only)."

    def handle(self, *args, **options):
        username = os.environ.get("DEMO_ADMIN_USER", "admin")
        password = os.environ.get("DEMO_ADMIN_PASSWORD", "newsroom-demo")
        User = get_user_model()
        user, _ = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            f"Admin: {DEMO_URL}/admin/  user: {username}  password: {password}"
        )
