"""Curation: what staff do to the knowledge base — the questions it could not answer, and
cards drafted from them (or from answers marked wrong) that an admin publishes."""
