"""App-level models: what the app shows and keeps, computed without Streamlit (used by ``nnviz.ui``)."""
