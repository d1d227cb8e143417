"""``python -m symdiff``: the same as the ``symdiff`` command."""

import sys

from symdiff.cli import main

if __name__ == "__main__":  # not when a tool merely imports this module
    sys.exit(main())
