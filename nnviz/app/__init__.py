"""App models: what the app shows and keeps, without Streamlit (scenes, tours, ...)."""
