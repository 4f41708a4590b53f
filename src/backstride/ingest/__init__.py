"""Bytes of watch and app files -> canonical activities. Pure: no database, no web."""
