# Generated from the service's OpenAPI document by clients/python/generate_models.py: do not edit.

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal, Optional, Union
from uuid import UUID

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    StringConstraints,
    constr,
)
from typing_extensions import TypeAliasType

CallbackHeadersAdditionalProperty = TypeAliasType(
    "CallbackHeadersAdditionalProperty",
    Annotated[str, Field(max_length=4096, pattern='^[\\t\\x20-\\x7e]*$')],
)


class Address(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description='The contract whose logs fire the job, or a list of up to 100 of them (0x and 40 hex digits; stored in lower case).',
            pattern='^0x[0-9a-fA-F]{40}$',
        ),
    ]


class Address1Item(RootModel[str]):
    root: Annotated[str, Field(pattern='^0x[0-9a-fA-F]{40}$')]


class Address1(RootModel[list[Address1Item]]):
    root: Annotated[
        list[Address1Item],
        Field(
            description='The contract whose logs fire the job, or a list of up to 100 of them (0x and 40 hex digits; stored in lower case).',
            max_length=100,
            min_length=1,
        ),
    ]


class Topics(RootModel[str]):
    root: Annotated[str, Field(pattern='^0x[0-9a-fA-F]{64}$')]


class Topics1Item(RootModel[str]):
    root: Annotated[str, Field(pattern='^0x[0-9a-fA-F]{64}$')]


class Topics1(RootModel[list[Topics1Item]]):
    root: Annotated[list[Topics1Item], Field(max_length=20, min_length=1)]


class FromBlock(RootModel[int]):
    root: Annotated[
        int,
        Field(
            description='The first block to scan, or "latest" (default): the head when the job is created.',
            ge=0,
            le=9223372036854775807,
        ),
    ]


class FromBlock1(StrEnum):
    latest = 'latest'


class Name(RootModel[str]):
    root: Annotated[str, Field(max_length=200, pattern='^[^\\u0000]*$')]


class Name1(RootModel[str]):
    root: Annotated[str, Field(max_length=0)]


class Address2(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description='The contract whose logs fire the job, or a list of up to 100 of them (0x and 40 hex digits; stored in lower case).',
            pattern='^0x[0-9a-fA-F]{40}$',
        ),
    ]


class Address3Item(RootModel[str]):
    root: Annotated[str, Field(pattern='^0x[0-9a-fA-F]{40}$')]


class Address3(RootModel[list[Address3Item]]):
    root: Annotated[
        list[Address3Item],
        Field(
            description='The contract whose logs fire the job, or a list of up to 100 of them (0x and 40 hex digits; stored in lower case).',
            max_length=100,
            min_length=1,
        ),
    ]


class Topics2(RootModel[str]):
    root: Annotated[str, Field(pattern='^0x[0-9a-fA-F]{64}$')]


class Topics3Item(RootModel[str]):
    root: Annotated[str, Field(pattern='^0x[0-9a-fA-F]{64}$')]


class Topics3(RootModel[list[Topics3Item]]):
    root: Annotated[list[Topics3Item], Field(max_length=20, min_length=1)]


class FromBlock2(RootModel[int]):
    root: Annotated[
        int,
        Field(
            description='The first block to scan, or "latest" (default): the head when the job is created.',
            ge=0,
            le=9223372036854775807,
        ),
    ]


class FromBlock3(StrEnum):
    latest = 'latest'


SourceHeadersAdditionalProperty = TypeAliasType(
    "SourceHeadersAdditionalProperty",
    Annotated[str, Field(max_length=4096, pattern='^[\\t\\x20-\\x7e]*$')],
)


class SourceMethod(StrEnum):
    GET = 'GET'
    POST = 'POST'


class Operator(StrEnum):
    field_ = '>'
    field__1 = '<'
    field__ = '>='
    field___1 = '<='
    field___2 = '=='
    field___3 = '!='


class ValueFormat(StrEnum):
    number = 'number'
    hex = 'hex'


class Name2(RootModel[str]):
    root: Annotated[str, Field(max_length=200, pattern='^[^\\u0000]*$')]


class Name3(RootModel[str]):
    root: Annotated[str, Field(max_length=0)]


class ValuePointer(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ]


class ValuePointer1(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=0,
        ),
    ]


class ConditionStateEnum(StrEnum):
    unknown = 'unknown'
    false = 'false'
    pending = 'pending'
    true = 'true'


class ConflictError(BaseModel):
    code: Literal[5]
    message: str


class Name4(RootModel[str]):
    root: Annotated[str, Field(max_length=200, pattern='^[^\\u0000]*$')]


class Name5(RootModel[str]):
    root: Annotated[str, Field(max_length=0)]


class ValuePointer2(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ]


class ValuePointer3(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=0,
        ),
    ]


class DatabaseEnum(StrEnum):
    connected = 'connected'
    disconnected = 'disconnected'


class EventAccepted(BaseModel):
    id: str
    received_at: AwareDatetime
    matched: Annotated[int, Field(description='How many jobs the event matched.')]


class EventAcceptedEnvelope(BaseModel):
    code: Literal[0]
    message: Literal['success']
    data: EventAccepted


class EventFilter(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]


class All4(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]


class AllItem4(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]


class AnyItem4(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]


