"""What looks at everything: health, stats, workers, monitoring and alerts, the admin API
and the metrics exporter. It stands above every app and may import each; nothing below
imports it (the import-linter contracts of ``make lint``)."""
