"""The calendar seen whole: a month as data (``month``), drawn in the terminal by
``jadwal calendar``; the iCalendar feed (``ical``)."""