class All5(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    all: Annotated[list[AllItem4] | None, Field(max_length=20, min_length=1)] = None
    any: Annotated[list[AnyItem4] | None, Field(max_length=20, min_length=1)] = None


class Any4(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]


class AllItem5(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]


class AnyItem5(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]


class Any5(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    all: Annotated[list[AllItem5] | None, Field(max_length=20, min_length=1)] = None
    any: Annotated[list[AnyItem5] | None, Field(max_length=20, min_length=1)] = None


class EventFilter1(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    all: Annotated[list[All4 | All5] | None, Field(max_length=20, min_length=1)] = None
    any: Annotated[list[Any4 | Any5] | None, Field(max_length=20, min_length=1)] = None


class Name6(RootModel[str]):
    root: Annotated[str, Field(max_length=200, pattern='^[^\\u0000]*$')]


class Name7(RootModel[str]):
    root: Annotated[str, Field(max_length=0)]


class EventFilter2(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]


class All6(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]


class AllItem6(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]


class AnyItem6(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]


class All7(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    all: Annotated[list[AllItem6] | None, Field(max_length=20, min_length=1)] = None
    any: Annotated[list[AnyItem6] | None, Field(max_length=20, min_length=1)] = None


class Any6(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]


class AllItem7(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]


class AnyItem7(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]


class Any7(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    all: Annotated[list[AllItem7] | None, Field(max_length=20, min_length=1)] = None
    any: Annotated[list[AnyItem7] | None, Field(max_length=20, min_length=1)] = None


class EventFilter3(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    all: Annotated[list[All6 | All7] | None, Field(max_length=20, min_length=1)] = None
    any: Annotated[list[Any6 | Any7] | None, Field(max_length=20, min_length=1)] = None


class HealthStatusEnum(StrEnum):
    up = 'up'
    down = 'down'


class Name8(RootModel[str]):
    root: Annotated[str, Field(max_length=200, pattern='^[^\\u0000]*$')]


class Name9(RootModel[str]):
    root: Annotated[str, Field(max_length=0)]


class ValuePointer4(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ]


class ValuePointer5(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=0,
        ),
    ]


class KindEnum(StrEnum):
    timer = 'timer'
    task = 'task'


class MisfirePolicy79bEnum(StrEnum):
    fire_once = 'fire_once'
    skip = 'skip'


class MisfirePolicyAe3Enum(StrEnum):
    fire_once = 'fire_once'
    skip = 'skip'


class NotFoundError(BaseModel):
    code: Literal[3]
    message: str


class OperatorEnum(StrEnum):
    field_ = '>'
    field__1 = '<'
    field__ = '>='
    field___1 = '<='
    field___2 = '=='
    field___3 = '!='


class OutcomeEnum(StrEnum):
    success = 'success'
    retry = 'retry'
    failed = 'failed'
    lost = 'lost'


class OverlapPolicy0a9Enum(StrEnum):
    allow = 'allow'
    skip = 'skip'


class OverlapPolicy598Enum(StrEnum):
    allow = 'allow'
    skip = 'skip'


class Name10(RootModel[str]):
    root: Annotated[str, Field(max_length=200, pattern='^[^\\u0000]*$')]


class Name11(RootModel[str]):
    root: Annotated[str, Field(max_length=0)]


class ValuePointer6(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ]


class ValuePointer7(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=0,
        ),
    ]


class EventFilter4(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]


class All10(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]


class AllItem10(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]


class AnyItem10(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]


class All11(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    all: Annotated[list[AllItem10] | None, Field(max_length=20, min_length=1)] = None
    any: Annotated[list[AnyItem10] | None, Field(max_length=20, min_length=1)] = None


class Any10(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]


class AllItem11(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]


class AnyItem11(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]


class Any11(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    all: Annotated[list[AllItem11] | None, Field(max_length=20, min_length=1)] = None
    any: Annotated[list[AnyItem11] | None, Field(max_length=20, min_length=1)] = None


class EventFilter5(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    all: Annotated[list[All10 | All11] | None, Field(max_length=20, min_length=1)] = (
        None
    )
    any: Annotated[list[Any10 | Any11] | None, Field(max_length=20, min_length=1)] = (
        None
    )


class Address4(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description='The contract whose logs fire the job, or a list of up to 100 of them (0x and 40 hex digits; stored in lower case).',
            pattern='^0x[0-9a-fA-F]{40}$',
        ),
    ]


class Address5Item(RootModel[str]):
    root: Annotated[str, Field(pattern='^0x[0-9a-fA-F]{40}$')]


class Address5(RootModel[list[Address5Item]]):
    root: Annotated[
        list[Address5Item],
        Field(
            description='The contract whose logs fire the job, or a list of up to 100 of them (0x and 40 hex digits; stored in lower case).',
            max_length=100,
            min_length=1,
        ),
    ]


class Topics4(RootModel[str]):
    root: Annotated[str, Field(pattern='^0x[0-9a-fA-F]{64}$')]


class Topics5Item(RootModel[str]):
    root: Annotated[str, Field(pattern='^0x[0-9a-fA-F]{64}$')]


class Topics5(RootModel[list[Topics5Item]]):
    root: Annotated[list[Topics5Item], Field(max_length=20, min_length=1)]


class FromBlock4(RootModel[int]):
    root: Annotated[
        int,
        Field(
            description='The first block to scan, or "latest" (default): the head when the job is created.',
            ge=0,
            le=9223372036854775807,
        ),
    ]


class FromBlock5(StrEnum):
    latest = 'latest'


class RateLimitedError(BaseModel):
    code: Literal[6]
    message: str


class ReplayAnswer(BaseModel):
    replay_id: UUID
    matched: Annotated[int, Field(description='Dead letters the filter found.')]
    replayed: Annotated[int, Field(description='Put back to pending (0 on a dry run).')]
    dry_run: bool
    rate: float
    last_due_at: Annotated[
        AwareDatetime | None, Field(description='When the last one replayed is due.')
    ]
    sample_ids: Annotated[
        list[UUID],
        Field(
            description='The first (up to 20) replayed, or that a dry run would replay.'
        ),
    ]


class ReplayAnswerEnvelope(BaseModel):
    code: Literal[0]
    message: Literal['success']
    data: ReplayAnswer


class ReplayFilterStatusEnum(StrEnum):
    failed = 'failed'
    skipped = 'skipped'


class ScheduleTypeEnum(StrEnum):
    cron = 'cron'
    interval = 'interval'
    specific = 'specific'
    condition = 'condition'
    event = 'event'
    chain_event = 'chain_event'


class EncryptionEnvelope(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    encrypted_payload: Annotated[
        str,
        Field(
            min_length=4,
            pattern='^(?:(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)$',
        ),
    ]
    encrypted_dek: Annotated[
        str,
        Field(
            min_length=4,
            pattern='^(?:(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)$',
        ),
    ]
    iv: Annotated[
        str,
        Field(
            min_length=4,
            pattern='^(?:(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)$',
        ),
    ]
    auth_tag: Annotated[
        str,
        Field(
            min_length=4,
            pattern='^(?:(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)$',
        ),
    ]


class LastNoteIndex(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description='A 256-bit unsigned integer: a decimal string, a 0x hex string or a JSON integer, as the original server reads it.',
            examples=['12345'],
            pattern='^(?:[0-9]{1,77}|[0-0][0-9]{77}|1[0-0][0-9]{76}|11[0-4][0-9]{75}|115[0-6][0-9]{74}|1157[0-8][0-9]{73}|11579[0-1][0-9]{72}|1157920[0-7][0-9]{70}|11579208[0-8][0-9]{69}|115792089[0-1][0-9]{68}|1157920892[0-2][0-9]{67}|11579208923[0-6][0-9]{66}|115792089237[0-2][0-9]{65}|1157920892373[0-0][0-9]{64}|11579208923731[0-5][0-9]{63}|115792089237316[0-0][0-9]{62}|1157920892373161[0-8][0-9]{61}|11579208923731619[0-4][0-9]{60}|115792089237316195[0-3][0-9]{59}|1157920892373161954[0-1][0-9]{58}|11579208923731619542[0-2][0-9]{57}|115792089237316195423[0-4][0-9]{56}|1157920892373161954235[0-6][0-9]{55}|115792089237316195423570[0-8][0-9]{53}|1157920892373161954235709[0-7][0-9]{52}|11579208923731619542357098[0-4][0-9]{51}|11579208923731619542357098500[0-7][0-9]{48}|115792089237316195423570985008[0-5][0-9]{47}|1157920892373161954235709850086[0-7][0-9]{46}|11579208923731619542357098500868[0-6][0-9]{45}|115792089237316195423570985008687[0-8][0-9]{44}|11579208923731619542357098500868790[0-6][0-9]{42}|115792089237316195423570985008687907[0-7][0-9]{41}|1157920892373161954235709850086879078[0-4][0-9]{40}|11579208923731619542357098500868790785[0-2][0-9]{39}|115792089237316195423570985008687907853[0-1][0-9]{38}|1157920892373161954235709850086879078532[0-5][0-9]{37}|11579208923731619542357098500868790785326[0-8][0-9]{36}|115792089237316195423570985008687907853269[0-8][0-9]{35}|1157920892373161954235709850086879078532699[0-7][0-9]{34}|11579208923731619542357098500868790785326998[0-3][0-9]{33}|115792089237316195423570985008687907853269984[0-5][0-9]{32}|1157920892373161954235709850086879078532699846[0-5][0-9]{31}|11579208923731619542357098500868790785326998466[0-4][0-9]{30}|115792089237316195423570985008687907853269984665[0-5][0-9]{29}|1157920892373161954235709850086879078532699846656[0-3][0-9]{28}|115792089237316195423570985008687907853269984665640[0-4][0-9]{26}|1157920892373161954235709850086879078532699846656405[0-5][0-9]{25}|11579208923731619542357098500868790785326998466564056[0-3][0-9]{24}|1157920892373161954235709850086879078532699846656405640[0-2][0-9]{22}|11579208923731619542357098500868790785326998466564056403[0-8][0-9]{21}|115792089237316195423570985008687907853269984665640564039[0-3][0-9]{20}|1157920892373161954235709850086879078532699846656405640394[0-4][0-9]{19}|11579208923731619542357098500868790785326998466564056403945[0-6][0-9]{18}|115792089237316195423570985008687907853269984665640564039457[0-4][0-9]{17}|1157920892373161954235709850086879078532699846656405640394575[0-7][0-9]{16}|11579208923731619542357098500868790785326998466564056403945758[0-3][0-9]{15}|11579208923731619542357098500868790785326998466564056403945758400[0-6][0-9]{12}|115792089237316195423570985008687907853269984665640564039457584007[0-8][0-9]{11}|1157920892373161954235709850086879078532699846656405640394575840079[0-0][0-9]{10}|11579208923731619542357098500868790785326998466564056403945758400791[0-2][0-9]{9}|115792089237316195423570985008687907853269984665640564039457584007913[0-0][0-9]{8}|1157920892373161954235709850086879078532699846656405640394575840079131[0-1][0-9]{7}|11579208923731619542357098500868790785326998466564056403945758400791312[0-8][0-9]{6}|115792089237316195423570985008687907853269984665640564039457584007913129[0-5][0-9]{5}|1157920892373161954235709850086879078532699846656405640394575840079131296[0-2][0-9]{4}|11579208923731619542357098500868790785326998466564056403945758400791312963[0-8][0-9]{3}|115792089237316195423570985008687907853269984665640564039457584007913129639[0-8][0-9]{2}|1157920892373161954235709850086879078532699846656405640394575840079131296399[0-2][0-9]{1}|11579208923731619542357098500868790785326998466564056403945758400791312963993[0-4]|115792089237316195423570985008687907853269984665640564039457584007913129639935)$',
        ),
    ]


class LastNoteIndex1(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description='A 256-bit unsigned integer: a decimal string, a 0x hex string or a JSON integer, as the original server reads it.',
            examples=['0x3039'],
            pattern='^0x[0-9a-fA-F]{1,64}$',
        ),
    ]


class LastNoteIndex2(RootModel[int]):
    root: Annotated[
        int,
        Field(
            description='A 256-bit unsigned integer: a decimal string, a 0x hex string or a JSON integer, as the original server reads it.',
            examples=[12345],
            ge=0,
            le=115792089237316195423570985008687907853269984665640564039457584007913129639935,
        ),
    ]


class MaxRelayerFee(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description='A 256-bit unsigned integer: a decimal string, a 0x hex string or a JSON integer, as the original server reads it.',
            examples=['12345'],
            pattern='^(?:[0-9]{1,77}|[0-0][0-9]{77}|1[0-0][0-9]{76}|11[0-4][0-9]{75}|115[0-6][0-9]{74}|1157[0-8][0-9]{73}|11579[0-1][0-9]{72}|1157920[0-7][0-9]{70}|11579208[0-8][0-9]{69}|115792089[0-1][0-9]{68}|1157920892[0-2][0-9]{67}|11579208923[0-6][0-9]{66}|115792089237[0-2][0-9]{65}|1157920892373[0-0][0-9]{64}|11579208923731[0-5][0-9]{63}|115792089237316[0-0][0-9]{62}|1157920892373161[0-8][0-9]{61}|11579208923731619[0-4][0-9]{60}|115792089237316195[0-3][0-9]{59}|1157920892373161954[0-1][0-9]{58}|11579208923731619542[0-2][0-9]{57}|115792089237316195423[0-4][0-9]{56}|1157920892373161954235[0-6][0-9]{55}|115792089237316195423570[0-8][0-9]{53}|1157920892373161954235709[0-7][0-9]{52}|11579208923731619542357098[0-4][0-9]{51}|11579208923731619542357098500[0-7][0-9]{48}|115792089237316195423570985008[0-5][0-9]{47}|1157920892373161954235709850086[0-7][0-9]{46}|11579208923731619542357098500868[0-6][0-9]{45}|115792089237316195423570985008687[0-8][0-9]{44}|11579208923731619542357098500868790[0-6][0-9]{42}|115792089237316195423570985008687907[0-7][0-9]{41}|1157920892373161954235709850086879078[0-4][0-9]{40}|11579208923731619542357098500868790785[0-2][0-9]{39}|115792089237316195423570985008687907853[0-1][0-9]{38}|1157920892373161954235709850086879078532[0-5][0-9]{37}|11579208923731619542357098500868790785326[0-8][0-9]{36}|115792089237316195423570985008687907853269[0-8][0-9]{35}|1157920892373161954235709850086879078532699[0-7][0-9]{34}|11579208923731619542357098500868790785326998[0-3][0-9]{33}|115792089237316195423570985008687907853269984[0-5][0-9]{32}|1157920892373161954235709850086879078532699846[0-5][0-9]{31}|11579208923731619542357098500868790785326998466[0-4][0-9]{30}|115792089237316195423570985008687907853269984665[0-5][0-9]{29}|1157920892373161954235709850086879078532699846656[0-3][0-9]{28}|115792089237316195423570985008687907853269984665640[0-4][0-9]{26}|1157920892373161954235709850086879078532699846656405[0-5][0-9]{25}|11579208923731619542357098500868790785326998466564056[0-3][0-9]{24}|1157920892373161954235709850086879078532699846656405640[0-2][0-9]{22}|11579208923731619542357098500868790785326998466564056403[0-8][0-9]{21}|115792089237316195423570985008687907853269984665640564039[0-3][0-9]{20}|1157920892373161954235709850086879078532699846656405640394[0-4][0-9]{19}|11579208923731619542357098500868790785326998466564056403945[0-6][0-9]{18}|115792089237316195423570985008687907853269984665640564039457[0-4][0-9]{17}|1157920892373161954235709850086879078532699846656405640394575[0-7][0-9]{16}|11579208923731619542357098500868790785326998466564056403945758[0-3][0-9]{15}|11579208923731619542357098500868790785326998466564056403945758400[0-6][0-9]{12}|115792089237316195423570985008687907853269984665640564039457584007[0-8][0-9]{11}|1157920892373161954235709850086879078532699846656405640394575840079[0-0][0-9]{10}|11579208923731619542357098500868790785326998466564056403945758400791[0-2][0-9]{9}|115792089237316195423570985008687907853269984665640564039457584007913[0-0][0-9]{8}|1157920892373161954235709850086879078532699846656405640394575840079131[0-1][0-9]{7}|11579208923731619542357098500868790785326998466564056403945758400791312[0-8][0-9]{6}|115792089237316195423570985008687907853269984665640564039457584007913129[0-5][0-9]{5}|1157920892373161954235709850086879078532699846656405640394575840079131296[0-2][0-9]{4}|11579208923731619542357098500868790785326998466564056403945758400791312963[0-8][0-9]{3}|115792089237316195423570985008687907853269984665640564039457584007913129639[0-8][0-9]{2}|1157920892373161954235709850086879078532699846656405640394575840079131296399[0-2][0-9]{1}|11579208923731619542357098500868790785326998466564056403945758400791312963993[0-4]|115792089237316195423570985008687907853269984665640564039457584007913129639935)$',
        ),
    ]


class MaxRelayerFee1(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description='A 256-bit unsigned integer: a decimal string, a 0x hex string or a JSON integer, as the original server reads it.',
            examples=['0x3039'],
            pattern='^0x[0-9a-fA-F]{1,64}$',
        ),
    ]


class MaxRelayerFee2(RootModel[int]):
    root: Annotated[
        int,
        Field(
            description='A 256-bit unsigned integer: a decimal string, a 0x hex string or a JSON integer, as the original server reads it.',
            examples=[12345],
            ge=0,
            le=115792089237316195423570985008687907853269984665640564039457584007913129639935,
        ),
    ]


class ScheduleWithdraw(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    payload: Annotated[
        str | None,
        Field(
            description='Base64 of the sealed envelope (JSON with encrypted_payload, encrypted_dek, iv and auth_tag), as `manage.py seal_withdrawal` prints it.',
            min_length=4,
            pattern='^(?:(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)$',
        ),
    ] = None
    encryption_envelope: Annotated[
        EncryptionEnvelope | None,
        Field(
            description="The sealed envelope as the original's clients send it, each part base64."
        ),
    ] = None
    last_note_index: Annotated[
        LastNoteIndex | LastNoteIndex1 | LastNoteIndex2,
        Field(
            description='A 256-bit unsigned integer: a decimal string, a 0x hex string or a JSON integer, as the original server reads it.'
        ),
    ]
    max_relayer_fee: Annotated[
        MaxRelayerFee | MaxRelayerFee1 | MaxRelayerFee2,
        Field(
            description='A 256-bit unsigned integer: a decimal string, a 0x hex string or a JSON integer, as the original server reads it.'
        ),
    ]
    relay_after: Annotated[
        int,
        Field(
            description='Unix seconds; the relay happens at or after this time.',
            examples=[1693564800],
            ge=0,
            le=253402300799,
        ),
    ]


class Scheduled(BaseModel):
    request_id: int
    message: str
    status_token: str


class SigningSecret(BaseModel):
    webhook_secret: str


class SigningSecretEnvelope(BaseModel):
    code: Literal[0]
    message: Literal['success']
    data: SigningSecret


class SourceMethodEnum(StrEnum):
    GET = 'GET'
    POST = 'POST'


class Name12(RootModel[str]):
    root: Annotated[str, Field(max_length=200, pattern='^[^\\u0000]*$')]


class Name13(RootModel[str]):
    root: Annotated[str, Field(max_length=0)]


class ValuePointer8(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ]


class ValuePointer9(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=0,
        ),
    ]


class Status160Enum(StrEnum):
    active = 'active'
    paused = 'paused'
    completed = 'completed'
    deleted = 'deleted'


class TeeEnum(StrEnum):
    connected = 'connected'
    unresponsive = 'unresponsive'
    unreachable = 'unreachable'
    unknown = 'unknown'


class TeePublicKeyBody(BaseModel):
    public_key: Annotated[str, Field(description='Base64 of the DER RSA public key.')]
    attestation_document: Annotated[
        str, Field(description='Base64 of the attestation document.')
    ]


class TimerAttempt(BaseModel):
    number: Annotated[int, Field(ge=0, le=32767)]
    started_at: AwareDatetime
    duration_ms: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    status_code: Annotated[int | None, Field(ge=0, le=32767)] = None
    response_body: str | None = None
    error: str | None = None
    outcome: OutcomeEnum


class TimerStatusEnum(StrEnum):
    pending = 'pending'
    executing = 'executing'
    completed = 'completed'
    failed = 'failed'
    canceled = 'canceled'
    skipped = 'skipped'


class TimerSummary(BaseModel):
    id: UUID
    created_at: AwareDatetime
    execute_at: AwareDatetime
    callback_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    status: TimerStatusEnum | None = None
    executed_at: AwareDatetime | None = None


class TimerSummaryEnvelope(BaseModel):
    code: Literal[0]
    message: Literal['success']
    data: TimerSummary


class TimezoneEnum(StrEnum):
    Africa_Abidjan = 'Africa/Abidjan'
    Africa_Accra = 'Africa/Accra'
    Africa_Addis_Ababa = 'Africa/Addis_Ababa'
    Africa_Algiers = 'Africa/Algiers'
    Africa_Asmara = 'Africa/Asmara'
    Africa_Asmera = 'Africa/Asmera'
    Africa_Bamako = 'Africa/Bamako'
    Africa_Bangui = 'Africa/Bangui'
    Africa_Banjul = 'Africa/Banjul'
    Africa_Bissau = 'Africa/Bissau'
    Africa_Blantyre = 'Africa/Blantyre'
    Africa_Brazzaville = 'Africa/Brazzaville'
    Africa_Bujumbura = 'Africa/Bujumbura'
    Africa_Cairo = 'Africa/Cairo'
    Africa_Casablanca = 'Africa/Casablanca'
    Africa_Ceuta = 'Africa/Ceuta'
    Africa_Conakry = 'Africa/Conakry'
    Africa_Dakar = 'Africa/Dakar'
    Africa_Dar_es_Salaam = 'Africa/Dar_es_Salaam'
    Africa_Djibouti = 'Africa/Djibouti'
    Africa_Douala = 'Africa/Douala'
    Africa_El_Aaiun = 'Africa/El_Aaiun'
    Africa_Freetown = 'Africa/Freetown'
    Africa_Gaborone = 'Africa/Gaborone'
    Africa_Harare = 'Africa/Harare'
    Africa_Johannesburg = 'Africa/Johannesburg'
    Africa_Juba = 'Africa/Juba'
    Africa_Kampala = 'Africa/Kampala'
    Africa_Khartoum = 'Africa/Khartoum'
    Africa_Kigali = 'Africa/Kigali'
    Africa_Kinshasa = 'Africa/Kinshasa'
    Africa_Lagos = 'Africa/Lagos'
    Africa_Libreville = 'Africa/Libreville'
    Africa_Lome = 'Africa/Lome'
    Africa_Luanda = 'Africa/Luanda'
    Africa_Lubumbashi = 'Africa/Lubumbashi'
    Africa_Lusaka = 'Africa/Lusaka'
    Africa_Malabo = 'Africa/Malabo'
    Africa_Maputo = 'Africa/Maputo'
    Africa_Maseru = 'Africa/Maseru'
    Africa_Mbabane = 'Africa/Mbabane'
    Africa_Mogadishu = 'Africa/Mogadishu'
    Africa_Monrovia = 'Africa/Monrovia'
    Africa_Nairobi = 'Africa/Nairobi'
    Africa_Ndjamena = 'Africa/Ndjamena'
    Africa_Niamey = 'Africa/Niamey'
    Africa_Nouakchott = 'Africa/Nouakchott'
    Africa_Ouagadougou = 'Africa/Ouagadougou'
    Africa_Porto_Novo = 'Africa/Porto-Novo'
    Africa_Sao_Tome = 'Africa/Sao_Tome'
    Africa_Timbuktu = 'Africa/Timbuktu'
    Africa_Tripoli = 'Africa/Tripoli'
    Africa_Tunis = 'Africa/Tunis'
    Africa_Windhoek = 'Africa/Windhoek'
    America_Adak = 'America/Adak'
    America_Anchorage = 'America/Anchorage'
    America_Anguilla = 'America/Anguilla'
    America_Antigua = 'America/Antigua'
    America_Araguaina = 'America/Araguaina'
    America_Argentina_Buenos_Aires = 'America/Argentina/Buenos_Aires'
    America_Argentina_Catamarca = 'America/Argentina/Catamarca'
    America_Argentina_ComodRivadavia = 'America/Argentina/ComodRivadavia'
    America_Argentina_Cordoba = 'America/Argentina/Cordoba'
    America_Argentina_Jujuy = 'America/Argentina/Jujuy'
    America_Argentina_La_Rioja = 'America/Argentina/La_Rioja'
    America_Argentina_Mendoza = 'America/Argentina/Mendoza'
    America_Argentina_Rio_Gallegos = 'America/Argentina/Rio_Gallegos'
    America_Argentina_Salta = 'America/Argentina/Salta'
    America_Argentina_San_Juan = 'America/Argentina/San_Juan'
    America_Argentina_San_Luis = 'America/Argentina/San_Luis'
    America_Argentina_Tucuman = 'America/Argentina/Tucuman'
    America_Argentina_Ushuaia = 'America/Argentina/Ushuaia'
    America_Aruba = 'America/Aruba'
    America_Asuncion = 'America/Asuncion'
    America_Atikokan = 'America/Atikokan'
    America_Atka = 'America/Atka'
    America_Bahia = 'America/Bahia'
    America_Bahia_Banderas = 'America/Bahia_Banderas'
    America_Barbados = 'America/Barbados'
    America_Belem = 'America/Belem'
    America_Belize = 'America/Belize'
    America_Blanc_Sablon = 'America/Blanc-Sablon'
    America_Boa_Vista = 'America/Boa_Vista'
    America_Bogota = 'America/Bogota'
    America_Boise = 'America/Boise'
    America_Buenos_Aires = 'America/Buenos_Aires'
    America_Cambridge_Bay = 'America/Cambridge_Bay'
    America_Campo_Grande = 'America/Campo_Grande'
    America_Cancun = 'America/Cancun'
    America_Caracas = 'America/Caracas'
    America_Catamarca = 'America/Catamarca'
    America_Cayenne = 'America/Cayenne'
    America_Cayman = 'America/Cayman'
    America_Chicago = 'America/Chicago'
    America_Chihuahua = 'America/Chihuahua'
    America_Ciudad_Juarez = 'America/Ciudad_Juarez'
    America_Coral_Harbour = 'America/Coral_Harbour'
    America_Cordoba = 'America/Cordoba'
    America_Costa_Rica = 'America/Costa_Rica'
    America_Coyhaique = 'America/Coyhaique'
    America_Creston = 'America/Creston'
    America_Cuiaba = 'America/Cuiaba'
    America_Curacao = 'America/Curacao'
    America_Danmarkshavn = 'America/Danmarkshavn'
    America_Dawson = 'America/Dawson'
    America_Dawson_Creek = 'America/Dawson_Creek'
    America_Denver = 'America/Denver'
    America_Detroit = 'America/Detroit'
    America_Dominica = 'America/Dominica'
    America_Edmonton = 'America/Edmonton'
    America_Eirunepe = 'America/Eirunepe'
    America_El_Salvador = 'America/El_Salvador'
    America_Ensenada = 'America/Ensenada'
    America_Fort_Nelson = 'America/Fort_Nelson'
    America_Fort_Wayne = 'America/Fort_Wayne'
    America_Fortaleza = 'America/Fortaleza'
    America_Glace_Bay = 'America/Glace_Bay'
    America_Godthab = 'America/Godthab'
    America_Goose_Bay = 'America/Goose_Bay'
    America_Grand_Turk = 'America/Grand_Turk'
    America_Grenada = 'America/Grenada'
    America_Guadeloupe = 'America/Guadeloupe'
    America_Guatemala = 'America/Guatemala'
    America_Guayaquil = 'America/Guayaquil'
    America_Guyana = 'America/Guyana'
    America_Halifax = 'America/Halifax'
    America_Havana = 'America/Havana'
    America_Hermosillo = 'America/Hermosillo'
    America_Indiana_Indianapolis = 'America/Indiana/Indianapolis'
    America_Indiana_Knox = 'America/Indiana/Knox'
    America_Indiana_Marengo = 'America/Indiana/Marengo'
    America_Indiana_Petersburg = 'America/Indiana/Petersburg'
    America_Indiana_Tell_City = 'America/Indiana/Tell_City'
    America_Indiana_Vevay = 'America/Indiana/Vevay'
    America_Indiana_Vincennes = 'America/Indiana/Vincennes'
    America_Indiana_Winamac = 'America/Indiana/Winamac'
    America_Indianapolis = 'America/Indianapolis'
    America_Inuvik = 'America/Inuvik'
    America_Iqaluit = 'America/Iqaluit'
    America_Jamaica = 'America/Jamaica'
    America_Jujuy = 'America/Jujuy'
    America_Juneau = 'America/Juneau'
    America_Kentucky_Louisville = 'America/Kentucky/Louisville'
    America_Kentucky_Monticello = 'America/Kentucky/Monticello'
    America_Knox_IN = 'America/Knox_IN'
    America_Kralendijk = 'America/Kralendijk'
    America_La_Paz = 'America/La_Paz'
    America_Lima = 'America/Lima'
    America_Los_Angeles = 'America/Los_Angeles'
    America_Louisville = 'America/Louisville'
    America_Lower_Princes = 'America/Lower_Princes'
    America_Maceio = 'America/Maceio'
    America_Managua = 'America/Managua'
    America_Manaus = 'America/Manaus'
    America_Marigot = 'America/Marigot'
    America_Martinique = 'America/Martinique'
    America_Matamoros = 'America/Matamoros'
    America_Mazatlan = 'America/Mazatlan'
    America_Mendoza = 'America/Mendoza'
    America_Menominee = 'America/Menominee'
    America_Merida = 'America/Merida'
    America_Metlakatla = 'America/Metlakatla'
    America_Mexico_City = 'America/Mexico_City'
    America_Miquelon = 'America/Miquelon'
    America_Moncton = 'America/Moncton'
    America_Monterrey = 'America/Monterrey'
    America_Montevideo = 'America/Montevideo'
    America_Montreal = 'America/Montreal'
    America_Montserrat = 'America/Montserrat'
    America_Nassau = 'America/Nassau'
    America_New_York = 'America/New_York'
    America_Nipigon = 'America/Nipigon'
    America_Nome = 'America/Nome'
    America_Noronha = 'America/Noronha'
    America_North_Dakota_Beulah = 'America/North_Dakota/Beulah'
    America_North_Dakota_Center = 'America/North_Dakota/Center'
    America_North_Dakota_New_Salem = 'America/North_Dakota/New_Salem'
    America_Nuuk = 'America/Nuuk'
    America_Ojinaga = 'America/Ojinaga'
    America_Panama = 'America/Panama'
    America_Pangnirtung = 'America/Pangnirtung'
    America_Paramaribo = 'America/Paramaribo'
    America_Phoenix = 'America/Phoenix'
    America_Port_au_Prince = 'America/Port-au-Prince'
    America_Port_of_Spain = 'America/Port_of_Spain'
    America_Porto_Acre = 'America/Porto_Acre'
    America_Porto_Velho = 'America/Porto_Velho'
    America_Puerto_Rico = 'America/Puerto_Rico'
    America_Punta_Arenas = 'America/Punta_Arenas'
    America_Rainy_River = 'America/Rainy_River'
    America_Rankin_Inlet = 'America/Rankin_Inlet'
    America_Recife = 'America/Recife'
    America_Regina = 'America/Regina'
    America_Resolute = 'America/Resolute'
    America_Rio_Branco = 'America/Rio_Branco'
    America_Rosario = 'America/Rosario'
    America_Santa_Isabel = 'America/Santa_Isabel'
    America_Santarem = 'America/Santarem'
    America_Santiago = 'America/Santiago'
    America_Santo_Domingo = 'America/Santo_Domingo'
    America_Sao_Paulo = 'America/Sao_Paulo'
    America_Scoresbysund = 'America/Scoresbysund'
    America_Shiprock = 'America/Shiprock'
    America_Sitka = 'America/Sitka'
    America_St_Barthelemy = 'America/St_Barthelemy'
    America_St_Johns = 'America/St_Johns'
    America_St_Kitts = 'America/St_Kitts'
    America_St_Lucia = 'America/St_Lucia'
    America_St_Thomas = 'America/St_Thomas'
    America_St_Vincent = 'America/St_Vincent'
    America_Swift_Current = 'America/Swift_Current'
    America_Tegucigalpa = 'America/Tegucigalpa'
    America_Thule = 'America/Thule'
    America_Thunder_Bay = 'America/Thunder_Bay'
    America_Tijuana = 'America/Tijuana'
    America_Toronto = 'America/Toronto'
    America_Tortola = 'America/Tortola'
    America_Vancouver = 'America/Vancouver'
    America_Virgin = 'America/Virgin'
    America_Whitehorse = 'America/Whitehorse'
    America_Winnipeg = 'America/Winnipeg'
    America_Yakutat = 'America/Yakutat'
    America_Yellowknife = 'America/Yellowknife'
    Antarctica_Casey = 'Antarctica/Casey'
    Antarctica_Davis = 'Antarctica/Davis'
    Antarctica_DumontDUrville = 'Antarctica/DumontDUrville'
    Antarctica_Macquarie = 'Antarctica/Macquarie'
    Antarctica_Mawson = 'Antarctica/Mawson'
    Antarctica_McMurdo = 'Antarctica/McMurdo'
    Antarctica_Palmer = 'Antarctica/Palmer'
    Antarctica_Rothera = 'Antarctica/Rothera'
    Antarctica_South_Pole = 'Antarctica/South_Pole'
    Antarctica_Syowa = 'Antarctica/Syowa'
    Antarctica_Troll = 'Antarctica/Troll'
    Antarctica_Vostok = 'Antarctica/Vostok'
    Arctic_Longyearbyen = 'Arctic/Longyearbyen'
    Asia_Aden = 'Asia/Aden'
    Asia_Almaty = 'Asia/Almaty'
    Asia_Amman = 'Asia/Amman'
    Asia_Anadyr = 'Asia/Anadyr'
    Asia_Aqtau = 'Asia/Aqtau'
    Asia_Aqtobe = 'Asia/Aqtobe'
    Asia_Ashgabat = 'Asia/Ashgabat'
    Asia_Ashkhabad = 'Asia/Ashkhabad'
    Asia_Atyrau = 'Asia/Atyrau'
    Asia_Baghdad = 'Asia/Baghdad'
    Asia_Bahrain = 'Asia/Bahrain'
    Asia_Baku = 'Asia/Baku'
    Asia_Bangkok = 'Asia/Bangkok'
    Asia_Barnaul = 'Asia/Barnaul'
    Asia_Beirut = 'Asia/Beirut'
    Asia_Bishkek = 'Asia/Bishkek'
    Asia_Brunei = 'Asia/Brunei'
    Asia_Calcutta = 'Asia/Calcutta'
    Asia_Chita = 'Asia/Chita'
    Asia_Choibalsan = 'Asia/Choibalsan'
    Asia_Chongqing = 'Asia/Chongqing'
    Asia_Chungking = 'Asia/Chungking'
    Asia_Colombo = 'Asia/Colombo'
    Asia_Dacca = 'Asia/Dacca'
    Asia_Damascus = 'Asia/Damascus'
    Asia_Dhaka = 'Asia/Dhaka'
    Asia_Dili = 'Asia/Dili'
    Asia_Dubai = 'Asia/Dubai'
    Asia_Dushanbe = 'Asia/Dushanbe'
    Asia_Famagusta = 'Asia/Famagusta'
    Asia_Gaza = 'Asia/Gaza'
    Asia_Harbin = 'Asia/Harbin'
    Asia_Hebron = 'Asia/Hebron'
    Asia_Ho_Chi_Minh = 'Asia/Ho_Chi_Minh'
    Asia_Hong_Kong = 'Asia/Hong_Kong'
    Asia_Hovd = 'Asia/Hovd'
    Asia_Irkutsk = 'Asia/Irkutsk'
    Asia_Istanbul = 'Asia/Istanbul'
    Asia_Jakarta = 'Asia/Jakarta'
    Asia_Jayapura = 'Asia/Jayapura'
    Asia_Jerusalem = 'Asia/Jerusalem'
    Asia_Kabul = 'Asia/Kabul'
    Asia_Kamchatka = 'Asia/Kamchatka'
    Asia_Karachi = 'Asia/Karachi'
    Asia_Kashgar = 'Asia/Kashgar'
    Asia_Kathmandu = 'Asia/Kathmandu'
    Asia_Katmandu = 'Asia/Katmandu'
    Asia_Khandyga = 'Asia/Khandyga'
    Asia_Kolkata = 'Asia/Kolkata'
    Asia_Krasnoyarsk = 'Asia/Krasnoyarsk'
    Asia_Kuala_Lumpur = 'Asia/Kuala_Lumpur'
    Asia_Kuching = 'Asia/Kuching'
    Asia_Kuwait = 'Asia/Kuwait'
    Asia_Macao = 'Asia/Macao'
    Asia_Macau = 'Asia/Macau'
    Asia_Magadan = 'Asia/Magadan'
    Asia_Makassar = 'Asia/Makassar'
    Asia_Manila = 'Asia/Manila'
    Asia_Muscat = 'Asia/Muscat'
    Asia_Nicosia = 'Asia/Nicosia'
    Asia_Novokuznetsk = 'Asia/Novokuznetsk'
    Asia_Novosibirsk = 'Asia/Novosibirsk'
    Asia_Omsk = 'Asia/Omsk'
    Asia_Oral = 'Asia/Oral'
    Asia_Phnom_Penh = 'Asia/Phnom_Penh'
    Asia_Pontianak = 'Asia/Pontianak'
    Asia_Pyongyang = 'Asia/Pyongyang'
    Asia_Qatar = 'Asia/Qatar'
    Asia_Qostanay = 'Asia/Qostanay'
    Asia_Qyzylorda = 'Asia/Qyzylorda'
    Asia_Rangoon = 'Asia/Rangoon'
    Asia_Riyadh = 'Asia/Riyadh'
    Asia_Saigon = 'Asia/Saigon'
    Asia_Sakhalin = 'Asia/Sakhalin'
    Asia_Samarkand = 'Asia/Samarkand'
    Asia_Seoul = 'Asia/Seoul'
    Asia_Shanghai = 'Asia/Shanghai'
    Asia_Singapore = 'Asia/Singapore'
    Asia_Srednekolymsk = 'Asia/Srednekolymsk'
    Asia_Taipei = 'Asia/Taipei'
    Asia_Tashkent = 'Asia/Tashkent'
    Asia_Tbilisi = 'Asia/Tbilisi'
    Asia_Tehran = 'Asia/Tehran'
    Asia_Tel_Aviv = 'Asia/Tel_Aviv'
    Asia_Thimbu = 'Asia/Thimbu'
    Asia_Thimphu = 'Asia/Thimphu'
    Asia_Tokyo = 'Asia/Tokyo'
    Asia_Tomsk = 'Asia/Tomsk'
    Asia_Ujung_Pandang = 'Asia/Ujung_Pandang'
    Asia_Ulaanbaatar = 'Asia/Ulaanbaatar'
    Asia_Ulan_Bator = 'Asia/Ulan_Bator'
    Asia_Urumqi = 'Asia/Urumqi'
    Asia_Ust_Nera = 'Asia/Ust-Nera'
    Asia_Vientiane = 'Asia/Vientiane'
    Asia_Vladivostok = 'Asia/Vladivostok'
    Asia_Yakutsk = 'Asia/Yakutsk'
    Asia_Yangon = 'Asia/Yangon'
    Asia_Yekaterinburg = 'Asia/Yekaterinburg'
    Asia_Yerevan = 'Asia/Yerevan'
    Atlantic_Azores = 'Atlantic/Azores'
    Atlantic_Bermuda = 'Atlantic/Bermuda'
    Atlantic_Canary = 'Atlantic/Canary'
    Atlantic_Cape_Verde = 'Atlantic/Cape_Verde'
    Atlantic_Faeroe = 'Atlantic/Faeroe'
    Atlantic_Faroe = 'Atlantic/Faroe'
    Atlantic_Jan_Mayen = 'Atlantic/Jan_Mayen'
    Atlantic_Madeira = 'Atlantic/Madeira'
    Atlantic_Reykjavik = 'Atlantic/Reykjavik'
    Atlantic_South_Georgia = 'Atlantic/South_Georgia'
    Atlantic_St_Helena = 'Atlantic/St_Helena'
    Atlantic_Stanley = 'Atlantic/Stanley'
    Australia_ACT = 'Australia/ACT'
    Australia_Adelaide = 'Australia/Adelaide'
    Australia_Brisbane = 'Australia/Brisbane'
    Australia_Broken_Hill = 'Australia/Broken_Hill'
    Australia_Canberra = 'Australia/Canberra'
    Australia_Currie = 'Australia/Currie'
    Australia_Darwin = 'Australia/Darwin'
    Australia_Eucla = 'Australia/Eucla'
    Australia_Hobart = 'Australia/Hobart'
    Australia_LHI = 'Australia/LHI'
    Australia_Lindeman = 'Australia/Lindeman'
    Australia_Lord_Howe = 'Australia/Lord_Howe'
    Australia_Melbourne = 'Australia/Melbourne'
    Australia_NSW = 'Australia/NSW'
    Australia_North = 'Australia/North'
    Australia_Perth = 'Australia/Perth'
    Australia_Queensland = 'Australia/Queensland'
    Australia_South = 'Australia/South'
    Australia_Sydney = 'Australia/Sydney'
    Australia_Tasmania = 'Australia/Tasmania'
    Australia_Victoria = 'Australia/Victoria'
    Australia_West = 'Australia/West'
    Australia_Yancowinna = 'Australia/Yancowinna'
    Brazil_Acre = 'Brazil/Acre'
    Brazil_DeNoronha = 'Brazil/DeNoronha'
    Brazil_East = 'Brazil/East'
    Brazil_West = 'Brazil/West'
    CET = 'CET'
    CST6CDT = 'CST6CDT'
    Canada_Atlantic = 'Canada/Atlantic'
    Canada_Central = 'Canada/Central'
    Canada_Eastern = 'Canada/Eastern'
    Canada_Mountain = 'Canada/Mountain'
    Canada_Newfoundland = 'Canada/Newfoundland'
    Canada_Pacific = 'Canada/Pacific'
    Canada_Saskatchewan = 'Canada/Saskatchewan'
    Canada_Yukon = 'Canada/Yukon'
    Chile_Continental = 'Chile/Continental'
    Chile_EasterIsland = 'Chile/EasterIsland'
    Cuba = 'Cuba'
    EET = 'EET'
    EST = 'EST'
    EST5EDT = 'EST5EDT'
    Egypt = 'Egypt'
    Eire = 'Eire'
    Etc_GMT = 'Etc/GMT'
    Etc_GMT_0 = 'Etc/GMT+0'
    Etc_GMT_1 = 'Etc/GMT+1'
    Etc_GMT_10 = 'Etc/GMT+10'
    Etc_GMT_11 = 'Etc/GMT+11'
    Etc_GMT_12 = 'Etc/GMT+12'
    Etc_GMT_2 = 'Etc/GMT+2'
    Etc_GMT_3 = 'Etc/GMT+3'
    Etc_GMT_4 = 'Etc/GMT+4'
    Etc_GMT_5 = 'Etc/GMT+5'
    Etc_GMT_6 = 'Etc/GMT+6'
    Etc_GMT_7 = 'Etc/GMT+7'
    Etc_GMT_8 = 'Etc/GMT+8'
    Etc_GMT_9 = 'Etc/GMT+9'
    Etc_GMT_0_1 = 'Etc/GMT-0'
    Etc_GMT_1_1 = 'Etc/GMT-1'
    Etc_GMT_10_1 = 'Etc/GMT-10'
    Etc_GMT_11_1 = 'Etc/GMT-11'
    Etc_GMT_12_1 = 'Etc/GMT-12'
    Etc_GMT_13 = 'Etc/GMT-13'
    Etc_GMT_14 = 'Etc/GMT-14'
    Etc_GMT_2_1 = 'Etc/GMT-2'
    Etc_GMT_3_1 = 'Etc/GMT-3'
    Etc_GMT_4_1 = 'Etc/GMT-4'
    Etc_GMT_5_1 = 'Etc/GMT-5'
    Etc_GMT_6_1 = 'Etc/GMT-6'
    Etc_GMT_7_1 = 'Etc/GMT-7'
    Etc_GMT_8_1 = 'Etc/GMT-8'
    Etc_GMT_9_1 = 'Etc/GMT-9'
    Etc_GMT0 = 'Etc/GMT0'
    Etc_Greenwich = 'Etc/Greenwich'
    Etc_UCT = 'Etc/UCT'
    Etc_UTC = 'Etc/UTC'
    Etc_Universal = 'Etc/Universal'
    Etc_Zulu = 'Etc/Zulu'
    Europe_Amsterdam = 'Europe/Amsterdam'
    Europe_Andorra = 'Europe/Andorra'
    Europe_Astrakhan = 'Europe/Astrakhan'
    Europe_Athens = 'Europe/Athens'
    Europe_Belfast = 'Europe/Belfast'
    Europe_Belgrade = 'Europe/Belgrade'
    Europe_Berlin = 'Europe/Berlin'
    Europe_Bratislava = 'Europe/Bratislava'
    Europe_Brussels = 'Europe/Brussels'
    Europe_Bucharest = 'Europe/Bucharest'
    Europe_Budapest = 'Europe/Budapest'
    Europe_Busingen = 'Europe/Busingen'
    Europe_Chisinau = 'Europe/Chisinau'
    Europe_Copenhagen = 'Europe/Copenhagen'
    Europe_Dublin = 'Europe/Dublin'
    Europe_Gibraltar = 'Europe/Gibraltar'
    Europe_Guernsey = 'Europe/Guernsey'
    Europe_Helsinki = 'Europe/Helsinki'
    Europe_Isle_of_Man = 'Europe/Isle_of_Man'
    Europe_Istanbul = 'Europe/Istanbul'
    Europe_Jersey = 'Europe/Jersey'
    Europe_Kaliningrad = 'Europe/Kaliningrad'
    Europe_Kiev = 'Europe/Kiev'
    Europe_Kirov = 'Europe/Kirov'
    Europe_Kyiv = 'Europe/Kyiv'
    Europe_Lisbon = 'Europe/Lisbon'
    Europe_Ljubljana = 'Europe/Ljubljana'
    Europe_London = 'Europe/London'
    Europe_Luxembourg = 'Europe/Luxembourg'
    Europe_Madrid = 'Europe/Madrid'
    Europe_Malta = 'Europe/Malta'
    Europe_Mariehamn = 'Europe/Mariehamn'
    Europe_Minsk = 'Europe/Minsk'
    Europe_Monaco = 'Europe/Monaco'
    Europe_Moscow = 'Europe/Moscow'
    Europe_Nicosia = 'Europe/Nicosia'
    Europe_Oslo = 'Europe/Oslo'
    Europe_Paris = 'Europe/Paris'
    Europe_Podgorica = 'Europe/Podgorica'
    Europe_Prague = 'Europe/Prague'
    Europe_Riga = 'Europe/Riga'
    Europe_Rome = 'Europe/Rome'
    Europe_Samara = 'Europe/Samara'
    Europe_San_Marino = 'Europe/San_Marino'
    Europe_Sarajevo = 'Europe/Sarajevo'
    Europe_Saratov = 'Europe/Saratov'
    Europe_Simferopol = 'Europe/Simferopol'
    Europe_Skopje = 'Europe/Skopje'
    Europe_Sofia = 'Europe/Sofia'
    Europe_Stockholm = 'Europe/Stockholm'
    Europe_Tallinn = 'Europe/Tallinn'
    Europe_Tirane = 'Europe/Tirane'
    Europe_Tiraspol = 'Europe/Tiraspol'
    Europe_Ulyanovsk = 'Europe/Ulyanovsk'
    Europe_Uzhgorod = 'Europe/Uzhgorod'
    Europe_Vaduz = 'Europe/Vaduz'
    Europe_Vatican = 'Europe/Vatican'
    Europe_Vienna = 'Europe/Vienna'
    Europe_Vilnius = 'Europe/Vilnius'
    Europe_Volgograd = 'Europe/Volgograd'
    Europe_Warsaw = 'Europe/Warsaw'
    Europe_Zagreb = 'Europe/Zagreb'
    Europe_Zaporozhye = 'Europe/Zaporozhye'
    Europe_Zurich = 'Europe/Zurich'
    Factory = 'Factory'
    GB = 'GB'
    GB_Eire = 'GB-Eire'
    GMT = 'GMT'
    GMT_0 = 'GMT+0'
    GMT_0_1 = 'GMT-0'
    GMT0 = 'GMT0'
    Greenwich = 'Greenwich'
    HST = 'HST'
    Hongkong = 'Hongkong'
    Iceland = 'Iceland'
    Indian_Antananarivo = 'Indian/Antananarivo'
    Indian_Chagos = 'Indian/Chagos'
    Indian_Christmas = 'Indian/Christmas'
    Indian_Cocos = 'Indian/Cocos'
    Indian_Comoro = 'Indian/Comoro'
    Indian_Kerguelen = 'Indian/Kerguelen'
    Indian_Mahe = 'Indian/Mahe'
    Indian_Maldives = 'Indian/Maldives'
    Indian_Mauritius = 'Indian/Mauritius'
    Indian_Mayotte = 'Indian/Mayotte'
    Indian_Reunion = 'Indian/Reunion'
    Iran = 'Iran'
    Israel = 'Israel'
    Jamaica = 'Jamaica'
    Japan = 'Japan'
    Kwajalein = 'Kwajalein'
    Libya = 'Libya'
    MET = 'MET'
    MST = 'MST'
    MST7MDT = 'MST7MDT'
    Mexico_BajaNorte = 'Mexico/BajaNorte'
    Mexico_BajaSur = 'Mexico/BajaSur'
    Mexico_General = 'Mexico/General'
    NZ = 'NZ'
    NZ_CHAT = 'NZ-CHAT'
    Navajo = 'Navajo'
    PRC = 'PRC'
    PST8PDT = 'PST8PDT'
    Pacific_Apia = 'Pacific/Apia'
    Pacific_Auckland = 'Pacific/Auckland'
    Pacific_Bougainville = 'Pacific/Bougainville'
    Pacific_Chatham = 'Pacific/Chatham'
    Pacific_Chuuk = 'Pacific/Chuuk'
    Pacific_Easter = 'Pacific/Easter'
    Pacific_Efate = 'Pacific/Efate'
    Pacific_Enderbury = 'Pacific/Enderbury'
    Pacific_Fakaofo = 'Pacific/Fakaofo'
    Pacific_Fiji = 'Pacific/Fiji'
    Pacific_Funafuti = 'Pacific/Funafuti'
    Pacific_Galapagos = 'Pacific/Galapagos'
    Pacific_Gambier = 'Pacific/Gambier'
    Pacific_Guadalcanal = 'Pacific/Guadalcanal'
    Pacific_Guam = 'Pacific/Guam'
    Pacific_Honolulu = 'Pacific/Honolulu'
    Pacific_Johnston = 'Pacific/Johnston'
    Pacific_Kanton = 'Pacific/Kanton'
    Pacific_Kiritimati = 'Pacific/Kiritimati'
    Pacific_Kosrae = 'Pacific/Kosrae'
    Pacific_Kwajalein = 'Pacific/Kwajalein'
    Pacific_Majuro = 'Pacific/Majuro'
    Pacific_Marquesas = 'Pacific/Marquesas'
    Pacific_Midway = 'Pacific/Midway'
    Pacific_Nauru = 'Pacific/Nauru'
    Pacific_Niue = 'Pacific/Niue'
    Pacific_Norfolk = 'Pacific/Norfolk'
    Pacific_Noumea = 'Pacific/Noumea'
    Pacific_Pago_Pago = 'Pacific/Pago_Pago'
    Pacific_Palau = 'Pacific/Palau'
    Pacific_Pitcairn = 'Pacific/Pitcairn'
    Pacific_Pohnpei = 'Pacific/Pohnpei'
    Pacific_Ponape = 'Pacific/Ponape'
    Pacific_Port_Moresby = 'Pacific/Port_Moresby'
    Pacific_Rarotonga = 'Pacific/Rarotonga'
    Pacific_Saipan = 'Pacific/Saipan'
    Pacific_Samoa = 'Pacific/Samoa'
    Pacific_Tahiti = 'Pacific/Tahiti'
    Pacific_Tarawa = 'Pacific/Tarawa'
    Pacific_Tongatapu = 'Pacific/Tongatapu'
    Pacific_Truk = 'Pacific/Truk'
    Pacific_Wake = 'Pacific/Wake'
    Pacific_Wallis = 'Pacific/Wallis'
    Pacific_Yap = 'Pacific/Yap'
    Poland = 'Poland'
    Portugal = 'Portugal'
    ROC = 'ROC'
    ROK = 'ROK'
    Singapore = 'Singapore'
    Turkey = 'Turkey'
    UCT = 'UCT'
    US_Alaska = 'US/Alaska'
    US_Aleutian = 'US/Aleutian'
    US_Arizona = 'US/Arizona'
    US_Central = 'US/Central'
    US_East_Indiana = 'US/East-Indiana'
    US_Eastern = 'US/Eastern'
    US_Hawaii = 'US/Hawaii'
    US_Indiana_Starke = 'US/Indiana-Starke'
    US_Michigan = 'US/Michigan'
    US_Mountain = 'US/Mountain'
    US_Pacific = 'US/Pacific'
    US_Samoa = 'US/Samoa'
    UTC = 'UTC'
    Universal = 'Universal'
    W_SU = 'W-SU'
    WET = 'WET'
    Zulu = 'Zulu'
    localtime = 'localtime'


class TooLargeError(BaseModel):
    code: Literal[7]
    message: str


class UnauthorizedError(BaseModel):
    code: Literal[4]
    message: str


class UnavailableError(BaseModel):
    code: Literal[1]
    message: str


class UnsupportedMediaTypeError(BaseModel):
    code: Literal[2]
    message: str


class Data(BaseModel):
    errors: Annotated[dict[str, Any], Field(description="Each field's messages.")]


class ValidationErrorError(BaseModel):
    code: Literal[2]
    message: str
    data: Data | None = None


class ValueFormatEnum(StrEnum):
    number = 'number'
    hex = 'hex'


class WithdrawalStatusEnum(StrEnum):
    pending = 'pending'
    processing = 'processing'
    completed = 'completed'
    failed = 'failed'
    cancelled = 'cancelled'


class JsonValue1(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description='Any JSON value; strings and keys must not contain U+0000.',
            pattern='^[^\\u0000]*$',
        ),
    ]


class JsonValue(
    RootModel[Optional[Union[dict[Annotated[str, StringConstraints(pattern=r'^[^\u0000]*$')], Optional["JsonValue"]], list[Optional["JsonValue"]], JsonValue1, float, bool]]]
):
    root: Annotated[
        Optional[Union[dict[Annotated[str, StringConstraints(pattern=r'^[^\u0000]*$')], Optional["JsonValue"]], list[Optional["JsonValue"]], JsonValue1, float, bool]],
        Field(description='Any JSON value; strings and keys must not contain U+0000.'),
    ]


class ChainEventJob(BaseModel):
    id: UUID
    name: Annotated[str | None, Field(max_length=200)] = None
    status: Status160Enum | None = None
    schedule_type: Literal['chain_event']
    callback_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    callback_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], CallbackHeadersAdditionalProperty],
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ]
    callback_payload: JsonValue | None
    max_attempts: Annotated[int | None, Field(ge=0, le=32767)] = None
    metadata: JsonValue | None
    run_count: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    manual_runs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    max_runs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    next_run_at: AwareDatetime | None = None
    last_run_at: AwareDatetime | None = None
    created_at: AwareDatetime
    updated_at: AwareDatetime
    rpc_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    address: Annotated[
        Address | Address1,
        Field(
            description='The contract whose logs fire the job, or a list of up to 100 of them (0x and 40 hex digits; stored in lower case).'
        ),
    ]
    topics: Annotated[
        list[Topics | Topics1 | None],
        Field(
            description='eth_getLogs topics: up to 4 positions, each null (any), a topic (0x and 64 hex digits) or a list of up to 20 topics (any of them).',
            max_length=4,
        ),
    ]
    confirmations: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    from_block: Annotated[
        FromBlock | FromBlock1,
        Field(
            description='The first block to scan, or "latest" (default): the head when the job is created.'
        ),
    ]
    poll_interval_secs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    max_block_range: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    reorg_depth: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    last_processed_block: Annotated[int | None, Field(ge=0, le=9223372036854775807)] = (
        None
    )
    last_processed_hash: Annotated[str | None, Field(max_length=66)] = None
    lag: Annotated[
        int | None,
        Field(
            description="The endpoint's head block less the last block processed (0 if ahead); null while either is unknown."
        ),
    ]
    last_error: str | None = None


