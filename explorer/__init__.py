"""The explorer: the Streamlit pages (``app``) and what they show as plain data (``views``)."""
