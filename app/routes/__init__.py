"""The route table: one router per representation of a GraphQuery."""
