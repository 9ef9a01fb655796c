"""The script Streamlit runs for ``zhize app``: the explorer's pages, from the installed package."""
from zhize.explorer.app import main

main()
