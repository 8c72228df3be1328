"""The module catalogue: self-help and guided CBT modules with steps, exercises and forms."""
