"""Text to facts: read, normalise the PDF layout, split documents, find clauses and rosters.

The public entry point is ``zhize.extract.pipeline.extract_files``.
"""
