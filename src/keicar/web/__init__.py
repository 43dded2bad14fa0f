"""The web interface: a JSON API and a page, served by ``keicar serve``.

Like the CLI, it only parses input and renders output: every answer comes from the core
(``keicar.api`` and the modules that ``adapters`` names). FastAPI is imported only here,
so the rest of keicar runs without the ``web`` extra.
"""
