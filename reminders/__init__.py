"""Email reminders: what is due (kinds), when it may arrive (timing), the sweep that
records due reminders and queues them, and the send that claims one row and mails it."""
