"""The calendar seen whole: a month as data (``month``), for the views drawn from it."""
