"""Rasa assistant: domain, rules and stories, and custom NLU components."""
