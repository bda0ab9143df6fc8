"""Public FastAPI gateway: web chat API, health, and (later) Zalo and officials' login."""
