"""The load tools (load/) in short, and what happens when the database goes away."""
