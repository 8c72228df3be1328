"""English dates as written in the Netherlands, where Maatwerk's English interface is
used: day first, British style ("7 Dec 2026", "07/12/2026"), with the 24-hour clock.

Django's ``en`` defaults are American ("Dec. 7, 2026", "12/07/2026", "2:30 p.m."): a
Dutch reader takes 12/07/2026 for 12 July. British style keeps the day first as every
other date in Maatwerk's texts does, in a form an English reader still recognises,
where an ISO-like "7-12-2026" would look foreign in English text. Input formats stay
Django's: date fields are the browser's date picker, which sends ISO dates.

A day and month written short is "7 Dec"."""

DATE_FORMAT = "j M Y"  # 7 Dec 2026
DATETIME_FORMAT = "j M Y, H:i"  # 7 Dec 2026, 14:30
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"  # December 2026
MONTH_DAY_FORMAT = "j M"  # 7 Dec
SHORT_DATE_FORMAT = "d/m/Y"  # 07/12/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 07/12/2026 14:30
FIRST_DAY_OF_WEEK = 1  # Monday, as in the Netherlands
