"""N = 1 statistics: reliable change and clinical significance, and (later) SCED and trends."""
