"""A console assistant that answers questions about documents with verbatim, cited quotes."""

__version__ = "0.1.0"
