from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "scheduler_project.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        # The operations checks run after every worker heartbeat (core.heartbeat), which
        # cannot call them itself: core imports nothing above it.
        from scheduler_project.core.signals import heartbeat_written
        from scheduler_project.ops import monitoring

        heartbeat_written.connect(monitoring.check_after_heartbeat, dispatch_uid="ops.monitoring.check")
