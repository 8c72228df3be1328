"""Contact data needed to act on a patient's safety: phone numbers, parsed and normalized."""

from maatwerk.core.contact.phone import InvalidPhoneNumber, PhoneNumber, parse_phone_number

__all__ = ["InvalidPhoneNumber", "PhoneNumber", "parse_phone_number"]
