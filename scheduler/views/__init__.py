"""The calendar seen whole: a month as data (``month``), drawn in the terminal by
``jadwal calendar`` (``grid``); each state's symbol and colour, the same in every view
(``symbols``)."""