class ChainEventJobWrite(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    schedule_type: Literal['chain_event']
    name: Name | Name1 | None = None
    callback_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    callback_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], CallbackHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    callback_payload: JsonValue | None = None
    metadata: JsonValue | None = None
    max_attempts: Annotated[int | None, Field(ge=1, le=10)] = None
    max_runs: Annotated[int | None, Field(ge=1, le=1000000000)] = None
    poll_interval_secs: Annotated[
        int | None, Field(description='Default 1.', ge=1, le=3600)
    ] = None
    rpc_url: Annotated[
        str,
        Field(
            description="The chain's JSON-RPC endpoint.",
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    address: Annotated[
        Address2 | Address3,
        Field(
            description='The contract whose logs fire the job, or a list of up to 100 of them (0x and 40 hex digits; stored in lower case).'
        ),
    ]
    topics: Annotated[
        list[Topics2 | Topics3 | None] | None,
        Field(
            description='eth_getLogs topics: up to 4 positions, each null (any), a topic (0x and 64 hex digits) or a list of up to 20 topics (any of them).',
            max_length=4,
        ),
    ] = None
    confirmations: Annotated[
        int | None, Field(description='Default 3.', ge=0, le=1000)
    ] = None
    from_block: Annotated[
        FromBlock2 | FromBlock3 | None,
        Field(
            description='The first block to scan, or "latest" (default): the head when the job is created.'
        ),
    ] = None
    max_block_range: Annotated[
        int | None,
        Field(
            description='The widest eth_getLogs range; default 1000.', ge=1, le=100000
        ),
    ] = None
    reorg_depth: Annotated[
        int | None,
        Field(
            description='How far back a reorganisation is followed; default 64.',
            ge=1,
            le=1024,
        ),
    ] = None


class All(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    source_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    source_method: SourceMethod | None = SourceMethod.GET
    source_body: Annotated[
        JsonValue | None, Field(description='Sent as JSON; only with POST.')
    ] = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]
    value_format: ValueFormat | None = ValueFormat.number


class AllItem(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    source_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    source_method: SourceMethod | None = SourceMethod.GET
    source_body: Annotated[
        JsonValue | None, Field(description='Sent as JSON; only with POST.')
    ] = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]
    value_format: ValueFormat | None = ValueFormat.number


class AnyItem(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    source_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    source_method: SourceMethod | None = SourceMethod.GET
    source_body: Annotated[
        JsonValue | None, Field(description='Sent as JSON; only with POST.')
    ] = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]
    value_format: ValueFormat | None = ValueFormat.number


class All1(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    all: Annotated[list[AllItem] | None, Field(max_length=20, min_length=1)] = None
    any: Annotated[list[AnyItem] | None, Field(max_length=20, min_length=1)] = None


class AnyModel(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    source_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    source_method: SourceMethod | None = SourceMethod.GET
    source_body: Annotated[
        JsonValue | None, Field(description='Sent as JSON; only with POST.')
    ] = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]
    value_format: ValueFormat | None = ValueFormat.number


class AllItem1(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    source_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    source_method: SourceMethod | None = SourceMethod.GET
    source_body: Annotated[
        JsonValue | None, Field(description='Sent as JSON; only with POST.')
    ] = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]
    value_format: ValueFormat | None = ValueFormat.number


class AnyItem1(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    source_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    source_method: SourceMethod | None = SourceMethod.GET
    source_body: Annotated[
        JsonValue | None, Field(description='Sent as JSON; only with POST.')
    ] = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]
    value_format: ValueFormat | None = ValueFormat.number


class Any1(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    all: Annotated[list[AllItem1] | None, Field(max_length=20, min_length=1)] = None
    any: Annotated[list[AnyItem1] | None, Field(max_length=20, min_length=1)] = None


class Conditions(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    all: Annotated[list[All | All1] | None, Field(max_length=20, min_length=1)] = None
    any: Annotated[list[AnyModel | Any1] | None, Field(max_length=20, min_length=1)] = (
        None
    )


class ConditionJob(BaseModel):
    id: UUID
    name: Annotated[str | None, Field(max_length=200)] = None
    status: Status160Enum | None = None
    schedule_type: Literal['condition']
    callback_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    callback_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], CallbackHeadersAdditionalProperty],
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ]
    callback_payload: JsonValue | None
    max_attempts: Annotated[int | None, Field(ge=0, le=32767)] = None
    metadata: JsonValue | None
    run_count: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    manual_runs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    max_runs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    next_run_at: AwareDatetime | None = None
    last_run_at: AwareDatetime | None = None
    created_at: AwareDatetime
    updated_at: AwareDatetime
    source_url: str | None = None
    source_method: str | None = None
    source_body: JsonValue | None = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    source_timeout_secs: float | None = None
    value_pointer: str | None = None
    value_format: str | None = None
    operator: str | None = None
    target: Annotated[
        float | constr(max_length=1000) | bool | None,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ] = None
    conditions: Annotated[
        Conditions | None,
        Field(description="A composite job's expression, instead of the source."),
    ] = None
    poll_interval_secs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    for_secs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    cooldown_secs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    condition_state: ConditionStateEnum | None = None
    last_value: Annotated[
        JsonValue | None,
        Field(
            description="The value read; for a composite job, each clause's, in clause order."
        ),
    ]
    last_evaluated_at: AwareDatetime | None = None
    last_error: str | None = None
    overlap_policy: OverlapPolicy598Enum | None = None
    skipped_runs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    upcoming_runs: Annotated[
        list[AwareDatetime] | None,
        Field(
            description="GET /jobs/{id} only: always empty (a condition's runs cannot be foreseen)."
        ),
    ] = None


class All2(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    source_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    source_method: SourceMethod | None = SourceMethod.GET
    source_body: Annotated[
        JsonValue | None, Field(description='Sent as JSON; only with POST.')
    ] = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]
    value_format: ValueFormat | None = ValueFormat.number


class AllItem2(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    source_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    source_method: SourceMethod | None = SourceMethod.GET
    source_body: Annotated[
        JsonValue | None, Field(description='Sent as JSON; only with POST.')
    ] = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]
    value_format: ValueFormat | None = ValueFormat.number


class AnyItem2(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    source_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    source_method: SourceMethod | None = SourceMethod.GET
    source_body: Annotated[
        JsonValue | None, Field(description='Sent as JSON; only with POST.')
    ] = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]
    value_format: ValueFormat | None = ValueFormat.number


class All3(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    all: Annotated[list[AllItem2] | None, Field(max_length=20, min_length=1)] = None
    any: Annotated[list[AnyItem2] | None, Field(max_length=20, min_length=1)] = None


class Any2(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    source_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    source_method: SourceMethod | None = SourceMethod.GET
    source_body: Annotated[
        JsonValue | None, Field(description='Sent as JSON; only with POST.')
    ] = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]
    value_format: ValueFormat | None = ValueFormat.number


class AllItem3(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    source_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    source_method: SourceMethod | None = SourceMethod.GET
    source_body: Annotated[
        JsonValue | None, Field(description='Sent as JSON; only with POST.')
    ] = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]
    value_format: ValueFormat | None = ValueFormat.number


class AnyItem3(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    source_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    source_method: SourceMethod | None = SourceMethod.GET
    source_body: Annotated[
        JsonValue | None, Field(description='Sent as JSON; only with POST.')
    ] = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]
    value_format: ValueFormat | None = ValueFormat.number


class Any3(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    all: Annotated[list[AllItem3] | None, Field(max_length=20, min_length=1)] = None
    any: Annotated[list[AnyItem3] | None, Field(max_length=20, min_length=1)] = None


class Conditions1(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    all: Annotated[list[All2 | All3] | None, Field(max_length=20, min_length=1)] = None
    any: Annotated[list[Any2 | Any3] | None, Field(max_length=20, min_length=1)] = None


class ConditionJobWrite(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    schedule_type: Literal['condition']
    name: Name2 | Name3 | None = None
    callback_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    callback_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], CallbackHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    callback_payload: JsonValue | None = None
    metadata: JsonValue | None = None
    max_attempts: Annotated[int | None, Field(ge=1, le=10)] = None
    max_runs: Annotated[int | None, Field(ge=1, le=1000000000)] = None
    timezone: TimezoneEnum | None = None
    start_at: AwareDatetime | None = None
    end_at: AwareDatetime | None = None
    misfire_policy: MisfirePolicyAe3Enum | None = None
    misfire_grace_secs: Annotated[int | None, Field(ge=0, le=604800)] = None
    overlap_policy: OverlapPolicy0a9Enum | None = None
    source_url: Annotated[
        str | None,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ] = None
    source_method: Annotated[
        SourceMethodEnum | None, Field(description='GET (default) or POST.')
    ] = None
    source_body: Annotated[
        JsonValue | None,
        Field(
            description='Sent as JSON (Content-Type application/json); only with source_method POST.'
        ),
    ] = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    source_timeout_secs: Annotated[int | None, Field(ge=1, le=30)] = None
    value_pointer: Annotated[
        ValuePointer | ValuePointer1 | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it."
        ),
    ] = None
    value_format: Annotated[
        ValueFormatEnum | None,
        Field(
            description='number (default: a number, or a number written as a string) or hex (a "0x" quantity).'
        ),
    ] = None
    operator: OperatorEnum | None = None
    target: Annotated[
        float | constr(max_length=1000) | bool | None,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ] = None
    conditions: Annotated[
        Conditions1 | None,
        Field(
            description='A composite condition: {"all": [...]} or {"any": [...]} of clauses, or once of such groups of clauses; at most 20 clauses. Instead of the single source\'s fields.'
        ),
    ] = None
    poll_interval_secs: Annotated[int, Field(ge=1, le=86400)]
    for_secs: Annotated[int | None, Field(ge=0, le=604800)] = None
    cooldown_secs: Annotated[int | None, Field(ge=0, le=2592000)] = None


class CronJob(BaseModel):
    id: UUID
    name: Annotated[str | None, Field(max_length=200)] = None
    status: Status160Enum | None = None
    schedule_type: Literal['cron']
    callback_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    callback_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], CallbackHeadersAdditionalProperty],
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ]
    callback_payload: JsonValue | None
    max_attempts: Annotated[int | None, Field(ge=0, le=32767)] = None
    metadata: JsonValue | None
    run_count: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    manual_runs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    max_runs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    next_run_at: AwareDatetime | None = None
    last_run_at: AwareDatetime | None = None
    created_at: AwareDatetime
    updated_at: AwareDatetime
    cron_expression: Annotated[str | None, Field(max_length=200)] = None
    timezone: Annotated[str | None, Field(max_length=64)] = None
    start_at: AwareDatetime | None = None
    end_at: AwareDatetime | None = None
    misfire_policy: MisfirePolicy79bEnum | None = None
    misfire_grace_secs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    overlap_policy: OverlapPolicy598Enum | None = None
    skipped_runs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    upcoming_runs: Annotated[
        list[AwareDatetime] | None,
        Field(
            description='GET /jobs/{id} only: the next runs (as many as `upcoming` asks for).'
        ),
    ] = None


class CronJobWrite(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    schedule_type: Literal['cron']
    name: Name4 | Name5 | None = None
    callback_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    callback_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], CallbackHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    callback_payload: JsonValue | None = None
    metadata: JsonValue | None = None
    max_attempts: Annotated[int | None, Field(ge=1, le=10)] = None
    max_runs: Annotated[int | None, Field(ge=1, le=1000000000)] = None
    cron_expression: Annotated[str, Field(max_length=200, pattern='^[^\\u0000]*$')]
    timezone: TimezoneEnum | None = None
    start_at: AwareDatetime | None = None
    end_at: AwareDatetime | None = None
    misfire_policy: MisfirePolicyAe3Enum | None = None
    misfire_grace_secs: Annotated[int | None, Field(ge=0, le=604800)] = None
    overlap_policy: OverlapPolicy0a9Enum | None = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    source_timeout_secs: Annotated[int | None, Field(ge=1, le=30)] = None
    value_pointer: Annotated[
        ValuePointer2 | ValuePointer3 | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it."
        ),
    ] = None
    for_secs: Annotated[int | None, Field(ge=0, le=604800)] = None
    cooldown_secs: Annotated[int | None, Field(ge=0, le=2592000)] = None


