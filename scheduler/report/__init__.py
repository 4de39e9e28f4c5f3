"""The monthly report a supervisor signs (``jadwal report``): plan against what went out,
the weekly rule, the variety of posts and what the public did, per account and for the office.

- ``lines``: one line per occurrence of the month, from the records and the plan;
- ``rhythm``: the ISO weeks against ``rules.min_posts_per_week``, the longest gap;
- ``metrics``: each post's latest reading, sums where "not available" stays None;
- ``build``: ``build_report``, the figures of each account and of the office;
- ``as_json``, ``as_csv``, ``as_markdown``, ``as_html`` (with ``charts``): what is written.

A report only reads the store; it never writes to it and never asks a platform.
"""
