"""Rule definitions, one module per jurisdiction. They read parameters from ``law/`` and
never hold a legal value themselves."""
