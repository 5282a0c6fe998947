"""The project's own error types: raised low, turned into one-line messages by
the command line and the console."""


class AssistantError(Exception):
    """Base of every failure a user should see as a one-line message."""


class CorpusError(AssistantError):
    """The corpus is missing, empty or holds no readable document."""


class QuestionError(AssistantError):
    """The question cannot be asked (empty, or far too long)."""


class QuestionSetError(AssistantError):
    """An evaluation question file is malformed."""


class IndexCacheError(AssistantError):
    """A saved index could not be read; the caller rebuilds it."""
