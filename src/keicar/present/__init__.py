"""Presentation: words, labels and pages for people (no rule logic; the answers come from
``keicar.rules.registry``)."""
