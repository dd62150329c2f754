"""Workbooks as real programs make them, built at test time: see `cases.py` and `hostile.py`."""
