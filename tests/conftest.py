import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
# Third-party reference data lives outside the project, beside the checkout.
SHARED = Path(os.environ.get("CHIPCLEAN_SHARED", ROOT.parent / "shared"))
# the OpenCC cache of this test session (and the processes it starts) stays
# out of the user's own cache folder
os.environ.setdefault("CHIPCLEAN_CACHE_DIR", tempfile.mkdtemp(prefix="chipclean-cache-"))


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()
