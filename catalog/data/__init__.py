"""Embedded default product catalog (``products.jsonl``) and the script that generates it."""
