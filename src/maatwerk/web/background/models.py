"""What the background work did, so that it never does it twice."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class DoneOnce(models.Model):
    """An effect of background work that must happen at most once (an e-mail for one
    event, one reminder for one prompt). The unique key is the claim: whoever inserts it
    first does the work, every later attempt finds it and does nothing."""

    key = models.CharField(max_length=200, unique=True)
    claimed_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # What happened, for the operator: "sent", or the error class when it failed.
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["claimed_at"])]

    def __str__(self) -> str:
        return self.key


class PeriodicTick(models.Model):
    """One minute of the periodic clock, recorded by the first worker that ran its tick."""

    slot = models.DateTimeField(unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-slot"]

    def __str__(self) -> str:
        return self.slot.isoformat()


class PeriodicJobRun(models.Model):
    """One periodic job in one tick: claimed by inserting this row, so two workers that
    process the same tick never run the job twice for it."""

    tick = models.ForeignKey(PeriodicTick, on_delete=models.CASCADE, related_name="runs")
    job = models.CharField(max_length=200)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # How many things the job did (its return value); empty when it failed.
    done = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tick", "job"], name="one_run_per_job_per_tick")
        ]

    def __str__(self) -> str:
        return f"{self.job} @ {self.tick_id}"
