"""jadwal: a publication calendar for public-sector social media teams.

The package is usable without the command line, which is a thin layer over it:
``scheduler.calendar.load_calendar`` reads and validates ``calendar.yaml``,
``scheduler.calendar.expand.expand`` lists its occurrences over a window,
``scheduler.render.Renderer`` turns an occurrence into its caption, and
``scheduler.engine.publish_due`` publishes what is due through the adapters, each occurrence
once, as the store records. The import contract in ``pyproject.toml`` keeps these layers in
order, from the command line down to the calendar. Heavy dependencies (SQL, the scheduler,
platform SDKs) are imported only by the modules that use them, so ``jadwal check`` and
``preview`` load none of them.
"""

__version__ = "0.1.0"
