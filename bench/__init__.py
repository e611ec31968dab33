"""`make bench`: the served app against a trivial Flask floor under the same gunicorn, in one run."""
