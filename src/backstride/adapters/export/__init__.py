"""adapters/export package."""
