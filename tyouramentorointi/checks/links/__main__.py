"""``python -m tyouramentorointi.checks.links``: the same as ``python -m tyouramentorointi check links``."""

import sys

from .cli import main

sys.exit(main())
