"""Runs to training load: weekly volume, surfaces and shoes (``load``) and pain against load."""
