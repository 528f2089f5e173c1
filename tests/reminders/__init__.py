"""Reminders (reminders/): kinds and timing, the sweep, sending and the mailer, the email
itself, unsubscribing, and real Celery workers and beats end to end."""
