"""The explorer from a checkout: ``streamlit run app.py`` (installed: ``zhize app``); the pages are zhize.explorer.app."""
from zhize.explorer.app import main

main()
