import os
import sys
from pathlib import Path

# Tests run against the checkout's package (python/weightlab) unless it is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
