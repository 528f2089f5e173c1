"""The partnership workspace, split by meaning: the page, its agreement, its check-ins and
its lifecycle. Goal actions live in ``workspace.views.goals``."""
