"""Goals and health (goals/): goal rules, the at-risk rules and the stored health facts."""
