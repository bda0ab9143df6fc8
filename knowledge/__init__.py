"""Knowledge base: retrieval, lexical search and embeddings for the assistant."""
