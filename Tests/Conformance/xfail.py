"""The one list of ported tests that are known to fail against the emulator today.

Every entry is applied by conftest.py as `pytest.mark.xfail(strict=True, reason=...)`: when the
emulator is fixed, the test passes, strict xfail turns that into a failure, and the entry must be
removed. No assertion is weakened anywhere; this list is for the coordinator to review. Each
reason says what the emulator lacks. Keys are pytest node ids relative to Tests/Conformance/.
"""

# Empty since emulator c7a52f5: every ported test passes.
EXPECTED_FAILURES: dict[str, str] = {}
