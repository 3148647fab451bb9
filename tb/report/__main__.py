"""`python -m hypsim.report`: see hypsim.report."""
import sys

from . import main

sys.exit(main())
