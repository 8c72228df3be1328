"""Typed settings from the environment that fail loudly on a bad value.

Every setting read here is listed in ``.env.example``. A ``NAME_FILE`` variable, when
set, is read instead of ``NAME`` (for secrets mounted as files).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


class SettingError(Exception):
    """A setting in the environment is missing or has a value that cannot be used."""


class Env:
    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ

    def raw(self, name: str) -> str | None:
        file_path = self._environ.get(f"{name}_FILE")
        if file_path:
            try:
                content = Path(file_path).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise SettingError(f"{name}_FILE={file_path!r} cannot be read: {exc}") from exc
            return content or None
        value = self._environ.get(name)
        return None if value is None or value.strip() == "" else value.strip()

    def string(self, name: str, default: str | None = None) -> str:
        value = self.raw(name)
        if value is None:
            if default is None:
                raise SettingError(f"{name} must be set")
            return default
        return value

    def boolean(self, name: str, default: bool) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        lowered = value.lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off"}:
            return False
        raise SettingError(f"{name}={value!r} is not a boolean (use true or false)")

    def integer(self, name: str, default: int, *, minimum: int = 0) -> int:
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise SettingError(f"{name}={value!r} is not a whole number") from None
        if number < minimum:
            raise SettingError(f"{name}={number} must be at least {minimum}")
        return number

    def strings(self, name: str, default: tuple[str, ...] = ()) -> list[str]:
        value = self.raw(name)
        if value is None:
            return list(default)
        return [item.strip() for item in value.split(",") if item.strip()]

    def choice(self, name: str, choices: tuple[str, ...], default: str) -> str:
        value = self.string(name, default)
        if value not in choices:
            raise SettingError(f"{name}={value!r} must be one of: {', '.join(choices)}")
        return value
