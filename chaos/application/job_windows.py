"""How many days the scheduled jobs cover when run without dates: one place for both, and a module
light enough for the command line to show the figures in its help without loading the jobs."""

MEASURED_DAYS = 28
"""`chaos monitor` measures the days before today, this many by default: four weeks, long enough for
the alerts' three-day rules and the dashboard's trend."""
FIRST_RUN_DAYS = MEASURED_DAYS
"""How far back `chaos calibrate` without dates starts for a version with no calibration stored
yet: the days the monitor measures, so that each of them is measured with its own calibration."""
