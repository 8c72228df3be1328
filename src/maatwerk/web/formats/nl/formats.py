"""Dutch: a day and month written short is "7 dec" (Django's ``b``, the lower-case
abbreviation from its Dutch catalogue: jan, feb, mrt, … mei, … dec); Dutch writes month
names and their abbreviations in lower case."""

MONTH_DAY_FORMAT = "j b"
