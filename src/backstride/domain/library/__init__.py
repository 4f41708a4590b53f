"""The curated exercise library and the education topics, as frozen objects."""
