"""The desk's views: thin, reading through selectors and writing through services."""
