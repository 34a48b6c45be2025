"""Stored notifications come back exactly as they were parsed, for every real and own sample."""

from __future__ import annotations

import zlib

import pytest

from alarm_bot.alarms.model_codec import CodecError, decode, encode, pack, unpack
from tests.alarms.alarm_samples import SAMPLES, parsed


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_every_sample_round_trips(sample: str) -> None:
    for notification in parsed(sample):
        assert decode(encode(notification)) == notification
        assert unpack(pack(notification)) == notification


def test_packing_compresses_a_large_composite_alarm() -> None:
    (notification,) = parsed("sns_composite_arns")
    assert len(pack(notification)) < len(repr(notification))


@pytest.mark.parametrize(
    "data",
    [b"", b"not zlib", zlib.compress(b"[1, 2]"), zlib.compress(b'{"type": "other"}'), zlib.compress(b"{}")],
)
def test_unreadable_data_is_a_codec_error(data: bytes) -> None:
    with pytest.raises(CodecError):
        unpack(data)
