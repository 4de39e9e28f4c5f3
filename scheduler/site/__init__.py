"""``jadwal site``: a static web calendar that shows each post as it will look.

``build.write_site`` draws it: the months from the month model (``views.month``), each post at
a time as an entry with its accounts' captions, ``check`` problems and states (``entries``),
each card as Instagram or Facebook shows a post (``looks``, by the rules of ``cards``) with
Pillow copies of its media (``thumbs``), the pages from Jinja2 templates (``pages``, words
from ``words``) written into the folder that ``output`` keeps. docs/site.md shows the pages.
"""
