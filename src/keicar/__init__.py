"""keicar: the law around Japanese kei vehicles as dated, cited, testable code."""

__version__ = "0.1.0"