class EventJobWrite(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    schedule_type: Literal['event']
    name: Name6 | Name7 | None = None
    callback_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    callback_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], CallbackHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    callback_payload: JsonValue | None = None
    metadata: JsonValue | None = None
    max_attempts: Annotated[int | None, Field(ge=1, le=10)] = None
    max_runs: Annotated[int | None, Field(ge=1, le=1000000000)] = None
    event_type: Annotated[
        str,
        Field(
            description='The type of the events that fire the job: 1 to 200 printable characters.',
            examples=['order.paid'],
            max_length=200,
            pattern='^[^\\x00-\\x1f\\x7f-\\x9f]{1,200}$',
        ),
    ]
    event_filter: Annotated[
        EventFilter2 | EventFilter3 | None,
        Field(
            description="Which events' data fire the job: a clause, or all/any of clauses (nested once at most, at most 20 clauses). None: every event of the type."
        ),
    ] = None
    debounce_secs: Annotated[
        int | None,
        Field(
            description='Fire once the events stop for this long, with the last one.',
            ge=1,
            le=86400,
        ),
    ] = None
    batch_max: Annotated[
        int | None,
        Field(
            description='Fire with up to this many events together (with batch_window_secs).',
            ge=1,
            le=1000,
        ),
    ] = None
    batch_window_secs: Annotated[
        int | None,
        Field(
            description='Fire a batch at most this long after its first event (with batch_max).',
            ge=1,
            le=86400,
        ),
    ] = None
    throttle_max: Annotated[
        int | None,
        Field(
            description='Fire for at most this many events a window (with throttle_window_secs).',
            ge=1,
            le=1000000,
        ),
    ] = None
    throttle_window_secs: Annotated[int | None, Field(ge=1, le=86400)] = None


