"""Facts to a graph: build nodes and relationships, store them, query, export and analyse."""
