"""``python cli.py``: the ``jadwal`` command from a checkout; it lives in ``scheduler.cli``."""

from scheduler.cli import main

if __name__ == "__main__":
    main()
