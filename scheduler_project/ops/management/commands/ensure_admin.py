"""``manage.py ensure_admin``: the staff login ``ADMIN_LOGIN`` names, created or brought in line.

``make run`` runs it after migrating, so the admin and the console open with the login its
``.env`` holds; the environment wins, so a password changed there is the password from the
next start on. Without ``ADMIN_LOGIN`` it does nothing (``make superuser`` makes a login).
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create or update the superuser named by ADMIN_LOGIN (name:password), if it is set."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.ADMIN_LOGIN:
            return
        name, _, password = settings.ADMIN_LOGIN.partition(":")
        user, created = get_user_model()._default_manager.get_or_create(username=name.strip())
        changed = created or not (user.is_staff and user.is_superuser and user.is_active)
        user.is_staff = user.is_superuser = user.is_active = True
        if not user.check_password(password):
            user.set_password(password)
            changed = True
        if changed:
            user.save()
            done = "created" if created else "updated"
            self.stdout.write(f"admin login {user.username!r} {done} (ADMIN_LOGIN)")
