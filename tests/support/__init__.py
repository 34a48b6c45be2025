"""Shared test helpers (no tests live here)."""
