"""Streamlit helpers shared by the pages: cached data, sidebar filters, literal tables."""