class EventTask(BaseModel):
    task_id: UUID
    event_id: str
    status: TimerStatusEnum | None = None
    created_at: AwareDatetime


class EventWrite(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    type: Annotated[
        str,
        Field(
            description='e.g. order.paid',
            max_length=200,
            min_length=1,
            pattern='^[\\u0021-\\u007e](?:[\\u0020-\\u007e]*[\\u0021-\\u007e])?$',
        ),
    ]
    data: JsonValue | None = None
    id: Annotated[
        str | None,
        Field(
            description="The client's id of the event: the same id again within the idempotency window answers as the first time and fires nothing. One is given (evt_…) when absent.",
            max_length=255,
            min_length=1,
            pattern='^[\\u0021-\\u007e](?:[\\u0020-\\u007e]*[\\u0021-\\u007e])?$',
        ),
    ] = None


class Health(BaseModel):
    status: HealthStatusEnum
    database: DatabaseEnum
    tee: TeeEnum
    timestamp: AwareDatetime


class HealthEnvelope(BaseModel):
    code: Literal[0]
    message: Literal['success']
    data: Health


class IntervalJob(BaseModel):
    id: UUID
    name: Annotated[str | None, Field(max_length=200)] = None
    status: Status160Enum | None = None
    schedule_type: Literal['interval']
    callback_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    callback_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], CallbackHeadersAdditionalProperty],
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ]
    callback_payload: JsonValue | None
    max_attempts: Annotated[int | None, Field(ge=0, le=32767)] = None
    metadata: JsonValue | None
    run_count: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    manual_runs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    max_runs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    next_run_at: AwareDatetime | None = None
    last_run_at: AwareDatetime | None = None
    created_at: AwareDatetime
    updated_at: AwareDatetime
    interval_secs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    timezone: Annotated[str | None, Field(max_length=64)] = None
    start_at: AwareDatetime | None = None
    end_at: AwareDatetime | None = None
    misfire_policy: MisfirePolicy79bEnum | None = None
    misfire_grace_secs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    overlap_policy: OverlapPolicy598Enum | None = None
    skipped_runs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    upcoming_runs: Annotated[
        list[AwareDatetime] | None,
        Field(
            description='GET /jobs/{id} only: the next runs (as many as `upcoming` asks for).'
        ),
    ] = None


