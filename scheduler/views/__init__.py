"""The calendar seen whole: a month as data (``month``), the weekly rhythm around today
(``strip``) and the days a view covers by default (``ranges``), for the views drawn from them."""
