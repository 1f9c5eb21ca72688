"""intent package."""
