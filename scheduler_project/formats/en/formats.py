"""English (``LANGUAGE_CODE`` en-us) formats for dates and times: ISO 8601 order, times to
the second with their zone (``2026-12-06 19:41:07 UTC``, not ``Dec. 6, 2026, 7:41 p.m.``)."""

DATETIME_FORMAT = "Y-m-d H:i:s T"
SHORT_DATETIME_FORMAT = "Y-m-d H:i:s T"
TIME_FORMAT = "H:i:s"
DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
