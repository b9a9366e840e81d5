"""Shared test helpers; importing it puts tools/export on sys.path (discover -s tools/export/tests)."""

import os
import sys
import tempfile

EXPORT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(os.path.dirname(EXPORT_DIR))
if EXPORT_DIR not in sys.path:
    sys.path.insert(0, EXPORT_DIR)


def temp_dir(test):
    """A temporary directory removed when the test (a TestCase) or the test class (in setUpClass) ends."""
    handle = tempfile.TemporaryDirectory(prefix="qrm-export-test-")
    if isinstance(test, type):
        test.addClassCleanup(handle.cleanup)
    else:
        test.addCleanup(handle.cleanup)
    return handle.name


def write(path, content):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = "wb" if isinstance(content, bytes) else "w"
    with open(path, mode) as f:
        f.write(content)
    return path
