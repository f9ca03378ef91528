from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    """The operators' console: an app of its own so that its templates and static files
    (htmx, the stylesheet) are found where it lives."""

    name = "scheduler_project.ops.console"
    label = "console"
    verbose_name = "Console"
