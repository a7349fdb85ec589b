"""What "today" means: the calendar date in Asia/Shanghai, whatever the server's zone."""

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()
