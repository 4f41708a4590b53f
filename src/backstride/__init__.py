"""backstride: triage, rehab and training data for runners with lower back pain."""

__version__ = "0.1.0"
