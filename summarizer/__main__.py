"""``python -m summarizer``: the same command line as the ``summarizer`` script."""

import sys

from summarizer.cli.main import main

sys.exit(main())
