"""Pure chart functions: small frames in, plotly figures out (no streamlit here)."""
