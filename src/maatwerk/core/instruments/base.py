"""Primitive types shared by the instrument definition model."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StrictStr,
    StringConstraints,
    WithJsonSchema,
)

Language = Literal["nl", "en"]
Sex = Literal["female", "male"]
Operator = Literal[">", ">=", "<", "<=", "=="]


def _exact_number(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        if isinstance(value, float):
            raise ValueError("must be an exact number (an int or Decimal, not a float)")
        raise ValueError("must be a JSON number")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError("must be a finite number")
    return number


Number = Annotated[
    Decimal,
    BeforeValidator(_exact_number),
    WithJsonSchema({"type": "number"}),
]
Identifier = Annotated[StrictStr, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
SourceId = Annotated[StrictStr, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
Version = Annotated[StrictStr, StringConstraints(pattern=r"^[0-9]+(\.[0-9]+)*$")]
NonEmptyText = Annotated[StrictStr, StringConstraints(min_length=1)]


class Frozen(BaseModel):
    """Base of every definition value: immutable, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")
