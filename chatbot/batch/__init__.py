"""Batch jobs over logs: score shopper messages in bulk (:mod:`chatbot.batch.score`, locally or on Ray Data) and
turn logged sessions into demand, promotion and audience tables (:mod:`chatbot.batch.report`).

File formats (CSV, JSONL, Parquet; a file or a folder of files) are read and written by :mod:`chatbot.batch.io`.
Nothing heavy is imported here: pyarrow, Ray and matplotlib load inside the functions that need them.
"""

__all__: list[str] = []
