"""Accounts (mentorship/accounts/): login, passwords, lockout, two-factor sign-in, changing
one's email, one-line names, and private pages never cached."""
