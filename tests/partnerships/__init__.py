"""The partnership rules (partnerships/): pairing and states, agreements, pausing and ending
with reasons, and what the activity feed says."""
