"""The calendar seen whole: a month as data (``month``), drawn in the terminal by
``jadwal calendar`` (``grid``); the iCalendar feed (``feed``); the span of days they show by
default (``ranges``); each state's symbol and colour, the same in every view (``symbols``)."""
