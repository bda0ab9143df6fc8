"""Rasa custom actions: thin adapters over the knowledge layer (rasa-sdk action server)."""
