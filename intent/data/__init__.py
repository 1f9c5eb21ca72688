"""Labelled shopper messages shipped with the project (``utterances.jsonl``) and the script that makes them.

Rebuild with ``python -m intent.data.make_utterances`` (deterministic); see ``README.md`` in this folder.
"""