class IntervalJobWrite(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    schedule_type: Literal['interval']
    name: Name8 | Name9 | None = None
    callback_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    callback_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], CallbackHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    callback_payload: JsonValue | None = None
    metadata: JsonValue | None = None
    max_attempts: Annotated[int | None, Field(ge=1, le=10)] = None
    max_runs: Annotated[int | None, Field(ge=1, le=1000000000)] = None
    interval_secs: Annotated[int, Field(ge=1, le=316224000)]
    timezone: TimezoneEnum | None = None
    start_at: AwareDatetime | None = None
    end_at: AwareDatetime | None = None
    misfire_policy: MisfirePolicyAe3Enum | None = None
    misfire_grace_secs: Annotated[int | None, Field(ge=0, le=604800)] = None
    overlap_policy: OverlapPolicy0a9Enum | None = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    source_timeout_secs: Annotated[int | None, Field(ge=1, le=30)] = None
    value_pointer: Annotated[
        ValuePointer4 | ValuePointer5 | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it."
        ),
    ] = None
    for_secs: Annotated[int | None, Field(ge=0, le=604800)] = None
    cooldown_secs: Annotated[int | None, Field(ge=0, le=2592000)] = None


class All8(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    source_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    source_method: SourceMethod | None = SourceMethod.GET
    source_body: Annotated[
        JsonValue | None, Field(description='Sent as JSON; only with POST.')
    ] = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]
    value_format: ValueFormat | None = ValueFormat.number


