"""Benchmarks of pysophoscentralapi: each figure a ratio measured side by side in one run.

python -m bench            # full sizes; prints a table and writes bench/results/latest.md
python -m bench --quick    # tiny sizes: only checks that every benchmark runs (CI)
"""
