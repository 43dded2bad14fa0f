"""The rule engine: law loader, expression language, and its two runners."""
