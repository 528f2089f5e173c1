"""The partners' pages (workspace/): access, dashboard, rules, check-in history, what the
coordinator sees and who reads what, my data, and constant query counts."""
