"""What the app shows and keeps, without Streamlit: models the ``nnviz.ui`` modules render."""
