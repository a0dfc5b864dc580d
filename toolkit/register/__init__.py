"""The Excel register: read it, write a new one, compare two."""
