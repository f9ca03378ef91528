"""CORS for the API-key routes (timers, jobs, tasks): only the origins listed in
``CORS_API_ALLOWED_ORIGINS``. django-cors-headers serves the public withdrawal routes
(``CORS_URLS_REGEX``, ``CORS_ALLOWED_ORIGINS``); this lets it answer these too."""

import re
from typing import Any

from corsheaders.signals import check_request_enabled
from django.conf import settings
from django.http import HttpRequest


def api_origin_allowed(sender: Any, request: HttpRequest, **kwargs: Any) -> bool:
    origin = request.headers.get("Origin", "")
    return bool(
        origin
        and origin in settings.CORS_API_ALLOWED_ORIGINS
        and re.match(settings.CORS_API_PATHS, request.path_info)
    )


check_request_enabled.connect(api_origin_allowed, dispatch_uid="core.cors.api_origin_allowed")
