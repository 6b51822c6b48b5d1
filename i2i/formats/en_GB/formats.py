# Dates as people write them ("3 March 2027"), as the NHS and GOV.UK style guides ask.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
# Django's "a" writes "a.m." and "A" writes "AM", so no format string here can say "9:30am":
# templates print a time with `|clock` and a moment with `|when` (i2i/templatetags/i2i_formats.py,
# checked by tests/test_formats.py). Only what prints a time without them (the admin) uses these.
DATETIME_FORMAT = "j F Y, g:i a"
TIME_FORMAT = "g:i a"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y"]
