"""Event and exhibitor files: read, checked and turned into plain domain objects."""
