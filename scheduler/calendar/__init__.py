"""The calendar language: load and validate ``calendar.yaml``, expand it into occurrences."""

from scheduler.calendar.load import load_calendar, read_calendar_file
from scheduler.calendar.model import Account, Calendar, Holidays, Post, Rules, Schedule

__all__ = [
    "Account",
    "Calendar",
    "Holidays",
    "Post",
    "Rules",
    "Schedule",
    "load_calendar",
    "read_calendar_file",
]
