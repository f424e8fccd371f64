"""The streamlit side of nnviz: session state, the sidebar editor, shared widgets.

This is the only package under ``nnviz`` that imports streamlit.
"""
