"""Dutch dates: "7 december 2026" written out and "07-12-2026" short (day, month and
year with hyphens and leading zeros, as Dutch forms and letters write a date), with the
24-hour clock. Django's own Dutch short date "7-12-2026" drops the zeros; with them the
dates in a column line up.

A day and month written short is "7 dec" (Django's ``b``, the lower-case abbreviation
from its Dutch catalogue: jan, feb, mrt, … mei, … dec); Dutch writes month names and
their abbreviations in lower case."""

DATE_FORMAT = "j F Y"  # 7 december 2026
DATETIME_FORMAT = "j F Y H:i"  # 7 december 2026 14:30
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"  # december 2026
MONTH_DAY_FORMAT = "j b"  # 7 dec
SHORT_DATE_FORMAT = "d-m-Y"  # 07-12-2026
SHORT_DATETIME_FORMAT = "d-m-Y H:i"  # 07-12-2026 14:30
FIRST_DAY_OF_WEEK = 1  # Monday
