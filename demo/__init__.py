"""Fictional demo data for Lombardy: demo.seed.seed_demo is the entry point."""
