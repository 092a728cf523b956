"""The declarative base every table shares, and how a small enum is stored."""

from enum import StrEnum

from sqlalchemy import Enum
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


def enum_column(enum_type: type[StrEnum]) -> Enum:
    """A closed vocabulary stored as its values in a short string column (no native enum, so
    adding a member needs no migration on PostgreSQL)."""
    return Enum(
        enum_type,
        native_enum=False,
        length=20,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
