from django.db import models
from django.utils import timezone


class PeriodicJob(models.Model):
    """When a periodic job is next due. Workers claim a run with a conditional UPDATE, so
    however many workers run, each run happens once."""

    name = models.CharField(max_length=100, primary_key=True)
    next_run_at = models.DateTimeField(default=timezone.now)
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class WorkerHeartbeat(models.Model):
    """That a `tiketti worker` process ran, and when it last said so. Each process beats
    every half minute; the desk and `tiketti worker --check` read the newest beat."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"
