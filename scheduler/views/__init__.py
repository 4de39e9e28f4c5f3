"""The calendar seen whole: a month as data (``month``), drawn in the terminal by
``jadwal calendar`` (``grid``); the weekly rhythm around today (``strip``); the iCalendar feed
(``feed``); the days a view covers by default (``ranges``); each state's symbol and colour,
the same in every view (``symbols``)."""
