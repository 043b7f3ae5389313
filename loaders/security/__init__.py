"""Defences of the data layer against hostile input: bounded workbook reading, isolated parsing, login throttling."""
