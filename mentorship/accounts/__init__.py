"""Hardened accounts: login lockout, session idle timeout, two-factor for staff, and each
person's own data (download and deletion)."""
