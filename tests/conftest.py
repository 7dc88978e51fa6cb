"""For every test: no model download, ever (the bundled model is built locally).

Fixtures over the real model and Chroma are in tests/integration/conftest.py; plain
helpers are in tests/helpers.py.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
