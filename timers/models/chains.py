"""What the chain poll keeps per JSON-RPC endpoint: its polling cadence and errors (every
chain job on one ``rpc_url`` shares one poll), the block hashes it saw (to find where a
reorganisation began) and the logs fired per job (to fire each once, and to report one
that a reorganisation removed)."""

from django.db import models

from timers.models.jobs import Job
from timers.models.timers import Timer


class ChainEndpoint(models.Model):
    url = models.URLField(max_length=2048)
    url_hash = models.CharField(max_length=64, unique=True)  # sha256 of url: a short unique key
    chain_id = models.PositiveBigIntegerField(null=True, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True)
    # The worker process polling it (its heartbeat's instance): when that process is found
    # dead its poll is taken back at once rather than when the poll's lease runs out.
    holder = models.UUIDField(null=True, blank=True, editable=False)
    head_block = models.PositiveBigIntegerField(null=True, blank=True)
    head_seen_at = models.DateTimeField(null=True, blank=True)
    # The widest eth_getLogs range the node accepted since it last refused one.
    range_limit = models.PositiveIntegerField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)  # consecutive: the back-off's exponent
    last_error = models.TextField(blank=True, default="")
    last_error_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["next_poll_at"], name="chain_endpoint_next_poll")]

    def __str__(self) -> str:
        return self.url


class ChainBlock(models.Model):
    """A block hash as the poll last saw it, kept for the last blocks of each endpoint."""

    endpoint = models.ForeignKey(ChainEndpoint, on_delete=models.CASCADE, related_name="blocks")
    number = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=66)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["endpoint", "number"], name="chain_block_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.hash}"


class ChainLog(models.Model):
    """A log fired to a job (and, if a reorganisation dropped it, its removal)."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="chain_logs", db_index=False)
    log_id = models.CharField(max_length=140)  # transactionHash:logIndex
    block_number = models.PositiveBigIntegerField()
    block_hash = models.CharField(max_length=66)
    task = models.ForeignKey(Timer, models.SET_NULL, null=True, blank=True, related_name="+")
    removed_task = models.ForeignKey(Timer, models.SET_NULL, null=True, blank=True, related_name="+")
    fired_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "log_id"], name="chain_log_unique")]
        indexes = [models.Index(fields=["job", "block_number"], name="chain_log_job_block")]

    def __str__(self) -> str:
        return self.log_id
