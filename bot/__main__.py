"""`python -m bot` is the `backcoach` command."""

import sys

from bot.cli import main

sys.exit(main())
