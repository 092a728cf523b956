"""The coach's content: exercises, routines, principles, education and texts, from `content/`."""

from bot.content.loader import DEFAULT_CONTENT_DIR, ContentError, find_problems, load_content
from bot.content.schema import Content, EducationItem, Exercise, Principle, Routine

__all__ = [
    "DEFAULT_CONTENT_DIR",
    "Content",
    "ContentError",
    "EducationItem",
    "Exercise",
    "Principle",
    "Routine",
    "find_problems",
    "load_content",
]
