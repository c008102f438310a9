"""``python -m ukreport.cli``: the ``ukreport`` command without its script."""

import sys

from ukreport.cli import main

sys.exit(main())
