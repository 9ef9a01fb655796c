"""One reader per format zhize reads besides plain text (``zhize.extract.reading`` picks them by content).

Each module has ``read(name, data) -> RawText``: ``html`` decodes a saved web
page (its markup is left to the text view), ``pdf`` extracts a PDF's text
layer, ``docx`` a Word file's paragraphs and tables.
"""
