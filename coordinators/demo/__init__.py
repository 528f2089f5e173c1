"""Demo data of each feature, one module each, called by seed_demo."""
