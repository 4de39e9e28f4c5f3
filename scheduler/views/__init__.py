"""The calendar seen whole: a month as data (``month``), the iCalendar feed (``feed``), and
the span of days they show by default (``ranges``)."""
