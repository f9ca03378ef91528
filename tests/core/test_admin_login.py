"""``manage.py ensure_admin``: make run's admin login, from ADMIN_LOGIN (the environment wins)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


def logs_in(name: str, password: str) -> bool:
    answer = Client().post("/admin/login/?next=/admin/", {"username": name, "password": password})
    return answer.status_code == 302 and answer["Location"] == "/admin/"


def test_admin_login_makes_a_superuser_who_can_log_in(settings):
    settings.ADMIN_LOGIN = "ops:first-password"

    call_command("ensure_admin")

    user = get_user_model().objects.get(username="ops")
    assert user.is_staff and user.is_superuser
    assert logs_in("ops", "first-password")


def test_a_password_changed_in_the_environment_is_the_password_from_the_next_start(settings):
    settings.ADMIN_LOGIN = "ops:first-password"
    call_command("ensure_admin")
    settings.ADMIN_LOGIN = "ops:second-password"

    call_command("ensure_admin")

    assert logs_in("ops", "second-password")
    assert not logs_in("ops", "first-password")
    assert get_user_model().objects.count() == 1


def test_without_admin_login_no_user_is_made(settings):
    settings.ADMIN_LOGIN = ""

    call_command("ensure_admin")

    assert not get_user_model().objects.exists()
