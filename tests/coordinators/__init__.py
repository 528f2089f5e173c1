"""The admin and the coordinators' tools (coordinators/): scoping, lookups, form choices,
people, the programme dashboard, exports, nudges and actions, invitations, matching,
recorded looks, seed_demo, and the attacks of issue 13 replayed in production shape."""
