"""Question analysis, candidate sentences, rules and abstention."""

from .dialogue import Conversation
from .pipeline import Assistant, check_question
from .types import Answer, Excerpt, ShortAnswer

__all__ = ["Answer", "Assistant", "Conversation", "Excerpt", "ShortAnswer", "check_question"]
