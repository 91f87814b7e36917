"""Exit codes, named once (black's and sqlfluff's conventions)."""

SUCCESS = 0  # nothing to report
FAIL = 1  # --check found changes, or a rule example failed
USAGE = 2  # bad options, config or rule pack
ERROR = 123  # some input failed; the rest was still processed
