"""Test overlay: fast password hashing, in-memory e-mail, no throttling surprises."""

import os

os.environ.setdefault("MAATWERK_ENV", "test")

from maatwerk.web.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only, never in prod
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
