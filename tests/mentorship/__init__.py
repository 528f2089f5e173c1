"""The project itself: settings, the health check, production and embedded shapes, make run,
the email policy, text limits, backup and restore, and the import rules between apps."""
