import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
# Third-party reference data lives outside the project, beside the checkout.
SHARED = Path(os.environ.get("CHIPCLEAN_SHARED", ROOT.parent / "shared"))


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()
