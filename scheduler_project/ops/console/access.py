"""Who may open the console: staff, logged in through the admin's login (one session for
both). Anyone else is sent to that login and back; a logged-in user who is not staff is
refused. A page's own refresh (htmx) whose session has ended takes the whole page to the
login, rather than the login form into the page."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            if request.headers.get("HX-Request"):
                return HttpResponse(headers={"HX-Redirect": reverse("admin:login")})
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not (user.is_active and user.is_staff):
            raise PermissionDenied("the console is for staff")
        return view(request, *args, **kwargs)

    return guarded
