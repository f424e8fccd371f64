"""App-level models: what the app shows and keeps, without Streamlit (used by ``nnviz.ui`` only)."""
