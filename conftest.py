"""Root pytest configuration: what the doctest collection must not import."""

collect_ignore = ["symdiff/__main__.py", "benchmarks"]