class AllItem8(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    source_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    source_method: SourceMethod | None = SourceMethod.GET
    source_body: Annotated[
        JsonValue | None, Field(description='Sent as JSON; only with POST.')
    ] = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]
    value_format: ValueFormat | None = ValueFormat.number


class AnyItem8(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    source_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    source_method: SourceMethod | None = SourceMethod.GET
    source_body: Annotated[
        JsonValue | None, Field(description='Sent as JSON; only with POST.')
    ] = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]
    value_format: ValueFormat | None = ValueFormat.number


class All9(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    all: Annotated[list[AllItem8] | None, Field(max_length=20, min_length=1)] = None
    any: Annotated[list[AnyItem8] | None, Field(max_length=20, min_length=1)] = None


class Any8(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    source_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    source_method: SourceMethod | None = SourceMethod.GET
    source_body: Annotated[
        JsonValue | None, Field(description='Sent as JSON; only with POST.')
    ] = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]
    value_format: ValueFormat | None = ValueFormat.number


class AllItem9(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    source_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    source_method: SourceMethod | None = SourceMethod.GET
    source_body: Annotated[
        JsonValue | None, Field(description='Sent as JSON; only with POST.')
    ] = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]
    value_format: ValueFormat | None = ValueFormat.number


class AnyItem9(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    source_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    source_method: SourceMethod | None = SourceMethod.GET
    source_body: Annotated[
        JsonValue | None, Field(description='Sent as JSON; only with POST.')
    ] = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    value_pointer: Annotated[
        str | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
            max_length=500,
            pattern='^(/([^~/]|~[01])*)*$',
        ),
    ] = None
    operator: Operator
    target: Annotated[
        float | constr(max_length=1000) | bool,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ]
    value_format: ValueFormat | None = ValueFormat.number


class Any9(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    all: Annotated[list[AllItem9] | None, Field(max_length=20, min_length=1)] = None
    any: Annotated[list[AnyItem9] | None, Field(max_length=20, min_length=1)] = None


class Conditions2(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    all: Annotated[list[All8 | All9] | None, Field(max_length=20, min_length=1)] = None
    any: Annotated[list[Any8 | Any9] | None, Field(max_length=20, min_length=1)] = None


class PatchedJobUpdate(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    name: Name10 | Name11 | None = None
    callback_url: Annotated[
        str | None,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ] = None
    callback_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], CallbackHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    callback_payload: JsonValue | None = None
    metadata: JsonValue | None = None
    max_attempts: Annotated[int | None, Field(ge=1, le=10)] = None
    max_runs: Annotated[int | None, Field(ge=1, le=1000000000)] = None
    cron_expression: Annotated[
        str | None, Field(max_length=200, pattern='^[^\\u0000]*$')
    ] = None
    interval_secs: Annotated[int | None, Field(ge=1, le=316224000)] = None
    run_at: AwareDatetime | None = None
    timezone: TimezoneEnum | None = None
    start_at: AwareDatetime | None = None
    end_at: AwareDatetime | None = None
    misfire_policy: MisfirePolicyAe3Enum | None = None
    misfire_grace_secs: Annotated[int | None, Field(ge=0, le=604800)] = None
    overlap_policy: OverlapPolicy0a9Enum | None = None
    source_url: Annotated[
        str | None,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ] = None
    source_method: Annotated[
        SourceMethodEnum | None, Field(description='GET (default) or POST.')
    ] = None
    source_body: Annotated[
        JsonValue | None,
        Field(
            description='Sent as JSON (Content-Type application/json); only with source_method POST.'
        ),
    ] = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    source_timeout_secs: Annotated[int | None, Field(ge=1, le=30)] = None
    value_pointer: Annotated[
        ValuePointer6 | ValuePointer7 | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it."
        ),
    ] = None
    value_format: Annotated[
        ValueFormatEnum | None,
        Field(
            description='number (default: a number, or a number written as a string) or hex (a "0x" quantity).'
        ),
    ] = None
    operator: OperatorEnum | None = None
    target: Annotated[
        float | constr(max_length=1000) | bool | None,
        Field(
            description='What the value is compared with: a number (compared as a decimal), or a string or boolean for == and !=.'
        ),
    ] = None
    conditions: Annotated[
        Conditions2 | None,
        Field(
            description='A composite condition: {"all": [...]} or {"any": [...]} of clauses, or once of such groups of clauses; at most 20 clauses. Instead of the single source\'s fields.'
        ),
    ] = None
    poll_interval_secs: Annotated[int | None, Field(ge=1, le=86400)] = None
    for_secs: Annotated[int | None, Field(ge=0, le=604800)] = None
    cooldown_secs: Annotated[int | None, Field(ge=0, le=2592000)] = None
    event_type: Annotated[
        str | None,
        Field(
            description='The type of the events that fire the job: 1 to 200 printable characters.',
            examples=['order.paid'],
            max_length=200,
            pattern='^[^\\x00-\\x1f\\x7f-\\x9f]{1,200}$',
        ),
    ] = None
    event_filter: Annotated[
        EventFilter4 | EventFilter5 | None,
        Field(
            description="Which events' data fire the job: a clause, or all/any of clauses (nested once at most, at most 20 clauses). None: every event of the type."
        ),
    ] = None
    debounce_secs: Annotated[
        int | None,
        Field(
            description='Fire once the events stop for this long, with the last one.',
            ge=1,
            le=86400,
        ),
    ] = None
    batch_max: Annotated[
        int | None,
        Field(
            description='Fire with up to this many events together (with batch_window_secs).',
            ge=1,
            le=1000,
        ),
    ] = None
    batch_window_secs: Annotated[
        int | None,
        Field(
            description='Fire a batch at most this long after its first event (with batch_max).',
            ge=1,
            le=86400,
        ),
    ] = None
    throttle_max: Annotated[
        int | None,
        Field(
            description='Fire for at most this many events a window (with throttle_window_secs).',
            ge=1,
            le=1000000,
        ),
    ] = None
    throttle_window_secs: Annotated[int | None, Field(ge=1, le=86400)] = None
    rpc_url: Annotated[
        str | None,
        Field(
            description="The chain's JSON-RPC endpoint.",
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ] = None
    address: Annotated[
        Address4 | Address5 | None,
        Field(
            description='The contract whose logs fire the job, or a list of up to 100 of them (0x and 40 hex digits; stored in lower case).'
        ),
    ] = None
    topics: Annotated[
        list[Topics4 | Topics5 | None] | None,
        Field(
            description='eth_getLogs topics: up to 4 positions, each null (any), a topic (0x and 64 hex digits) or a list of up to 20 topics (any of them).',
            max_length=4,
        ),
    ] = None
    confirmations: Annotated[
        int | None, Field(description='Default 3.', ge=0, le=1000)
    ] = None
    from_block: Annotated[
        FromBlock4 | FromBlock5 | None,
        Field(
            description='The first block to scan, or "latest" (default): the head when the job is created.'
        ),
    ] = None
    max_block_range: Annotated[
        int | None,
        Field(
            description='The widest eth_getLogs range; default 1000.', ge=1, le=100000
        ),
    ] = None
    reorg_depth: Annotated[
        int | None,
        Field(
            description='How far back a reorganisation is followed; default 64.',
            ge=1,
            le=1024,
        ),
    ] = None
    schedule_type: ScheduleTypeEnum | None = None


class PatchedTimerUpdate(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    execute_at: AwareDatetime | None = None
    callback_url: Annotated[
        str | None,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ] = None
    callback_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], CallbackHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    callback_payload: JsonValue | None = None
    metadata: JsonValue | None = None
    max_attempts: Annotated[int | None, Field(ge=1, le=10)] = None


class ReplayFilter(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    status: Annotated[
        list[ReplayFilterStatusEnum] | None,
        Field(
            description='Default ["failed"]; "skipped": tasks an overlap_policy skip job never attempted.',
            max_length=2,
            min_length=1,
        ),
    ] = None
    kind: Annotated[
        KindEnum | None, Field(description="Only one-shot timers, or only jobs' tasks.")
    ] = None
    job_id: Annotated[UUID | None, Field(description="Only this job's tasks.")] = None
    callback_host: Annotated[
        str | None,
        Field(
            description="The callback URL's host, exactly (any case; without the port; IPv6 in brackets).",
            max_length=255,
            pattern='^(?:[A-Za-z0-9._~-]{1,255}|\\[[0-9A-Fa-f:.]{2,45}\\])$',
        ),
    ] = None
    error: Annotated[
        str | None,
        Field(
            description='Text in the last error (any case).',
            max_length=500,
            min_length=1,
            pattern='^[^\\u0000]*$',
        ),
    ] = None
    failed_after: Annotated[
        AwareDatetime | None, Field(description='Ended (last changed) after this time.')
    ] = None
    failed_before: Annotated[
        AwareDatetime | None,
        Field(description='Ended (last changed) before this time.'),
    ] = None
    ids: Annotated[
        list[UUID] | None,
        Field(
            description='Only these timers or tasks (at most 1000).',
            max_length=1000,
            min_length=1,
        ),
    ] = None


class ReplayRequest(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    filter: Annotated[
        ReplayFilter | None,
        Field(description='Which dead letters; none: every failed one.'),
    ] = None
    dry_run: Annotated[
        bool | None,
        Field(description='Only count them and show a sample; change nothing.'),
    ] = False
    rate: Annotated[
        float | None,
        Field(
            description='Replays per second: the i-th replayed is due i / rate seconds from now.',
            ge=0.001,
            le=10000.0,
        ),
    ] = 50.0
    limit: Annotated[
        int | None, Field(description='At most this many are replayed.', ge=1, le=10000)
    ] = 1000


class SpecificJob(BaseModel):
    id: UUID
    name: Annotated[str | None, Field(max_length=200)] = None
    status: Status160Enum | None = None
    schedule_type: Literal['specific']
    callback_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    callback_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], CallbackHeadersAdditionalProperty],
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ]
    callback_payload: JsonValue | None
    max_attempts: Annotated[int | None, Field(ge=0, le=32767)] = None
    metadata: JsonValue | None
    run_count: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    manual_runs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    max_runs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    next_run_at: AwareDatetime | None = None
    last_run_at: AwareDatetime | None = None
    created_at: AwareDatetime
    updated_at: AwareDatetime
    run_at: AwareDatetime | None = None
    timezone: Annotated[str | None, Field(max_length=64)] = None
    start_at: AwareDatetime | None = None
    end_at: AwareDatetime | None = None
    misfire_policy: MisfirePolicy79bEnum | None = None
    misfire_grace_secs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    overlap_policy: OverlapPolicy598Enum | None = None
    skipped_runs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    upcoming_runs: Annotated[
        list[AwareDatetime] | None,
        Field(
            description='GET /jobs/{id} only: the next runs (as many as `upcoming` asks for).'
        ),
    ] = None


class SpecificJobWrite(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    schedule_type: Literal['specific']
    name: Name12 | Name13 | None = None
    callback_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    callback_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], CallbackHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    callback_payload: JsonValue | None = None
    metadata: JsonValue | None = None
    max_attempts: Annotated[int | None, Field(ge=1, le=10)] = None
    max_runs: Annotated[int | None, Field(ge=1, le=1000000000)] = None
    run_at: AwareDatetime
    timezone: TimezoneEnum | None = None
    start_at: AwareDatetime | None = None
    end_at: AwareDatetime | None = None
    misfire_policy: MisfirePolicyAe3Enum | None = None
    misfire_grace_secs: Annotated[int | None, Field(ge=0, le=604800)] = None
    overlap_policy: OverlapPolicy0a9Enum | None = None
    source_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], SourceHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    source_timeout_secs: Annotated[int | None, Field(ge=1, le=30)] = None
    value_pointer: Annotated[
        ValuePointer8 | ValuePointer9 | None,
        Field(
            description="A JSON Pointer (RFC 6901) into the source's answer; empty for all of it."
        ),
    ] = None
    for_secs: Annotated[int | None, Field(ge=0, le=604800)] = None
    cooldown_secs: Annotated[int | None, Field(ge=0, le=2592000)] = None


class TaskDetail(BaseModel):
    id: UUID
    created_at: AwareDatetime
    updated_at: AwareDatetime
    execute_at: AwareDatetime
    callback_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    callback_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], CallbackHeadersAdditionalProperty],
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ]
    callback_payload: JsonValue | None
    status: TimerStatusEnum | None = None
    last_error: str | None = None
    executed_at: AwareDatetime | None = None
    metadata: JsonValue | None
    max_attempts: Annotated[int | None, Field(ge=0, le=32767)] = None
    attempt_count: int
    webhook_id: str
    attempts: list[TimerAttempt]
    job_id: UUID
    scheduled_for: AwareDatetime | None = None
    manual: Annotated[
        bool,
        Field(
            description="True for a run asked for by hand (POST /jobs/{id}/run), outside the job's schedule."
        ),
    ]


