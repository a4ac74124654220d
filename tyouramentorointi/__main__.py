"""``python -m tyouramentorointi``: the one command line (tyouramentorointi/cli.py)."""

import sys

from tyouramentorointi.cli import main

sys.exit(main())
