"""The read-only fixtures beside the checkout ($CIRCUITSCOPE_SHARED, default ../shared), for the Python test stages:
a stage that needs one says SKIPPED and passes when it is absent, except under CI=true, which must run it (as the
Java tests' SharedFixtures do)."""
import os

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))


def root():
    return os.path.abspath(os.environ.get("CIRCUITSCOPE_SHARED") or os.path.join(REPO, "..", "shared"))


def absent(what):
    """Reports a missing fixture; returns the stage's exit status (0: skipped, 1: CI must run it)."""
    print("SKIPPED: %s (set CIRCUITSCOPE_SHARED)" % what)
    if os.environ.get("CI", "").lower() == "true":
        print("CI must run this stage")
        print("0 passed, 1 failed")
        return 1
    print("0 passed, 0 failed, 1 skipped")
    return 0
