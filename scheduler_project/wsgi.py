import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

from scheduler_project.serve import end_with_server

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scheduler_project.settings")
application = get_wsgi_application()
end_with_server()
if not settings.API_KEY:
    raise ImproperlyConfigured(
        "API_KEY must be set for the web server, at least 32 characters "
        "(`make run` writes a random one to .env)"
    )