class TaskDetailEnvelope(BaseModel):
    code: Literal[0]
    message: Literal['success']
    data: TaskDetail


class TaskSummary(BaseModel):
    id: UUID
    created_at: AwareDatetime
    execute_at: AwareDatetime
    callback_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    status: TimerStatusEnum | None = None
    executed_at: AwareDatetime | None = None
    job_id: UUID | None
    scheduled_for: AwareDatetime | None = None
    manual: Annotated[
        bool,
        Field(
            description="True for a run asked for by hand (POST /jobs/{id}/run), outside the job's schedule."
        ),
    ]


class TeePublicKey(BaseModel):
    TeePublicKey: TeePublicKeyBody
    public_key: str
    attestation_document: str


class TimerBatchCreated(BaseModel):
    timers: Annotated[
        list[TimerSummary], Field(description='The timers created, in the order given.')
    ]


class TimerBatchCreatedEnvelope(BaseModel):
    code: Literal[0]
    message: Literal['success']
    data: TimerBatchCreated


class TimerDetail(BaseModel):
    id: UUID
    created_at: AwareDatetime
    updated_at: AwareDatetime
    execute_at: AwareDatetime
    callback_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    callback_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], CallbackHeadersAdditionalProperty],
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ]
    callback_payload: JsonValue | None
    status: TimerStatusEnum | None = None
    last_error: str | None = None
    executed_at: AwareDatetime | None = None
    metadata: JsonValue | None
    max_attempts: Annotated[int | None, Field(ge=0, le=32767)] = None
    attempt_count: int
    webhook_id: str
    attempts: list[TimerAttempt]


class TimerDetailEnvelope(BaseModel):
    code: Literal[0]
    message: Literal['success']
    data: TimerDetail


class TimerList(BaseModel):
    timers: list[TimerSummary]
    total: int
    limit: int
    offset: int


class TimerListEnvelope(BaseModel):
    code: Literal[0]
    message: Literal['success']
    data: TimerList


class TimerWrite(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    execute_at: AwareDatetime
    callback_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    callback_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], CallbackHeadersAdditionalProperty] | None,
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ] = None
    callback_payload: JsonValue | None = None
    metadata: JsonValue | None = None
    max_attempts: Annotated[int | None, Field(ge=1, le=10)] = None


class WithdrawalStatus(BaseModel):
    status: WithdrawalStatusEnum | None = None
    relay_after: int
    created_at: AwareDatetime
    processed_at: AwareDatetime | None = None
    retry_count: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    error_message: str | None = None
    tx_hash: Annotated[str | None, Field(max_length=80)] = None


class EventJob(BaseModel):
    id: UUID
    name: Annotated[str | None, Field(max_length=200)] = None
    status: Status160Enum | None = None
    schedule_type: Literal['event']
    callback_url: Annotated[
        str,
        Field(
            examples=['https://api.example.com/webhook'],
            max_length=2048,
            pattern="^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?(?:[A-Za-z0-9._~-]+|\\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,0}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){1}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}))|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4})|(?:(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::))\\])(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(?:[/?#][^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*)?)$",
        ),
    ]
    callback_headers: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r'^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$')], CallbackHeadersAdditionalProperty],
        Field(
            description='Header names to values, sent with the callback. Hop-by-hop, framing and signature headers cannot be set (compared without regard to case).',
            examples=[{'Authorization': 'Bearer token123'}],
            max_length=50,
        ),
    ]
    callback_payload: JsonValue | None
    max_attempts: Annotated[int | None, Field(ge=0, le=32767)] = None
    metadata: JsonValue | None
    run_count: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    manual_runs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    max_runs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    next_run_at: AwareDatetime | None = None
    last_run_at: AwareDatetime | None = None
    created_at: AwareDatetime
    updated_at: AwareDatetime
    event_type: Annotated[str | None, Field(max_length=200)] = None
    event_filter: Annotated[
        EventFilter | EventFilter1 | None,
        Field(
            description="Which events' data fire the job: a clause, or all/any of clauses (nested once at most, at most 20 clauses). None: every event of the type."
        ),
    ]
    debounce_secs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    batch_max: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    batch_window_secs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    throttle_max: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    throttle_window_secs: Annotated[int | None, Field(ge=0, le=2147483647)] = None
    dropped_events: Annotated[int | None, Field(ge=0, le=9223372036854775807)] = None
    last_event_at: AwareDatetime | None = None
    last_events: Annotated[
        list[EventTask],
        Field(description="The job's last 10 tasks fired by events, the latest first."),
    ]


class Job(
    RootModel[
        CronJob
        | IntervalJob
        | SpecificJob
        | ConditionJob
        | EventJob
        | ChainEventJob
    ]
):
    root: Annotated[
        CronJob | IntervalJob | SpecificJob | ConditionJob | EventJob | ChainEventJob,
        Field(discriminator='schedule_type'),
    ]


class JobEnvelope(BaseModel):
    code: Literal[0]
    message: Literal['success']
    data: Job


class JobList(BaseModel):
    jobs: list[Job]
    total: int
    limit: int
    offset: int


class JobListEnvelope(BaseModel):
    code: Literal[0]
    message: Literal['success']
    data: JobList


class JobWrite(
    RootModel[
        CronJobWrite
        | IntervalJobWrite
        | SpecificJobWrite
        | ConditionJobWrite
        | EventJobWrite
        | ChainEventJobWrite
    ]
):
    root: Annotated[
        CronJobWrite | IntervalJobWrite | SpecificJobWrite | ConditionJobWrite | EventJobWrite | ChainEventJobWrite,
        Field(discriminator='schedule_type'),
    ]


class TaskList(BaseModel):
    tasks: list[TaskSummary]
    total: int
    limit: int
    offset: int


class TaskListEnvelope(BaseModel):
    code: Literal[0]
    message: Literal['success']
    data: TaskList


class TimerBatch(BaseModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    timers: Annotated[list[TimerWrite], Field(max_length=1000, min_length=1)]


JsonValue.model_rebuild()
