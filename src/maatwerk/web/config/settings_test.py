"""Test overlay: fast password hashing, in-memory e-mail, no throttling surprises."""

import os

os.environ.setdefault("MAATWERK_ENV", "test")

from maatwerk.web.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only, never in prod
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Background tasks run at once, in the test's own thread and transaction, when enqueued
# (after commit): service tests see their e-mails without a worker. The tests of the
# background machinery itself switch to the database or RQ backend and run the real
# worker (tests/web/test_background.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
