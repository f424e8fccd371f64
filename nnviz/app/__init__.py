"""App-level models: what the app shows and keeps, computed without Streamlit (the ui layer draws them)."""
