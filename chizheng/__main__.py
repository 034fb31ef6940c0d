"""``python -m chizheng <command>``: the ``chizheng`` command (how the demo starts its worker)."""

import sys

from chizheng.cli import main

sys.exit(main())
