"""The knowledge base: conditions, factors, medication flags, care levels, interventions."""
