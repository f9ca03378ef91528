import os

from scheduler_project.serve import end_with_server

end_with_server()  # first: loading Django takes a while, and the server may die meanwhile

from django.conf import settings  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scheduler_project.settings")
application = get_wsgi_application()
if not settings.API_KEY:
    raise ImproperlyConfigured(
        "API_KEY must be set for the web server, at least 32 characters "
        "(`make run` writes a random one to .env)"
    )
