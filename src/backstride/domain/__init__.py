"""The pure core: models and decisions, no I/O, no clock, no framework imports."""
