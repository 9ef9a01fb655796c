"""Text to facts: read, normalise the PDF layout, split documents, find clauses and rosters.

The public entry point is ``extract.pipeline.extract_files``.
"""
