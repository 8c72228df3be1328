"""English: a day and month written short is "7 Dec" (day first, as every other date
in Maatwerk's English texts)."""

MONTH_DAY_FORMAT = "j M"
