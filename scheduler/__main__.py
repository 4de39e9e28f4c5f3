"""``python -m scheduler``: the ``jadwal`` command, for when the script is not on the PATH."""

from scheduler.cli import main

if __name__ == "__main__":
    main()
