"""The project's date formats per language (``FORMAT_MODULE_PATH``), on top of Django's.

Only what Django's own locale gets wrong for Maatwerk is set here; every other format
comes from Django's module for the language. A template names the format
(``|date:"MONTH_DAY_FORMAT"``) instead of writing letters such as ``"j M"``: Django's
``M`` capitalizes the month ("7 Dec"), which is right in English and wrong in Dutch.
"""
