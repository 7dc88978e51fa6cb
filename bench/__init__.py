"""Benchmark scripts; run each from the repository root with ``python -m bench.NAME``."""
