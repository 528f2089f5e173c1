"""Across apps: the access matrix, every URL walked, private fields, bad input fuzzed at every
form, and the Content-Security-Policy."""
