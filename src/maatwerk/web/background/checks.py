"""System check: every periodic job in the settings can be imported and called."""

from __future__ import annotations

from django.core import checks

from maatwerk.web.background.periodic import load_job, periodic_jobs


@checks.register()
def periodic_jobs_importable(**_: object) -> list[checks.CheckMessage]:
    problems: list[checks.CheckMessage] = []
    for path in periodic_jobs():
        try:
            load_job(path)
        except (ImportError, TypeError) as error:
            problems.append(
                checks.Error(
                    f"MAATWERK_PERIODIC_JOBS lists {path!r}, which cannot be used: {error}",
                    hint="List dotted paths of functions `job(now: datetime) -> int`.",
                    id="background.E001",
                )
            )
    return problems
