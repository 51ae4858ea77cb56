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
