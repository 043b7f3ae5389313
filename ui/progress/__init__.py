"""落实进度 in Streamlit: store (engine, records, boards), login (who writes), forms (填报 callbacks), lights (status bars)."""
