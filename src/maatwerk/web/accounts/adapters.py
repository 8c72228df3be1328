from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from maatwerk.web.common.middleware import client_address


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Nobody registers themselves: clinicians register patients and admins add staff.
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        # The same address the audit trail records, with X-Forwarded-For trusted only
        # as far as MAATWERK_TRUSTED_PROXY_COUNT says.
        return client_address(request)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: str) -> str:
        # Failed logins are counted per (account, client address): someone guessing a
        # password from elsewhere slows down only themselves, never the account's owner.
        # Guessing from many addresses still meets the per-address limit at each of them.
        account_key: str = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account_key}@{client_address(request)}"
