"""Text to facts: read, normalise the PDF layout, split documents, find clauses and rosters.

``zhize.extract.pipeline.extract_text`` extracts one decoded file; paths, readers, workers and
writers are ``zhize.pipeline``'s.
"""
