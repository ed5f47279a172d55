"""Reading a question: the lexicon (every word table), the reader (text -> Query), the names
index of the catalog, mentions (names -> agencies) and the context (who asks, which years)."""
