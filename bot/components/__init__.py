"""Custom Rasa graph components for Vietnamese."""
