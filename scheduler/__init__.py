"""jadwal: a publication calendar for public-sector social media teams.

The package is usable without the CLI: ``load_calendar`` reads and validates a calendar,
``expand`` lists its occurrences over a window and ``Renderer`` turns them into captions.
Heavy dependencies (SQL, schedulers, platform SDKs) are imported only where they are used.
"""

__version__ = "0.1.0"
