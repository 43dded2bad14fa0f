"""Parsing and normalising what users give (formats, bounds, body synonyms), for every
interface: one value (CLI, HTTP) and Polars columns (batch)."""
