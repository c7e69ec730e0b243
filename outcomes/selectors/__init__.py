"""Outcomes' reads, each in a fixed number of queries whatever the data size."""
