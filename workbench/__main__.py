"""``python -m workbench``: the ``workbench`` command (also from a checkout that is not installed)."""

from .cli import main

if __name__ == "__main__":  # pragma: no cover
    main(prog_name="workbench")
